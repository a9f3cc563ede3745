// Issue 16: recording an AE+CSM debrief through the API: a field missing
// or wrong, a task that is not a debrief, someone else's task, a debrief
// recorded twice: each a one-line error naming what is wrong, and nothing
// changes; then the AE's dispute closes both tasks and reaches the CSM.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, demoWorkspace, sql, startServer } from './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv, pick;

async function user(id) {
    const u = ws.users.find((x) => x.id === id);
    const c = new Client(srv);
    assert.equal((await c.login(u.email)).status, 200, id);
    return c;
}

before(async () => {
    ws = demoWorkspace(null);
    // An untagged churn whose account has a CSM and whose deal an AE,
    // tagged over-promised: the AE's and the CSM's debrief tasks open.
    const row = sql(ws.db, "SELECT c.id, a.csm_id, d.ae_id FROM churns c " +
        "JOIN accounts a ON a.workspace_id = c.workspace_id AND a.id = " +
        "c.account_id JOIN deals d ON d.workspace_id = c.workspace_id AND " +
        "d.id = c.deal_id WHERE c.primary_cause IS NULL AND a.csm_id IS NOT " +
        "NULL AND d.ae_id IS NOT NULL ORDER BY c.id LIMIT 1").split('|');
    pick = { churn: row[0], csm: row[1], ae: row[2] };
    ok(['churn', 'tag', pick.churn, '--primary', 'feature_overpromise',
        '--by', pick.csm, '--db', ws.db]);
    srv = await startServer(null, ws.db);
});

after(() => srv?.stop());

const taskOf = (who) => Number(sql(ws.db, "SELECT id FROM tasks WHERE kind = " +
    `'debrief' AND subject_id = '${pick.churn}' AND assignee_id = '${who}'`));
const openDebriefs = () => Number(sql(ws.db, "SELECT count(*) FROM tasks " +
    `WHERE kind = 'debrief' AND subject_id = '${pick.churn}' AND ` +
    "status = 'open'"));

test('rule: a debrief is recorded with its notes and outcome, once, by its ' +
    'assignee; bad input changes nothing', async () => {
    const ae = await user(pick.ae);
    const other = await user(ws.users.find((u) => u.role === 'ae' &&
        u.id !== pick.ae).id);
    const id = taskOf(pick.ae);
    assert.equal(openDebriefs(), 2);
    for (const [body, field] of [
        [{ outcome: 'accepted' }, 'notes'],
        [{ notes: ' ', outcome: 'accepted' }, 'notes'],
        [{ notes: 'n', outcome: 'maybe' }, 'outcome'],
        [{ notes: 'n', outcome: 'disputed' }, 'reason'],
        [{ notes: 'x'.repeat(4001), outcome: 'accepted' }, 'notes']]) {
        const r = await ae.post(`/api/v1/tasks/${id}/debrief`, body);
        assert.equal(r.status, 400, `${field}: ${r.text}`);
        assert.equal(r.json.error.field, field, r.text);
        assert.doesNotMatch(r.json.error.message, /\n/);
    }
    // Another AE's debrief, and a task that is not a debrief.
    let r = await other.post(`/api/v1/tasks/${id}/debrief`,
        { notes: 'n', outcome: 'accepted' });
    assert.equal(r.status, 403, r.text);
    const notDebrief = Number(sql(ws.db, "SELECT id FROM tasks WHERE kind " +
        `<> 'debrief' AND assignee_id = '${pick.ae}' AND status = 'open' ` +
        'ORDER BY id LIMIT 1'));
    if (notDebrief) {
        r = await ae.post(`/api/v1/tasks/${notDebrief}/debrief`,
            { notes: 'n', outcome: 'accepted' });
        assert.equal(r.status, 400, r.text);
    }
    assert.equal((await ae.post('/api/v1/tasks/999999/debrief',
        { notes: 'n', outcome: 'accepted' })).status, 404);
    assert.equal(openDebriefs(), 2, 'nothing changed');

    r = await ae.post(`/api/v1/tasks/${id}/debrief`, { notes: 'SSO promised',
        outcome: 'disputed', reason: 'a competitor won on price' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done');
    assert.equal(openDebriefs(), 0, 'both attendees\' tasks are done');
    assert.equal(Number(sql(ws.db, "SELECT count(*) FROM outbox WHERE kind = " +
        `'debrief_outcome' AND recipient_id = '${pick.csm}'`)) > 0, true);
    r = await ae.post(`/api/v1/tasks/${id}/debrief`,
        { notes: 'again', outcome: 'accepted' });
    assert.equal(r.status, 409, r.text);
});
