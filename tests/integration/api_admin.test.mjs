// api_admin.test.mjs - accounts and credentials over the API: changing
// one's own password, a user admin setting another's, API tokens (list,
// create shown once, revoke), and deleting a holiday; each endpoint's happy
// path and its errors (wrong current password, short password, 401, 403,
// 404, 409, missing CSRF token on DELETE).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client, PASSWORD, as, demoWorkspace, sql, startServer } from
    './api_lib.mjs';
import { DEAL_HEAD, account, company, tasks, wonDeal } from
    './engine_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
});

after(() => srv?.stop());

const userOf = (role) => ws.users.find((x) => x.role === role);

describe('POST /api/v1/me/password', () => {
    test('changes the password, keeps this session and ends the others', async () => {
        const u = userOf('vp_cs');
        const here = await as(srv, ws, 'vp_cs');
        const there = await as(srv, ws, 'vp_cs');
        const r = await here.post('/api/v1/me/password',
            { current_password: PASSWORD, new_password: 'a-new-secret-1' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await here.get('/api/v1/me')).status, 200,
            'the session that changed it stays signed in');
        assert.equal((await there.get('/api/v1/me')).status, 401,
            'the other browser is signed out');
        assert.equal((await new Client(srv).login(u.email)).status, 401,
            'the old password no longer signs in');
        assert.equal((await new Client(srv).login(u.email, 'a-new-secret-1'))
            .status, 200);
        const audit = sql(ws.db, `SELECT count(*) FROM audit WHERE entity = ` +
            `'users' AND entity_id = '${u.id}' AND action = 'password_set' ` +
            `AND actor = '${u.id}'`);
        assert.equal(audit, '1', 'the change is audited, by its user');
    });

    test('`closeloop user passwd` signs the user\'s browsers out', async () => {
        const u = userOf('marketing');
        const browser = await as(srv, ws, 'marketing');
        assert.equal((await browser.get('/api/v1/me')).status, 200);
        ok(['user', 'passwd', u.id, '--db', ws.db], { input: PASSWORD + '\n' });
        assert.equal((await browser.get('/api/v1/me')).status, 401,
            'the session of the old password has ended');
        assert.equal((await new Client(srv).login(u.email)).status, 200);
    });

    test('a wrong current password is 403 and changes nothing', async () => {
        const c = await as(srv, ws, 'cs_manager');
        const r = await c.post('/api/v1/me/password',
            { current_password: 'not-my-password', new_password: 'whatever-1234' });
        assert.equal(r.status, 403);
        assert.equal(r.json.error.code, 'wrong_password');
        assert.equal(r.json.error.field, 'current_password');
        assert.match(r.json.error.message, /current password/);
        assert.equal((await new Client(srv).login(c.user.email)).status, 200,
            'the old password still works');
    });

    test('a new password under 10 characters is 400 naming new_password', async () => {
        const c = await as(srv, ws, 'cs_manager');
        const r = await c.post('/api/v1/me/password',
            { current_password: PASSWORD, new_password: 'short-9ch' });
        assert.equal(r.status, 400);
        assert.equal(r.json.error.field, 'new_password');
        assert.match(r.json.error.message, /10 characters/);
        const miss = await c.post('/api/v1/me/password',
            { new_password: 'long-enough-1' });
        assert.equal(miss.status, 400);
        assert.equal(miss.json.error.field, 'current_password');
    });

    test('without credentials it is 401; without the CSRF token 403', async () => {
        const r = await new Client(srv).post('/api/v1/me/password',
            { current_password: PASSWORD, new_password: 'long-enough-1' });
        assert.equal(r.status, 401);
        const c = await as(srv, ws, 'cs_manager');
        const x = await c.post('/api/v1/me/password',
            { current_password: PASSWORD, new_password: 'long-enough-1' },
            { csrf: false });
        assert.equal(x.status, 403);
        assert.equal(x.json.error.code, 'csrf');
    });
});

describe('POST /api/v1/users/{id}/password', () => {
    test('an admin sets another user\'s password and signs them out', async () => {
        const admin = await as(srv, ws, 'admin');
        const victim = await as(srv, ws, 'marketing');
        const r = await admin.post(`/api/v1/users/${victim.user.id}/password`,
            { new_password: 'set-by-admin-1' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await victim.get('/api/v1/me')).status, 401);
        assert.equal((await new Client(srv).login(victim.user.email,
            'set-by-admin-1')).status, 200);
        assert.equal((await admin.get('/api/v1/me')).status, 200);
    });

    test('revops may too (user admin by the visibility rules); a csm may not', async () => {
        const revops = await as(srv, ws, 'revops');
        const target = userOf('marketing');
        assert.equal((await revops.post(`/api/v1/users/${target.id}/password`,
            { new_password: 'set-by-revops-1' })).status, 204);
        const csm = await as(srv, ws, 'csm');
        const r = await csm.post(`/api/v1/users/${target.id}/password`,
            { new_password: 'set-by-csm-123' });
        assert.equal(r.status, 403);
        assert.equal((await new Client(srv).login(target.email,
            'set-by-revops-1')).status, 200, 'the csm changed nothing');
    });

    test('unknown user 404, short password 400', async () => {
        const admin = await as(srv, ws, 'admin');
        const r = await admin.post('/api/v1/users/u-nobody/password',
            { new_password: 'long-enough-1' });
        assert.equal(r.status, 404);
        const s = await admin.post(`/api/v1/users/${userOf('ae').id}/password`,
            { new_password: 'short' });
        assert.equal(s.status, 400);
        assert.equal(s.json.error.field, 'new_password');
    });
});

describe('API tokens', () => {
    test('create shows the secret once; the token works, lists without secrets, and revoked gives 401', async () => {
        const c = await as(srv, ws, 'ae');
        const r = await c.post('/api/v1/tokens', {});
        assert.equal(r.status, 201, r.text);
        assert.match(r.json.token, /^clt_[0-9a-f]{64}$/);
        assert.match(r.json.id, /^tok-[0-9a-f]{12}$/);
        assert.equal(r.json.user_id, c.user.id);
        assert.equal(r.headers.get('cache-control'), 'no-store');

        const bearer = new Client(srv, { token: r.json.token });
        assert.equal((await bearer.get('/api/v1/me')).json.id, c.user.id);

        const list = await c.get('/api/v1/tokens');
        assert.equal(list.status, 200);
        const mine = list.json.items.find((x) => x.id === r.json.id);
        assert.deepEqual(Object.keys(mine).sort(),
            ['created_at', 'id', 'revoked_at', 'user_id']);
        assert.equal(mine.revoked_at, null);
        assert.ok(!list.text.includes(r.json.token.slice(4)),
            'the list never carries the secret');
        assert.ok(list.json.items.every((x) => x.user_id === c.user.id),
            'an AE sees only their own tokens');

        const rv = await c.post(`/api/v1/tokens/${r.json.id}/revoke`);
        assert.equal(rv.status, 200, rv.text);
        assert.ok(rv.json.revoked_at);
        assert.equal((await bearer.get('/api/v1/me')).status, 401);
        const again = await c.post(`/api/v1/tokens/${r.json.id}/revoke`);
        assert.equal(again.status, 409);
        // Issue 16: the refusal the tokens page shows names no id.
        assert.equal(again.json.error.message, 'This token is revoked already');
    });

    test('a token made by the CLI is listed and revocable over the API', async () => {
        const u = userOf('sales_manager');
        const out = ok(['token', 'create', '--user', u.id, '--db', ws.db]);
        const id = out.stderr.match(/token (tok-[0-9a-f]+)/)[1];
        const c = await as(srv, ws, 'sales_manager');
        const list = await c.get('/api/v1/tokens');
        assert.ok(list.json.items.some((x) => x.id === id));
        assert.equal((await c.post(`/api/v1/tokens/${id}/revoke`)).status, 200);
        assert.equal((await new Client(srv, { token: out.stdout.trim() })
            .get('/api/v1/me')).status, 401);
    });

    test('an admin creates one for another user and sees every token', async () => {
        const admin = await as(srv, ws, 'admin');
        const csm = userOf('csm');
        const r = await admin.post('/api/v1/tokens', { user_id: csm.id });
        assert.equal(r.status, 201);
        assert.equal(r.json.user_id, csm.id);
        assert.equal((await new Client(srv, { token: r.json.token })
            .get('/api/v1/me')).json.id, csm.id);
        const all = await admin.get('/api/v1/tokens');
        assert.ok(all.json.items.some((x) => x.id === r.json.id));
        assert.ok(new Set(all.json.items.map((x) => x.user_id)).size >= 2);
        const one = await admin.get(`/api/v1/tokens?user_id=${csm.id}`);
        assert.ok(one.json.items.length >= 1 &&
            one.json.items.every((x) => x.user_id === csm.id));
        const audit = sql(ws.db, `SELECT actor FROM audit WHERE entity = ` +
            `'api_tokens' AND entity_id = '${r.json.id}' AND action = ` +
            `'token_create'`);
        assert.equal(audit, userOf('admin').id);
        const nobody = await admin.post('/api/v1/tokens', { user_id: 'u-nobody' });
        assert.equal(nobody.status, 400);
        assert.equal(nobody.json.error.field, 'user_id');
    });

    test('a csm may not create a token for someone else, nor revoke theirs', async () => {
        const csm = await as(srv, ws, 'csm');
        const other = userOf('ae');
        const r = await csm.post('/api/v1/tokens', { user_id: other.id });
        assert.equal(r.status, 403);
        assert.equal(r.json.error.field, 'user_id');
        const admin = await as(srv, ws, 'admin');
        const t = await admin.post('/api/v1/tokens', { user_id: other.id });
        const rv = await csm.post(`/api/v1/tokens/${t.json.id}/revoke`);
        assert.equal(rv.status, 404, 'someone else\'s token looks absent');
        assert.equal((await new Client(srv, { token: t.json.token })
            .get('/api/v1/me')).status, 200, 'and still works');
    });

    test('without credentials 401; unknown token 404; unknown field 400', async () => {
        const anon = new Client(srv);
        assert.equal((await anon.get('/api/v1/tokens')).status, 401);
        assert.equal((await anon.post('/api/v1/tokens', {})).status, 401);
        const c = await as(srv, ws, 'ae');
        assert.equal((await c.post('/api/v1/tokens/tok-none/revoke')).status,
            404);
        const bad = await c.post('/api/v1/tokens', { user: 'x' });
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.field, 'user');
    });
});

describe('DELETE /api/v1/holidays/{id}', () => {
    test('revops deletes a holiday: 204, gone, audited with the old row; again 404', async () => {
        const revops = await as(srv, ws, 'revops');
        const h = { on: '2026-12-28', name: 'Office closed' };
        assert.equal((await revops.post('/api/v1/holidays', h)).status, 201);
        const r = await revops.req('DELETE', '/api/v1/holidays/2026-12-28');
        assert.equal(r.status, 204, r.text);
        assert.equal((await revops.get('/api/v1/holidays/2026-12-28')).status,
            404);
        const audit = JSON.parse(sql(ws.db, `SELECT "old" FROM audit ` +
            `WHERE entity = 'holidays' AND entity_id = '2026-12-28' AND ` +
            `action = 'delete'`));
        assert.deepEqual(audit, h);
        const again = await revops.req('DELETE', '/api/v1/holidays/2026-12-28');
        assert.equal(again.status, 404);
        const junk = await revops.req('DELETE', '/api/v1/holidays/not-a-date');
        assert.equal(junk.status, 404);
    });

    test('a cookie DELETE without the CSRF token is 403; a csm is 403; no credentials 401', async () => {
        const revops = await as(srv, ws, 'revops');
        const h = { on: '2026-12-29', name: 'Office closed' };
        assert.equal((await revops.post('/api/v1/holidays', h)).status, 201);
        const x = await revops.req('DELETE', '/api/v1/holidays/2026-12-29',
            { csrf: false });
        assert.equal(x.status, 403);
        assert.equal(x.json.error.code, 'csrf');
        const csm = await as(srv, ws, 'csm');
        assert.equal((await csm.req('DELETE', '/api/v1/holidays/2026-12-29'))
            .status, 403);
        assert.equal((await new Client(srv).req('DELETE',
            '/api/v1/holidays/2026-12-29')).status, 401);
        assert.equal((await revops.get('/api/v1/holidays/2026-12-29')).status,
            200, 'still there');
        const admin = await as(srv, ws, 'admin');
        assert.equal((await admin.req('DELETE', '/api/v1/holidays/2026-12-29'))
            .status, 204);
    });

    test('the OpenAPI document lists the new operations', async () => {
        const doc = (await new Client(srv).get('/api/v1/openapi.json')).json;
        assert.ok(doc.paths['/api/v1/holidays/{id}'].delete.responses['204']);
        assert.ok(doc.paths['/api/v1/me/password'].post.responses['204']);
        assert.ok(doc.paths['/api/v1/users/{id}/password'].post);
        assert.ok(doc.paths['/api/v1/tokens'].get);
        assert.ok(doc.paths['/api/v1/tokens'].post.responses['201']);
        assert.ok(doc.paths['/api/v1/tokens/{id}/revoke'].post);
    });
});

test('a deleted holiday counts as a business day at the next tick', async (t) => {
    // Friday 2026-06-05 won; five business days on is Friday 06-12, or
    // Monday 06-15 while Monday 06-08 is a holiday.
    const { db, imp } = company(t, {
        accounts: ['A1'].map((a) => account(a)),
        holidays: [['2026-06-08', 'Company day']],
    });
    ok(['user', 'passwd', 'U7', '--db', db], { input: PASSWORD + '\n' });
    const s = await startServer(t, db);
    const revops = new Client(s);
    assert.equal((await revops.login('rita@example.com')).status, 200);
    assert.equal((await revops.req('DELETE', '/api/v1/holidays/2026-06-08'))
        .status, 204);
    imp('deals', [DEAL_HEAD, wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000,
        '2026-06-30')]);
    ok(['tick', '--now', '2026-06-05T18:00', '--db', db]);
    const review = tasks(db).find((x) => x.kind === 'won_deal_review');
    assert.equal(review.due_on, '2026-06-12');
});
