// Issue 16: a sales lead opens a private coaching item for an AE, records
// the conversation on it and closes it; only the AE's manager, VP Sales and
// RevOps may, the AE reads its own, nobody else learns that it exists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, as, demoWorkspace, startServer } from './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv, c = {};

async function user(id) {
    const u = ws.users.find((x) => x.id === id);
    const cl = new Client(srv);
    assert.equal((await cl.login(u.email)).status, 200, id);
    return cl;
}

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    for (const id of ['u-sales-manager-1', 'u-sales-manager-2', 'u-ae-1',
        'u-ae-2', 'u-vp-sales-1'])
        c[id] = await user(id);
    c.marketing = await as(srv, ws, 'marketing');
    c.revops = await as(srv, ws, 'revops');
});

after(() => srv?.stop());

const OPEN = { ae_id: 'u-ae-1', cause: 'feature_overpromise',
    period: '2026Q3', note: 'From the bad-fit review: 2 over-promised churns' };

test('rule: the AE\'s manager opens, records and closes a coaching item; ' +
    'the AE reads it, others do not learn of it', async () => {
    const sm = c['u-sales-manager-1'];
    let r = await sm.post('/api/v1/coaching', OPEN);
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    assert.equal(r.json.status, 'open');
    assert.equal(r.json.ae_id, 'u-ae-1');
    // The AE reads its own; another AE gets 404, as for no item.
    assert.equal((await c['u-ae-1'].get(`/api/v1/coaching/${id}`)).status, 200);
    assert.equal((await c['u-ae-2'].get(`/api/v1/coaching/${id}`)).status, 404);
    assert.equal((await c['u-ae-2'].post(`/api/v1/coaching/${id}/notes`,
        { note: 'x' })).status, 404);
    // The AE may not write on it; marketing sees no coaching at all.
    assert.equal((await c['u-ae-1'].post(`/api/v1/coaching/${id}/notes`,
        { note: 'it was fine' })).status, 403);
    assert.equal((await c.marketing.post('/api/v1/coaching', OPEN)).status, 403);
    // Another team's manager may not follow it up (it is not hers to see).
    assert.equal((await c['u-sales-manager-2'].post(`/api/v1/coaching/${id}/notes`,
        { note: 'x' })).status, 404);
    // The conversation, privately on the item; then closed.
    r = await sm.post(`/api/v1/coaching/${id}/notes`,
        { note: 'Agreed: no roadmap promises without a PM on the call.' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.note, /no roadmap promises/);
    r = await sm.post(`/api/v1/coaching/${id}/close`, {});
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'closed');
    assert.match(r.json.note, /no roadmap promises/);
    r = await sm.post(`/api/v1/coaching/${id}/close`, {});
    assert.equal(r.status, 409);
    // Audited: who opened, recorded and closed it, without the words.
    const audit = JSON.parse(ok(['history', '--entity', 'coaching_items',
        '--id', String(id), '--format', 'json', '--db', ws.db]).stdout);
    assert.deepEqual(audit.map((a) => `${a.action}:${a.actor}`), [
        'coaching_item_created:u-sales-manager-1',
        'coaching_item_conversation:u-sales-manager-1',
        'coaching_item_closed:u-sales-manager-1']);
    assert.doesNotMatch(JSON.stringify(audit), /roadmap/);
});

test('rule: only the AE\'s manager, VP Sales or RevOps opens one; each field ' +
    'is checked', async () => {
    // Another team's AE: not this manager's to coach.
    let r = await c['u-sales-manager-1'].post('/api/v1/coaching',
        { ...OPEN, ae_id: 'u-ae-2' });
    assert.equal(r.status, 403);
    r = await c['u-vp-sales-1'].post('/api/v1/coaching',
        { ...OPEN, ae_id: 'u-ae-2', cause: 'misaligned_use_case' });
    assert.equal(r.status, 201, r.text);
    r = await c.revops.post('/api/v1/coaching',
        { ...OPEN, ae_id: 'u-ae-2', cause: 'misaligned_use_case' });
    assert.equal(r.status, 409, 'one item per AE, cause and quarter');
    for (const [body, field] of [[{ ...OPEN, cause: 'pricing' }, 'cause'],
        [{ ...OPEN, period: '2026-07' }, 'period'],
        [{ ...OPEN, ae_id: 'u-csm-1' }, 'ae_id'],
        [{ ...OPEN, note: 'x'.repeat(4001) }, 'note']]) {
        r = await c.revops.post('/api/v1/coaching', body);
        assert.equal(r.status, 400, field);
        assert.equal(r.json.error.field, field, r.text);
    }
});
