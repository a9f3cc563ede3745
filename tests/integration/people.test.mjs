// People (issue 16), black-box against the CLI and `closeloop serve`:
// invitations e-mailed through the outbox as one-time links (only a hash
// stored), expiry on the workspace's clock, re-sending, password resets,
// deactivation (sessions and tokens end at once, sign-in refused, history
// kept), the manager rules, and the administrator alone on every route.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';

import { Client, ROLES, as, demoWorkspace, sql, startServer } from './api_lib.mjs';
import { ok, run } from './lib.mjs';

const ROSA = { name: 'Rosa Parker', email: 'rosa.parker@example.com', role: 'ae', team: 'EMEA' };
const NEW_PASSWORD = 'rosa-parker-pass-1';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

// The one-time link of the e-mail the outbox holds for recipient.
function mailedLink(db, recipient, kind = 'invite') {
    const rows = JSON.parse(ok(['outbox', '--db', db, '--format', 'json']).stdout)
        .filter((r) => r.recipient_id === recipient && r.channel === 'email' && r.kind === kind);
    assert.ok(rows.length > 0, `an ${kind} e-mail to ${recipient} is queued`);
    const m = rows.at(-1).body.match(/(https?:\/\/\S+)\/invite#([0-9a-f]{64})/);
    assert.ok(m, 'the e-mail holds the link');
    return { base: m[1], token: m[2], row: rows.at(-1) };
}

// A server at another instant of the workspace's clock.
const serverAt = (t, db, now) => startServer(t, db, ['--now', now]);

const oneLine = (r) => assert.ok(r.json && r.json.error && !r.json.error.message.includes('\n'),
    `a one-line error: ${r.text}`);

describe('people', () => {
    test('an invitation is e-mailed through the outbox; its link sets the password once and signs the person in', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        const manager = ws.users.find((u) => u.role === 'sales_manager');
        const r = await admin.post('/api/v1/people', { ...ROSA, manager_id: manager.id });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.status, 'invited');
        assert.equal(r.json.id, 'rosa-parker', 'the id is derived from the name');
        assert.equal(r.json.manager_name, manager.name);
        assert.equal(r.json.role_label, 'Account executive');
        // The server's clock runs on from TEST_NOW: seconds later, 72 hours on.
        assert.match(r.json.link_expires_at, /^2026-11-21T10:0\d:\d\dZ$/, '72 hours by default');

        const { token, base, row } = mailedLink(ws.db, 'rosa-parker');
        assert.equal(base, 'http://127.0.0.1:8080', 'public_url by default');
        assert.equal(row.status, 'pending');
        assert.match(row.subject, /invited to closeloop/);
        // Only the secret's hash is stored with the link.
        assert.equal(sql(ws.db, "SELECT token_hash FROM invites WHERE user_id = 'rosa-parker'"), sha256(token));
        assert.equal(sql(ws.db, `SELECT count(*) FROM invites WHERE token_hash = '${token}'`), '0');

        const anon = new Client(srv);
        const check = await anon.post('/api/v1/auth/link', { token });
        assert.equal(check.status, 200, check.text);
        assert.deepEqual([check.json.kind, check.json.name, check.json.email], ['invite', ROSA.name, ROSA.email]);
        const short = await anon.post('/api/v1/auth/link/accept', { token, new_password: 'short' });
        assert.equal(short.status, 400);
        assert.equal(short.json.error.field, 'new_password');
        const acc = await anon.post('/api/v1/auth/link/accept', { token, new_password: NEW_PASSWORD });
        assert.equal(acc.status, 200, acc.text);
        assert.equal(acc.json.user.id, 'rosa-parker');
        // Signed in: the cookie it set works.
        const rosa = new Client(srv);
        rosa.cookie = acc.headers.get('set-cookie').split(';')[0];
        assert.equal((await rosa.get('/api/v1/me')).json.name, ROSA.name);
        assert.equal((await new Client(srv).login(ROSA.email, NEW_PASSWORD)).status, 200);
        assert.equal((await admin.get('/api/v1/people')).json.items
            .find((p) => p.id === 'rosa-parker').status, 'active');

        const audit = await admin.get('/api/v1/audit/users/rosa-parker');
        const actions = audit.json.items.map((e) => e.action);
        assert.ok(actions.includes('invite_sent') && actions.includes('password_set'), actions.join());
        assert.equal(audit.json.items.find((e) => e.action === 'invite_sent').actor, admin.user.id);
    });

    test('a link used twice is refused the second time', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        assert.equal((await admin.post('/api/v1/people', ROSA)).status, 201);
        const { token } = mailedLink(ws.db, 'rosa-parker');
        const anon = new Client(srv);
        assert.equal((await anon.post('/api/v1/auth/link/accept', { token, new_password: NEW_PASSWORD })).status, 200);
        const again = await anon.post('/api/v1/auth/link/accept', { token, new_password: 'another-pass-22' });
        assert.equal(again.status, 410);
        assert.equal(again.json.error.code, 'link_used');
        assert.equal((await anon.post('/api/v1/auth/link', { token })).json.error.code, 'link_used');
        assert.equal((await new Client(srv).login(ROSA.email, 'another-pass-22')).status, 401,
            'the second use changed nothing');
    });

    test('an expired link is refused on the workspace clock; sending it again replaces the old link', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        assert.equal((await admin.post('/api/v1/people', ROSA)).status, 201);
        const old = mailedLink(ws.db, 'rosa-parker').token;
        await srv.stop();

        // 72 hours and a minute later.
        const late = await serverAt(t, ws.db, '2026-11-21T10:01');
        const anon = new Client(late);
        const exp = await anon.post('/api/v1/auth/link/accept', { token: old, new_password: NEW_PASSWORD });
        assert.equal(exp.status, 410);
        assert.equal(exp.json.error.code, 'link_expired');
        assert.match(exp.json.error.message, /expired at 2026-11-21T10:0/);
        const admin2 = await as(late, ws, 'admin');
        const re = await admin2.post('/api/v1/people/rosa-parker/invite');
        assert.equal(re.status, 200, re.text);
        assert.match(re.json.link_expires_at, /^2026-11-24T10:0\d:\d\dZ$/);
        const fresh = mailedLink(ws.db, 'rosa-parker').token;
        assert.notEqual(fresh, old);
        assert.equal((await anon.post('/api/v1/auth/link', { token: old })).json.error.code, 'link_unknown',
            'the old link is replaced');
        assert.equal(sql(ws.db, "SELECT count(*) FROM invites WHERE user_id = 'rosa-parker'"), '1');
        assert.equal((await anon.post('/api/v1/auth/link/accept', { token: fresh, new_password: NEW_PASSWORD })).status, 200);
    });

    test('the invitation expiry is a setting with a range: one hour makes a link expire after an hour', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        for (const bad of ['0', '721', 'x'])
            assert.equal((await admin.patch('/api/v1/settings/config', { invite_expiry_hours: bad },
                { headers: { 'if-match': '*' } })).json.error.field, 'invite_expiry_hours');
        assert.equal((await admin.patch('/api/v1/settings/config',
            { invite_expiry_hours: '1', public_url: 'https://closeloop.example.com/' },
            { headers: { 'if-match': '*' } })).status, 200);
        const r = await admin.post('/api/v1/people', ROSA);
        assert.match(r.json.link_expires_at, /^2026-11-18T11:0\d:\d\dZ$/);
        assert.equal(mailedLink(ws.db, 'rosa-parker').base, 'https://closeloop.example.com');
    });

    test('a password reset is the same one-time link; the old password works until it is used', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        const csm = ws.users.find((u) => u.role === 'csm');
        const r = await admin.post(`/api/v1/people/${csm.id}/reset`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.link_kind, 'reset');
        const { token } = mailedLink(ws.db, csm.id, 'password_reset');
        assert.equal((await new Client(srv).login(csm.email)).status, 200, 'old password still works');
        const anon = new Client(srv);
        assert.equal((await anon.post('/api/v1/auth/link', { token })).json.kind, 'reset');
        assert.equal((await anon.post('/api/v1/auth/link/accept', { token, new_password: 'reset-pass-123' })).status, 200);
        assert.equal((await new Client(srv).login(csm.email)).status, 401, 'old password ends');
        assert.equal((await new Client(srv).login(csm.email, 'reset-pass-123')).status, 200);
        // Inviting someone who has a password is a conflict: they need a reset.
        assert.equal((await admin.post(`/api/v1/people/${csm.id}/invite`)).status, 409);
    });

    test('deactivating ends the sessions and API tokens at once, refuses sign-in, keeps the records', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        const csm = await as(srv, ws, 'csm');
        const tok = await admin.post('/api/v1/tokens', { user_id: csm.user.id });
        assert.equal(tok.status, 201);
        const bearer = new Client(srv, { token: tok.json.token });
        assert.equal((await csm.get('/api/v1/me')).status, 200);
        assert.equal((await bearer.get('/api/v1/me')).status, 200);
        const accounts = (await admin.get(`/api/v1/accounts?csm_id=${csm.user.id}`)).json.total;
        const tasks = (await admin.get(`/api/v1/tasks?assignee=${csm.user.id}`)).json;

        const r = await admin.post(`/api/v1/people/${csm.user.id}/deactivate`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'deactivated');
        assert.equal((await csm.get('/api/v1/me')).status, 401, 'the open session ended');
        assert.equal((await bearer.get('/api/v1/me')).status, 401, 'the API token is revoked');
        const again = await new Client(srv).login(csm.user.email);
        assert.equal(again.status, 403);
        assert.equal(again.json.error.code, 'account_deactivated');
        // A wrong password says nothing about the account.
        const wrong = await new Client(srv).login(csm.user.email, 'not-the-password');
        assert.equal(wrong.status, 401);
        assert.equal(wrong.json.error.code, 'bad_credentials');

        // History stays: the records, the tasks (visible to the manager), the audit.
        assert.equal((await admin.get(`/api/v1/accounts?csm_id=${csm.user.id}`)).json.total, accounts);
        assert.deepEqual((await admin.get(`/api/v1/tasks?assignee=${csm.user.id}`)).json, tasks);
        const lead = await as(srv, ws, 'cs_manager');
        if (csm.user.manager_id === lead.user.id)
            assert.equal((await lead.get(`/api/v1/tasks?assignee=${csm.user.id}`)).status, 200);
        const audit = (await admin.get(`/api/v1/audit/users/${csm.user.id}`)).json.items;
        assert.equal(audit.at(-1).action, 'deactivate');
        assert.equal(audit.at(-1).actor, admin.user.id);
        assert.equal(sql(ws.db, "SELECT actor FROM audit WHERE entity = 'api_tokens' AND " +
            `entity_id = '${tok.json.id}' AND action = 'token_revoke'`), admin.user.id);
        // Pickers leave deactivated people out: the user record says so.
        assert.equal((await admin.get(`/api/v1/users/${csm.user.id}`)).json.active, false);
        assert.equal((await admin.get('/api/v1/users?limit=1000')).json.items
            .find((u) => u.id === csm.user.id).active, false);
        // Nobody can pick them as a manager now.
        const ae = ws.users.find((u) => u.role === 'ae');
        const pick = await admin.patch(`/api/v1/users/${ae.id}`, { manager_id: csm.user.id },
            { headers: { 'if-match': '*' } });
        assert.equal(pick.status, 400);
        assert.equal(pick.json.error.field, 'manager_id');
        assert.match(pick.json.error.message, /deactivated/);
        assert.equal((await admin.post(`/api/v1/people/${csm.user.id}/deactivate`)).status, 409);
        assert.equal((await admin.post(`/api/v1/people/${admin.user.id}/deactivate`)).status, 409,
            'an admin cannot lock themself out');

        // Reactivated, the password works again (tokens stay revoked).
        assert.equal((await admin.post(`/api/v1/people/${csm.user.id}/activate`)).json.status, 'active');
        assert.equal((await new Client(srv).login(csm.user.email)).status, 200);
        assert.equal((await bearer.get('/api/v1/me')).status, 401);
    });

    test('only an administrator manages people: every other role gets 403 on every new route', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const target = ws.users.find((u) => u.role === 'ae').id;
        const routes = [['GET', '/api/v1/people'], ['POST', '/api/v1/people', ROSA],
            ['POST', `/api/v1/people/${target}/invite`], ['POST', `/api/v1/people/${target}/reset`],
            ['POST', `/api/v1/people/${target}/deactivate`], ['POST', `/api/v1/people/${target}/activate`]];
        for (const role of ROLES.filter((r) => r !== 'admin')) {
            const c = await as(srv, ws, role);
            for (const [method, p, body] of routes) {
                const r = await c.req(method, p, body ? { body } : {});
                assert.equal(r.status, 403, `${role} ${method} ${p}: ${r.text}`);
            }
        }
        assert.equal(sql(ws.db, "SELECT count(*) FROM users WHERE email = 'rosa.parker@example.com'"), '0');
        assert.equal(sql(ws.db, `SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL`), '0');
        assert.equal((await new Client(srv).get('/api/v1/people')).status, 401);
    });

    test('bad input gets a one-line error naming the field', async (t) => {
        const ws = demoWorkspace(t);
        const srv = await startServer(t, ws.db);
        const admin = await as(srv, ws, 'admin');
        const cases = [
            [{ ...ROSA, email: 'not-an-email' }, 'email'],
            [{ ...ROSA, role: 'wizard' }, 'role'],
            [{ ...ROSA, name: '' }, 'name'],
            [{ ...ROSA, manager_id: 'u-nobody' }, 'manager_id'],
            [{ ...ROSA, email: ws.users[0].email }, 'email'],
        ];
        for (const [body, field] of cases) {
            const r = await admin.post('/api/v1/people', body);
            assert.equal(r.status, 400, `${field}: ${r.text}`);
            assert.equal(r.json.error.field, field);
            oneLine(r);
        }
        assert.equal(sql(ws.db, "SELECT count(*) FROM users WHERE name = 'Rosa Parker'"), '0', 'nothing applied');
        // A manager loop: a sales manager cannot report to one of their AEs.
        const ae = ws.users.find((u) => u.role === 'ae' && u.manager_id);
        const loop = await admin.patch(`/api/v1/users/${ae.manager_id}`, { manager_id: ae.id },
            { headers: { 'if-match': '*' } });
        assert.equal(loop.status, 400, loop.text);
        assert.equal(loop.json.error.field, 'manager_id');
        assert.match(loop.json.error.message, /reports to/);
        oneLine(loop);
        const self = await admin.patch(`/api/v1/users/${ae.id}`, { manager_id: ae.id },
            { headers: { 'if-match': '*' } });
        assert.equal(self.json.error.field, 'manager_id');
        const role = await admin.patch(`/api/v1/users/${ae.id}`, { role: 'wizard' }, { headers: { 'if-match': '*' } });
        assert.equal(role.json.error.field, 'role');
        // Sign-in finds a person by e-mail: two people cannot share one.
        const other = ws.users.find((u) => u.id !== ae.id);
        const dup = await admin.patch(`/api/v1/users/${ae.id}`, { email: other.email.toUpperCase() },
            { headers: { 'if-match': '*' } });
        assert.equal(dup.status, 400, dup.text);
        assert.equal(dup.json.error.field, 'email');
        oneLine(dup);
        assert.equal((await admin.patch(`/api/v1/users/${ae.id}`, { email: ae.email, team: 'Renamed team' },
            { headers: { 'if-match': '*' } })).status, 200, 'keeping one\'s own e-mail is fine');
        for (const [key, value] of [['invite_expiry_hours', '0'], ['invite_expiry_hours', '721'],
            ['public_url', 'ftp://example.com'], ['public_url', 'https://x.example/?a=1']]) {
            const r = await admin.patch('/api/v1/settings/config', { [key]: value }, { headers: { 'if-match': '*' } });
            assert.equal(r.status, 400, `${key}=${value}`);
            assert.equal(r.json.error.field, key);
            oneLine(r);
        }
        const anon = new Client(srv);
        const unknown = await anon.post('/api/v1/auth/link', { token: 'f'.repeat(64) });
        assert.equal(unknown.status, 404);
        assert.equal(unknown.json.error.field, 'token');
    });

    test('the CLI invites, deactivates and reactivates as the API does', async (t) => {
        const ws = demoWorkspace(t);
        const r = ok(['user', 'invite', '--db', ws.db, '--name', ROSA.name, '--email', ROSA.email,
            '--role', 'ae', '--team', 'EMEA']);
        assert.match(r.stdout, /user rosa-parker invited/);
        const { token } = mailedLink(ws.db, 'rosa-parker');
        assert.ok(r.stdout.includes(token), 'the CLI prints the link');
        const bad = run(['user', 'invite', '--db', ws.db, '--name', 'X', '--email', 'x@example.com', '--role', 'wizard']);
        assert.notEqual(bad.code, 0);
        assert.match(bad.stderr, /^closeloop: role: /);
        assert.equal(bad.stderr.trim().split('\n').length, 1);
        const csm = ws.users.find((u) => u.role === 'csm');
        ok(['token', 'create', '--user', csm.id, '--db', ws.db]);
        const off = ok(['user', 'deactivate', csm.id, '--db', ws.db]);
        assert.match(off.stdout, /deactivated; sessions ended, 1 API token revoked/);
        assert.notEqual(run(["user", "deactivate", csm.id, "--db", ws.db]).code, 0);
        assert.match(ok(['user', 'activate', csm.id, '--db', ws.db]).stdout, /reactivated/);
        assert.equal(sql(ws.db, `SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL`), '0');
    });
});
