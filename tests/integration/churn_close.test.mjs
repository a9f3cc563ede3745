// Issue 14, churn tagging: a churn closes only with its three levels of
// signal (a level nobody knows is written "not known: REASON" and counted
// by the tagging audit), and a closed churn's tag changes only once it is
// reopened, with a reason kept in the audit trail: by the CLI, the API,
// a record PATCH and an import alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHURN_HEAD, account, churn, cli, cliRun, company, json,
    wonDeal } from './engine_lib.mjs';
import { Client, startServer } from './api_lib.mjs';
import { writeCsv } from './lib.mjs';

const NOW = '2026-11-18T10:00';

function shop(t) {
    return company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-01-10', 20000)],
        churns: [churn('C1', 'A1', 'D1', '2026-11-10')],
    });
}

const tag = (db, extra) => cli(db, ['churn', 'tag', 'C1', '--primary',
    'pricing', '--by', 'U6', '--now', NOW, ...extra]);
const close = (db) => cliRun(db, ['churn', 'close', 'C1', '--by', 'U6',
    '--now', NOW]);

test('rule: a churn closes only with all three signals; "not known" needs ' +
    'a reason and the tagging audit counts it', (t) => {
    const { db } = shop(t);
    tag(db, ['--stated', 'Too expensive for what we use']);
    let r = close(db);
    assert.equal(r.code, 1, r.stderr);
    // Issue 16: the refusal names the field and the churn by its account.
    assert.match(r.stderr, /diagnosis: the churn of Account A1 cannot be closed without the CS diagnosis/);
    assert.doesNotMatch(r.stderr, /C1/);
    assert.equal(r.lines.length, 1, r.stderr);
    tag(db, ['--diagnosis', 'Used one module of five',
        '--predictive', 'not known']);
    r = close(db);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pre-sale behaviour/);
    assert.match(r.stderr, /not known: /);
    tag(db, ['--predictive', 'not known: the deal predates our CRM']);
    r = close(db);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /churn C1 closed/);
    const audit = json(db, ['report', 'audit', '--period', '2026Q4',
        '--now', NOW]);
    assert.deepEqual(audit.signals_not_known, { churns: 1,
        stated_reason: 0, diagnosis: 0, predictive_behavior: 1 });
    const trail = json(db, ['history', '--entity', 'churns', '--id', 'C1']);
    const closed = trail.filter((x) => x.action === 'churn_closed');
    assert.equal(closed.length, 1, JSON.stringify(trail));
    assert.match(JSON.stringify(closed[0]), /not_known=predictive_behavior/);
});

test('rule: a closed churn\'s tag changes only after a reopen with a ' +
    'reason, by the CLI, the API, a PATCH and an import', async (t) => {
    const { db, dir } = shop(t);
    tag(db, ['--stated', 'Too expensive', '--diagnosis', 'Low adoption',
        '--predictive', 'Bought on discount, no champion']);
    assert.equal(close(db).code, 0);

    // The CLI.
    let r = cliRun(db, ['churn', 'tag', 'C1', '--primary', 'poor_service',
        '--by', 'U6', '--now', NOW]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The churn of Account A1 is closed; reopen it/);

    // An import: the same tag again is no change; another is a bad row,
    // and nothing of the file is applied.
    const row = (cause) => ['C1', 'A1', 'D1', '2026-11-10', 10000,
        'Too expensive', 'Low adoption', 'Bought on discount, no champion',
        cause, '', 'U6', '2026-11-18'];
    assert.equal(cliRun(db, ['import', 'churns', writeCsv(dir, 'same.csv',
        [CHURN_HEAD, row('pricing')]), '--now', NOW]).code, 0);
    r = cliRun(db, ['import', 'churns', writeCsv(dir, 'other.csv',
        [CHURN_HEAD, row('poor_service')]), '--now', NOW]);
    assert.equal(r.code, 1);
    assert.match(r.lines[0], /^.*other\.csv:2: primary_cause: This churn is closed; reopen it/);

    // The API: the record shows closed_on; PATCH is 409; reopen needs a
    // reason; then the tag changes.
    const srv = await startServer(t, db, ['--now', NOW]);
    const token = cli(db, ['token', 'create', '--user', 'U6']).stdout.trim();
    const c = new Client(srv, { token });
    let got = await c.get('/api/v1/churns/C1');
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.closed_on, '2026-11-18');
    // RevOps may write records; not the tag of a closed churn.
    const ops = new Client(srv, { token: cli(db, ['token', 'create', '--user',
        'U7']).stdout.trim() });
    const p = await ops.patch('/api/v1/churns/C1',
        { diagnosis: 'Rewritten after the fact' },
        { headers: { 'if-match': got.headers.get('etag') } });
    assert.equal(p.status, 409, p.text);
    assert.match(p.json.error.message, /reopen/);
    const noReason = await c.post('/api/v1/churns/C1/reopen', {});
    assert.equal(noReason.status, 400, noReason.text);
    const blank = await c.post('/api/v1/churns/C1/reopen', { reason: ' ' });
    assert.equal(blank.status, 400, blank.text);
    const re = await c.post('/api/v1/churns/C1/reopen',
        { reason: 'The exit interview named service, not price' });
    assert.equal(re.status, 200, re.text);
    assert.equal(re.json.closed_on, null);
    const again = await c.post('/api/v1/churns/C1/reopen', { reason: 'x y z' });
    assert.equal(again.status, 409, again.text);
    const retag = await c.post('/api/v1/churns/C1/tag',
        { primary_cause: 'poor_service' });
    assert.equal(retag.status, 200, retag.text);
    assert.equal(retag.json.primary_cause, 'poor_service');
    got = await c.get('/api/v1/churns/C1');
    assert.equal(got.json.closed_on, null);

    const trail = json(db, ['history', '--entity', 'churns', '--id', 'C1']);
    const reopened = trail.filter((x) => x.action === 'churn_reopened');
    assert.equal(reopened.length, 1, JSON.stringify(trail));
    assert.match(JSON.stringify(reopened[0]), /exit interview named service/);
    assert.match(JSON.stringify(reopened[0]), /U6/);
});
