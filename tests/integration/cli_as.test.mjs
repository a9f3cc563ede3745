// `closeloop tasks --as USER` and `closeloop outbox --as USER`: the CLI
// shows a user what the API would show them once signed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, cliRun, company, outbox, tasks, tick,
    wonDeal } from './engine_lib.mjs';

// Two AEs (U3, U4, both reporting to U2) whose won deals churned and were
// tagged: each gets a debrief task, and a churn flag mail goes to the AE
// and the manager.  The CSM U6 gets tasks of its own.
function start(t) {
    const tagged = (id, acct, deal) => {
        const r = churn(id, acct, deal, '2026-06-01');
        r[8] = 'feature_overpromise';
        r[10] = 'U6';
        r[11] = '2026-06-02';
        return r;
    };
    const w = company(t, {
        accounts: ['A1', 'A2', 'A3'].map((a) => account(a)),
        deals: [wonDeal('D1', 'A1', 'U3', '2025-01-10', 20000),
            wonDeal('D2', 'A2', 'U4', '2025-02-10', 20000),
            wonDeal('D3', 'A3', 'U4', '2026-06-01', 20000)],
        churns: [tagged('C1', 'A1', 'D1'), tagged('C2', 'A2', 'D2')],
    });
    tick(w.db, '2026-06-03');
    return w.db;
}

const ids = (list) => list.map((x) => x.id).sort((a, b) => a - b);

test('an AE sees its own tasks and notifications only; revops sees all ' +
    'tasks', (t) => {
    const db = start(t);
    const all = tasks(db);
    const mine = all.filter((x) => x.assignee_id === 'U3');
    // The fixture means something: U3 has work, and others have theirs.
    assert.ok(mine.length > 0, JSON.stringify(all));
    assert.ok(all.some((x) => x.assignee_id === 'U4'));
    assert.ok(all.some((x) => x.assignee_id === 'U6'));

    assert.deepEqual(ids(tasks(db, '--as', 'U3')), ids(mine));
    // RevOps (U7) sees every task, as GET /api/v1/tasks?assignee=* does.
    assert.deepEqual(ids(tasks(db, '--as', 'U7')), ids(all));
    // The AEs' manager sees its reports' tasks and not the CSM's.
    const team = all.filter((x) => ['U2', 'U3', 'U4']
        .includes(x.assignee_id));
    assert.deepEqual(ids(tasks(db, '--as', 'U2')), ids(team));
    // --as narrows what --assignee asks for, never widens it.
    assert.deepEqual(tasks(db, '--as', 'U3', '--assignee', 'U4'), []);
    assert.deepEqual(ids(tasks(db, '--assignee', 'U4')),
        ids(all.filter((x) => x.assignee_id === 'U4')));

    const mail = outbox(db);
    const toU3 = mail.filter((m) => m.recipient_id === 'U3');
    assert.ok(toU3.some((m) => m.kind === 'churn_flag'),
        JSON.stringify(mail));
    assert.ok(mail.some((m) => m.recipient_id === 'U4'));
    assert.deepEqual(ids(outbox(db, '--as', 'U3')), ids(toU3));
    // Notifications are their recipient's alone, as the API's inbox is:
    // RevOps reads the delivery log without --as, not as a viewer.
    assert.deepEqual(ids(outbox(db, '--as', 'U7')),
        ids(mail.filter((m) => m.recipient_id === 'U7')));
    assert.deepEqual(ids(outbox(db, '--as', 'U2', '--channel', 'email')),
        ids(mail.filter((m) => m.recipient_id === 'U2' &&
            m.channel === 'email')));
});

test('--as an unknown user exits 1 with one line', (t) => {
    const db = start(t);
    for (const cmd of ['tasks', 'outbox']) {
        const r = cliRun(db, [cmd, '--as', 'nobody']);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.lines.length, 1, r.stderr);
        assert.match(r.stderr, /nobody/);
        assert.equal(r.stdout, '');
    }
    // And a known one answers normally.
    assert.equal(cli(db, ['tasks', '--as', 'U3']).code, 0);
});
