// The engine applies the roles the API applies: the CLI's --by names who
// did something, and cannot attribute to a person what their role may not
// do (docs/design.md section 6).  A refusal is one line, exit 1, nothing
// changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cliRun, company, json, tick, wonDeal } from
    './engine_lib.mjs';
import { exportKind } from './lib.mjs';

const churns = (db) => exportKind(db, 'churns');

function churned(t) {
    return company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-03-02', 30000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01')],
    });
}

const tag = (db, by) => cliRun(db, ['churn', 'tag', 'C1', '--primary',
    'feature_overpromise', '--stated', 'It never did what we were told',
    '--by', by, '--now', '2026-06-03T10:00']);

test('an AE cannot be named as the one who tagged a churn', (t) => {
    const { db } = churned(t);
    const before = churns(db);
    for (const [by, role] of [['U3', 'ae'], ['U2', 'sales_manager'],
        ['U8', 'marketing']]) {
        const r = tag(db, by);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.lines.length, 1, r.stderr);
        assert.match(r.lines[0],
            new RegExp(`${by} \\(${role}\\) may not tag, close or reopen a churn`));
    }
    assert.equal(churns(db), before);
    // The CSM may: the same command, by U6.
    const ok = tag(db, 'U6');
    assert.equal(ok.code, 0, ok.stderr);
    assert.notEqual(churns(db), before);
});

test('only RevOps records a session\'s decision from the CLI too', (t) => {
    const { db } = churned(t);
    tick(db, '2026-07-01T08:00');
    const s = json(db, ['session', 'list'])[0];
    const r = cliRun(db, ['session', 'decide', String(s.id), '--text',
        'Keep the ICP', '--by', 'U6']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /U6 \(csm\) may not record a session's decision/);
    const ok = cliRun(db, ['session', 'decide', String(s.id), '--text',
        'Keep the ICP', '--by', 'U7']);
    assert.equal(ok.code, 0, ok.stderr);
});
