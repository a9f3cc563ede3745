// api_auth.test.mjs - hostile callers against sign-in and credentials: the
// sign-in rate limit (per client address, and per account and client)
// behind --trust-proxy and without it; API tokens ending with a password
// change; coaching items that answer alike when missing and when not the
// caller's; audit JSON of a token whose user id needs escaping.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { COACHING_ITEM_SQL, Client, PASSWORD, as, demoWorkspace, startServer }
    from './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv;

before(async () => {
    ws = demoWorkspace(null, COACHING_ITEM_SQL);
    srv = await startServer(null, ws.db, ['--trust-proxy']);
});

after(() => srv?.stop());

const userOf = (role) => ws.users.find((x) => x.role === role);

// One sign-in attempt, from the client address `from` when given (as a
// proxy in front would say it, in X-Forwarded-For).
function signIn(s, email, password, from) {
    const headers = typeof from === 'string'
        ? { 'x-forwarded-for': from } : from ?? {};
    return new Client(s).req('POST', '/api/v1/auth/login',
        { body: { email, password }, headers });
}

describe('the sign-in rate limit', () => {
    test('behind --trust-proxy an attacker elsewhere cannot lock the owner out', async () => {
        const victim = userOf('vp_sales');
        const attacker = '203.0.113.7';
        const seen = [];
        for (let i = 0; i < 20; i++)
            seen.push((await signIn(srv, victim.email, `guess-${i}`, attacker)).status);
        // Five guesses are answered; then the attacker is made to wait.
        assert.deepEqual(seen.slice(0, 5), [401, 401, 401, 401, 401]);
        assert.ok(seen.slice(5).every((s) => s === 429), seen.join(' '));
        const slowed = await signIn(srv, victim.email, 'guess-x', attacker);
        assert.equal(slowed.status, 429);
        // A delay of seconds (15 after the fifth), not a lockout.
        const wait = Number(slowed.headers.get('retry-after'));
        assert.ok(wait > 0 && wait <= 15, String(wait));
        // The owner, from their own address, signs in with the right password.
        assert.equal((await signIn(srv, victim.email, PASSWORD, '198.51.100.2'))
            .status, 200);
        // The attacker's address spends the rest of its budget on other
        // accounts; then it is refused on every account, even with a right
        // password, and writing the owner's address left of its own (as a
        // client can before the proxy appends the real one) does not help.
        for (let i = 0; i < 15; i++)
            assert.equal((await signIn(srv, `nobody${i}@example.com`, 'x',
                attacker)).status, 401, `failure ${i + 6}`);
        const other = userOf('revops');
        const refused = await signIn(srv, other.email, PASSWORD, attacker);
        assert.equal(refused.status, 429);
        assert.equal(refused.json.error.code, 'rate_limited');
        assert.ok(Number(refused.headers.get('retry-after')) > 800);
        assert.equal((await signIn(srv, other.email, PASSWORD,
            `198.51.100.2, ${attacker}`)).status, 429);
        // Everyone else is untouched.
        assert.equal((await signIn(srv, other.email, PASSWORD, '198.51.100.3'))
            .status, 200);
        assert.equal((await signIn(srv, victim.email, PASSWORD, '198.51.100.2'))
            .status, 200);
    });

    test('without --trust-proxy X-Forwarded-For is the client\'s to write, so ignored', async (t) => {
        const s = await startServer(t, ws.db);
        for (let i = 0; i < 20; i++)
            assert.equal((await signIn(s, `nobody${i}@example.com`, 'x',
                `203.0.113.${i + 1}`)).status, 401);
        // A fresh forwarded address is still the same peer: refused.
        const r = await signIn(s, userOf('vp_cs').email, PASSWORD, '198.51.100.9');
        assert.equal(r.status, 429);
        assert.ok(Number(r.headers.get('retry-after')) > 800);
    });
});

describe('API tokens end with the password', () => {
    const bearer = (token) => new Client(srv, { token }).get('/api/v1/me');
    const history = (id) => JSON.parse(ok(['history', '--entity', 'api_tokens',
        '--id', id, '--format', 'json', '--db', ws.db]).stdout);

    test('POST /api/v1/me/password revokes every token of the user, audited', async () => {
        const u = userOf('cs_manager');
        const c = await as(srv, ws, 'cs_manager');
        const api = await c.post('/api/v1/tokens');
        assert.equal(api.status, 201, api.text);
        const cli = ok(['token', 'create', '--user', u.id, '--db', ws.db]);
        const cliId = cli.stderr.match(/token (tok-[0-9a-f]+)/)[1];
        assert.equal((await bearer(api.json.token)).status, 200);
        assert.equal((await bearer(cli.stdout.trim())).status, 200);
        const r = await c.post('/api/v1/me/password',
            { current_password: PASSWORD, new_password: 'a-new-secret-2' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await bearer(api.json.token)).status, 401);
        assert.equal((await bearer(cli.stdout.trim())).status, 401);
        const list = await c.get('/api/v1/tokens');
        for (const id of [api.json.id, cliId])
            assert.ok(list.json.items.find((x) => x.id === id).revoked_at, id);
        const revoke = history(api.json.id).find((e) => e.action === 'token_revoke');
        assert.ok(revoke, 'the revocation is audited');
        assert.equal(revoke.actor, u.id);
    });

    test('a user admin setting the password revokes that user\'s tokens only', async () => {
        const admin = await as(srv, ws, 'admin');
        const csm = userOf('csm');
        const theirs = await admin.post('/api/v1/tokens', { user_id: csm.id });
        const mine = await admin.post('/api/v1/tokens');
        assert.equal((await bearer(theirs.json.token)).status, 200);
        const r = await admin.post(`/api/v1/users/${csm.id}/password`,
            { new_password: 'set-by-admin-1' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await bearer(theirs.json.token)).status, 401);
        assert.equal((await bearer(mine.json.token)).status, 200);
    });

    test('`closeloop user passwd` revokes them too', async () => {
        const u = userOf('marketing');
        const out = ok(['token', 'create', '--user', u.id, '--db', ws.db]);
        assert.equal((await bearer(out.stdout.trim())).status, 200);
        const set = ok(['user', 'passwd', u.id, '--db', ws.db],
            { input: 'changed-on-cli-1\n' });
        assert.match(set.stdout, /1 API token revoked/);
        assert.equal((await bearer(out.stdout.trim())).status, 401);
    });
});

describe('coaching items', () => {
    test('another AE\'s item and no item answer the same 404', async () => {
        const other = new Client(srv);
        await other.login(ws.users.find((x) => x.id === 'u-ae-2').email);
        const hidden = await other.get('/api/v1/coaching/900');
        const missing = await other.get('/api/v1/coaching/901');
        assert.equal(hidden.status, 404);
        assert.equal(missing.status, 404);
        assert.deepEqual(hidden.json,
            JSON.parse(missing.text.replace('901', '900')));
        assert.equal((await other.get('/api/v1/coaching/x')).status, 404);
        const sm2 = new Client(srv);
        await sm2.login(ws.users.find((x) => x.id === 'u-sales-manager-2').email);
        assert.equal((await sm2.get('/api/v1/coaching/900')).status, 404);
        // Its AE still opens it; a role that sees no coaching at all is
        // refused whatever the id.
        const ae = new Client(srv);
        await ae.login(ws.users.find((x) => x.id === 'u-ae-1').email);
        assert.equal((await ae.get('/api/v1/coaching/900')).status, 200);
        const cs = await as(srv, ws, 'vp_cs');
        assert.equal((await cs.get('/api/v1/coaching/900')).status, 403);
        assert.equal((await cs.get('/api/v1/coaching/901')).status, 403);
    });
});

test('the audit entry of a token whose user id holds a quote and a backslash is JSON', async () => {
    const id = 'q"x\\y';
    ok(['user', 'add', '--id', id, '--email', 'quote@example.com', '--name',
        'Q', '--role', 'csm', '--db', ws.db], { input: 'a-password-12\n' });
    const admin = await as(srv, ws, 'admin');
    const r = await admin.post('/api/v1/tokens', { user_id: id });
    assert.equal(r.status, 201, r.text);
    const entries = JSON.parse(ok(['history', '--entity', 'api_tokens', '--id',
        r.json.id, '--format', 'json', '--db', ws.db]).stdout);
    const created = entries.find((e) => e.action === 'token_create');
    assert.deepEqual(created.new, { id: r.json.id, user_id: id });
});
