// api.test.mjs - the JSON API against the real server on a demo workspace:
// every endpoint's happy path and its errors (bad JSON, unknown fields,
// wrong types, stale and missing If-Match, missing CSRF token, oversized
// body, 401, 403, 404, 405), the OpenAPI document, sign-in and tokens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client, as, demoWorkspace, sql, startServer, today } from
    './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv, revops, csm;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    csm = await as(srv, ws, 'csm');
});

// The server of the whole file stops when its tests are done.
after(() => srv?.stop());

describe('meta', () => {
    test('hello answers without credentials and keeps the connection', async () => {
        const r = await new Client(srv).get('/api/v1/hello');
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, { hello: 'closeloop' });
        assert.notEqual(r.headers.get('connection'), 'close');
    });

    test('unknown routes are 404 and wrong methods 405, as JSON errors', async () => {
        let r = await revops.get('/api/v1/nothing-here');
        assert.equal(r.status, 404);
        assert.equal(r.json.error.code, 'not_found');
        r = await revops.req('DELETE', '/api/v1/accounts');
        assert.equal(r.status, 405);
        assert.ok('field' in r.json.error && 'message' in r.json.error);
    });

    test('every request leaves an access log line', async () => {
        await revops.get('/api/v1/hello');
        assert.match(srv.stderr(), /^GET \/api\/v1\/hello 200 \d+ \d+us$/m);
    });
});

describe('OpenAPI', () => {
    // The endpoints the web UI relies on: each must be documented.
    const expected = [
        'POST /api/v1/auth/login', 'POST /api/v1/auth/logout',
        'GET /api/v1/me', 'GET /api/v1/accounts',
        'GET /api/v1/accounts/{id}', 'GET /api/v1/accounts/{id}/page',
        'PATCH /api/v1/accounts/{id}', 'PUT /api/v1/deals/{id}',
        'POST /api/v1/holidays', 'GET /api/v1/deals', 'GET /api/v1/churns',
        'GET /api/v1/recoveries', 'GET /api/v1/reviews', 'GET /api/v1/users',
        'POST /api/v1/users', 'GET /api/v1/tasks',
        'POST /api/v1/tasks/{id}/done', 'GET /api/v1/inbox',
        'POST /api/v1/inbox/{id}/read', 'POST /api/v1/inbox/read',
        'GET /api/v1/sessions',
        'GET /api/v1/sessions/{id}', 'POST /api/v1/sessions/{id}/close',
        'POST /api/v1/sessions', 'POST /api/v1/sessions/schedule',
        'GET /api/v1/sessions/next',
        'POST /api/v1/sessions/{id}/change',
        'POST /api/v1/sessions/{id}/decisions',
        'POST /api/v1/changes/{id}/checkin', 'GET /api/v1/coaching',
        'GET /api/v1/coaching/{id}', 'POST /api/v1/churns/{id}/tag',
        'POST /api/v1/deals/{id}/review', 'POST /api/v1/deals/{id}/kickoff',
        'POST /api/v1/recoveries/{id}/classify',
        'GET /api/v1/audit/{entity}/{id}', 'GET /api/v1/reports',
        'GET /api/v1/reports/{name}', 'GET /api/v1/reports/{name}/trend',
        'GET /api/v1/settings/taxonomy',
        'PATCH /api/v1/settings/taxonomy/{code}',
        'POST /api/v1/settings/taxonomy', 'GET /api/v1/settings/config/keys',
        'GET /api/v1/settings/thresholds',
        'PATCH /api/v1/settings/thresholds/{key}',
        'GET /api/v1/settings/config', 'PATCH /api/v1/settings/config',
        'GET /api/v1/people', 'POST /api/v1/people',
        'POST /api/v1/people/{id}/invite', 'POST /api/v1/people/{id}/reset',
        'POST /api/v1/people/{id}/deactivate',
        'POST /api/v1/people/{id}/activate', 'POST /api/v1/auth/link',
        'POST /api/v1/auth/link/accept',
    ];

    test('documents every route the UI uses', async () => {
        const r = await new Client(srv).get('/api/v1/openapi.json');
        assert.equal(r.status, 200);
        assert.equal(r.json.openapi, '3.0.3');
        for (const e of expected) {
            const [m, p] = e.split(' ');
            assert.ok(r.json.paths[p]?.[m.toLowerCase()], `${e} documented`);
        }
    });

    test('every documented operation exists on the server', async () => {
        const doc = (await new Client(srv).get('/api/v1/openapi.json')).json;
        let n = 0;
        for (const [p, item] of Object.entries(doc.paths)) {
            const url = p.replace(/\{[a-z]+\}/g, 'zz-none');
            for (const m of Object.keys(item)) {
                const r = await new Client(srv).req(m.toUpperCase(), url);
                assert.notEqual(r.status, 405, `${m} ${p}`);
                assert.ok(!(r.status === 404 &&
                    /^no route/.test(r.json?.error?.message ?? '')),
                    `${m} ${p} routed`);
                const op = item[m];
                assert.ok(op.summary && op.responses, `${m} ${p} described`);
                for (const prm of (p.match(/\{([a-z]+)\}/g) ?? []))
                    assert.ok(op.parameters.some((x) =>
                        `{${x.name}}` === prm), `${p} names ${prm}`);
                n++;
            }
        }
        assert.ok(n >= 60, `${n} operations`);
    });
});

describe('sign-in', () => {
    test('without credentials every API route is 401', async () => {
        for (const p of ['/api/v1/me', '/api/v1/accounts', '/api/v1/inbox',
            '/api/v1/reports/bad-fit']) {
            const r = await new Client(srv).get(p);
            assert.equal(r.status, 401, p);
            assert.equal(r.json.error.code, 'unauthenticated');
        }
    });

    test('a wrong password is 401 and says nothing of which part was wrong', async () => {
        const u = ws.users.find((x) => x.role === 'vp_cs');
        const a = await new Client(srv).login(u.email, 'wrong-password');
        const b = await new Client(srv).login('nobody@example.com', 'x');
        assert.equal(a.status, 401);
        assert.equal(b.status, 401);
        assert.equal(a.json.error.message, b.json.error.message);
    });

    test('the session cookie is HttpOnly, SameSite=Strict, not Secure over plain HTTP', async () => {
        const c = await as(srv, ws, 'vp_cs');
        assert.match(c.setCookie, /HttpOnly/);
        assert.match(c.setCookie, /SameSite=Strict/);
        assert.doesNotMatch(c.setCookie, /Secure/);
        const me = await c.get('/api/v1/me');
        assert.equal(me.json.role, 'vp_cs');
        assert.equal(me.json.csrf_token, c.csrf);
    });

    test('an untrusted X-Forwarded-Proto does not make the cookie Secure', async () => {
        const u = ws.users.find((x) => x.role === 'vp_cs');
        const r = await new Client(srv).req('POST', '/api/v1/auth/login', {
            body: { email: u.email, password: 'demo-pass-1' },
            headers: { 'x-forwarded-proto': 'https' },
        });
        assert.doesNotMatch(r.headers.get('set-cookie'), /Secure/);
    });

    test('a cookie write without the CSRF token is 403; with it, it works', async () => {
        const c = await as(srv, ws, 'revops');
        const r = await c.post('/api/v1/sessions/1/decisions',
            { text: 'no token' }, { csrf: false });
        assert.equal(r.status, 403);
        assert.equal(r.json.error.code, 'csrf');
        assert.equal(r.json.error.field, 'X-CSRF-Token');
        const bad = await c.req('POST', '/api/v1/sessions/1/decisions', {
            body: { text: 'wrong token' }, csrf: false,
            headers: { 'x-csrf-token': 'f'.repeat(64) },
        });
        assert.equal(bad.status, 403);
    });

    test('sign-out ends the session', async () => {
        const c = await as(srv, ws, 'marketing');
        assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
        assert.equal((await c.get('/api/v1/me')).status, 401);
    });

    test('bearer tokens: created once by the CLI, need no CSRF, revoked at once', async () => {
        const u = ws.users.find((x) => x.role === 'revops');
        const r = ok(['token', 'create', '--user', u.id, '--db', ws.db]);
        const token = r.stdout.trim();
        const id = r.stderr.match(/token (tok-[0-9a-f]+)/)[1];
        assert.match(token, /^clt_[0-9a-f]{64}$/);
        assert.equal(sql(ws.db,
            `SELECT count(*) FROM api_tokens WHERE token_hash LIKE '%${token.slice(4, 20)}%'`), '0',
            'only the hash is stored');
        const c = new Client(srv, { token });
        assert.equal((await c.get('/api/v1/me')).json.id, u.id);
        const w = await c.post('/api/v1/sessions/1/decisions',
            { text: 'Decided over the API' });
        assert.equal(w.status, 200);
        ok(['token', 'revoke', id, '--db', ws.db]);
        assert.equal((await c.get('/api/v1/me')).status, 401);
    });
});

describe('bodies', () => {
    test('bad JSON is 400 bad_json', async () => {
        const r = await csm.post('/api/v1/churns/c-000019/tag', '{"primary_cause": ');
        assert.equal(r.status, 400);
        assert.equal(r.json.error.code, 'bad_json');
    });

    test('an unknown field is 400 naming it', async () => {
        const r = await csm.post('/api/v1/churns/c-000019/tag',
            { primary_cause: 'icp_miss', colour: 'red' });
        assert.equal(r.status, 400);
        assert.equal(r.json.error.code, 'unknown_field');
        assert.equal(r.json.error.field, 'colour');
    });

    test('a wrong type is 400 naming the field', async () => {
        const r = await csm.post('/api/v1/churns/c-000019/tag',
            { primary_cause: 7 });
        assert.equal(r.status, 400);
        assert.equal(r.json.error.code, 'wrong_type');
        assert.equal(r.json.error.field, 'primary_cause');
        const l = await csm.post('/api/v1/churns/c-000019/tag',
            { primary_cause: 'icp_miss', contributing_causes: 'a;b' });
        assert.equal(l.json.error.field, 'contributing_causes');
    });

    test('a missing required field is 400 naming it', async () => {
        const r = await csm.post('/api/v1/churns/c-000019/tag', {});
        assert.equal(r.status, 400);
        assert.equal(r.json.error.field, 'primary_cause');
    });

    test('a body over 1 MiB is 413', async () => {
        const big = JSON.stringify({ text: 'x'.repeat(1100 * 1024) });
        const r = await revops.post('/api/v1/sessions/1/decisions', big);
        assert.equal(r.status, 413);
        assert.equal(r.json.error.code, 'body_too_large');
    });
});

describe('records', () => {
    test('lists filter by field, page with limit and offset, count the total', async () => {
        const all = await revops.get('/api/v1/accounts?limit=5');
        assert.equal(all.status, 200);
        assert.equal(all.json.items.length, 5);
        assert.equal(all.json.total, 600);
        const next = await revops.get('/api/v1/accounts?limit=5&offset=5');
        assert.notEqual(next.json.items[0].id, all.json.items[0].id);
        const cust = await revops.get('/api/v1/accounts?status=churned&limit=1000');
        assert.ok(cust.json.total > 0 && cust.json.total < 600);
        assert.ok(cust.json.items.every((a) => a.status === 'churned'));
        assert.equal(cust.json.items.length, cust.json.total);
        const bad = await revops.get('/api/v1/accounts?colour=red');
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.field, 'colour');
        const lim = await revops.get('/api/v1/accounts?limit=-1');
        assert.equal(lim.json.error.field, 'limit');
    });

    test('read gives an ETag; unknown ids are 404', async () => {
        const r = await revops.get('/api/v1/accounts/a-000001');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('etag'), /^"[0-9a-f]{16}"$/);
        assert.equal((await revops.get('/api/v1/accounts/a-nope')).status, 404);
    });

    test('update needs If-Match: 428 without, 412 stale, 200 current', async () => {
        const r = await revops.get('/api/v1/accounts/a-000002');
        const etag = r.headers.get('etag');
        const none = await revops.patch('/api/v1/accounts/a-000002', { region: 'APAC' });
        assert.equal(none.status, 428);
        const good = await revops.patch('/api/v1/accounts/a-000002',
            { region: 'APAC' }, { headers: { 'if-match': etag } });
        assert.equal(good.status, 200);
        assert.equal(good.json.region, 'APAC');
        assert.notEqual(good.headers.get('etag'), etag);
        const stale = await revops.patch('/api/v1/accounts/a-000002',
            { region: 'EMEA' }, { headers: { 'if-match': etag } });
        assert.equal(stale.status, 412);
        assert.equal((await revops.get('/api/v1/accounts/a-000002')).json.region, 'APAC');
        // The change is audited under the signed-in user.
        const audit = await revops.get('/api/v1/audit/accounts/a-000002');
        const last = audit.json.items.at(-1);
        assert.equal(last.actor, revops.user.id);
        assert.equal(last.new.region, 'APAC');
    });

    test('PUT replaces the record; its key cannot change; values follow the import rules', async () => {
        const r = await revops.get('/api/v1/accounts/a-000003');
        const etag = r.headers.get('etag');
        const rec = { ...r.json, employees: 77 };
        const put = await revops.put('/api/v1/accounts/a-000003', rec,
            { headers: { 'if-match': etag } });
        assert.equal(put.status, 200);
        assert.equal(put.json.employees, 77);
        const key = await revops.put('/api/v1/accounts/a-000003',
            { ...rec, id: 'a-other' },
            { headers: { 'if-match': put.headers.get('etag') } });
        assert.equal(key.status, 400);
        assert.equal(key.json.error.field, 'id');
        const bad = await revops.patch('/api/v1/accounts/a-000003',
            { customer_since: '2026-13-40' },
            { headers: { 'if-match': put.headers.get('etag') } });
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.field, 'customer_since');
        const ref = await revops.patch('/api/v1/accounts/a-000003',
            { csm_id: 'u-nobody' },
            { headers: { 'if-match': put.headers.get('etag') } });
        assert.equal(ref.status, 400);
        assert.equal(ref.json.error.field, 'csm_id');
    });

    test('create is 201, a second create of the same key 409', async () => {
        const h = { on: '2026-12-24', name: 'Christmas Eve' };
        const r = await revops.post('/api/v1/holidays', h);
        assert.equal(r.status, 201);
        assert.deepEqual(r.json, h);
        assert.equal((await revops.post('/api/v1/holidays', h)).status, 409);
        const miss = await revops.post('/api/v1/holidays', { on: '2026-12-31' });
        assert.equal(miss.status, 400);
        assert.equal(miss.json.error.field, 'name');
    });

    test('a user created over the API can be read back; roles are checked', async () => {
        const admin = await as(srv, ws, 'admin');
        const u = { id: 'u-new-1', name: 'New Person',
            email: 'new.person@example.com', role: 'csm',
            manager_id: 'u-cs-manager-1', team: null };
        const r = await admin.post('/api/v1/users', u);
        assert.equal(r.status, 201);
        const bad = await admin.post('/api/v1/users', { ...u, id: 'u-new-2', role: 'boss' });
        assert.equal(bad.json.error.field, 'role');
    });
});

describe('the account page', () => {
    test('account, deals, won-deal review, health, churn with its tag, recoveries, audit in one call', async () => {
        const acct = sql(ws.db, "SELECT account_id FROM churns WHERE primary_cause IS NOT NULL ORDER BY id LIMIT 1");
        const r = await revops.get(`/api/v1/accounts/${acct}/page`);
        assert.equal(r.status, 200);
        for (const k of ['account', 'deals', 'won_deal_review', 'health',
            'churn', 'recoveries', 'audit'])
            assert.ok(k in r.json, k);
        assert.equal(r.json.account.id, acct);
        assert.ok(r.json.deals.length >= 1);
        assert.ok(r.json.deals.every((d) => d.account_id === acct));
        assert.ok(r.json.churn.tag.label, 'the tag carries its label');
        assert.ok(r.json.audit.some((e) => e.entity === 'accounts'));
        assert.equal((await revops.get('/api/v1/accounts/a-none/page')).status, 404);
    });
});

describe('actions through the engine', () => {
    test('a CSM tags a churn with a deal-attributable cause: the AE is notified and a debrief task opens', async () => {
        const [churn, deal, ae] = sql(ws.db,
            "SELECT c.id, d.id, d.ae_id FROM churns c JOIN deals d ON d.id = c.deal_id " +
            "WHERE c.primary_cause IS NULL AND d.ae_id IS NOT NULL ORDER BY c.id LIMIT 1").split('|');
        assert.ok(deal);
        const r = await csm.post(`/api/v1/churns/${churn}/tag`, {
            primary_cause: 'feature_overpromise',
            contributing_causes: ['icp_miss'],
            stated_reason: 'It never did what we were told it would.',
            diagnosis: 'Promised a custom integration that does not exist.',
            predictive_behavior: 'Asked three times about the integration before signing.',
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.primary_cause, 'feature_overpromise');
        assert.equal(r.json.contributing_causes, 'icp_miss');
        const aeUser = ws.users.find((u) => u.id === ae);
        const c = new Client(srv);
        await c.login(aeUser.email);
        const inbox = await c.get('/api/v1/inbox');
        const note = inbox.json.items.find((m) => m.subject_id === churn);
        assert.ok(note, 'the AE has the notification');
        assert.equal(note.unread, true);
        const tasks = await c.get('/api/v1/tasks?kind=debrief');
        const debrief = tasks.json.items.find((t) => t.subject_id === churn);
        assert.ok(debrief);
        // The task names its people, as the inbox shows them.
        const attendees = debrief.attendees.split(';');
        assert.equal(debrief.attendee_names.length, attendees.length);
        for (const [i, id] of attendees.entries()) {
            const name = sql(ws.db, `SELECT name FROM users WHERE id = '${id}'`);
            assert.equal(debrief.attendee_names[i], name);
        }
        assert.equal(debrief.assignee_name,
            sql(ws.db, `SELECT name FROM users WHERE id = '${debrief.assignee_id}'`));
        // The notification and the task name the churned account.
        const [account, accountName] = sql(ws.db, "SELECT a.id, a.name FROM churns c " +
            `JOIN accounts a ON a.id = c.account_id WHERE c.id = '${churn}'`).split('|');
        for (const x of [note, debrief]) {
            assert.equal(x.account_id, account);
            assert.equal(x.account_name, accountName);
        }
        const read = await c.post(`/api/v1/inbox/${note.id}/read`);
        assert.equal(read.status, 200);
        assert.equal(read.json.unread, false);
        // Someone else's message is not there to read.
        assert.equal((await csm.post(`/api/v1/inbox/${note.id}/read`)).status, 404);
        // Mark all read: every unread message of the caller, and no one else's.
        const csmUnread = (await csm.get('/api/v1/inbox')).json.unread;
        const unread = (await c.get('/api/v1/inbox')).json.unread;
        assert.ok(unread > 0, 'the AE has more unread messages (the manager copy, flags)');
        const all = await c.post('/api/v1/inbox/read');
        assert.equal(all.status, 200, all.text);
        assert.deepEqual(all.json, { marked: unread, unread: 0 });
        assert.equal((await c.get('/api/v1/inbox')).json.unread, 0);
        assert.equal((await c.post('/api/v1/inbox/read')).json.marked, 0);
        assert.equal((await csm.get('/api/v1/inbox')).json.unread, csmUnread);
        const unknown = await csm.post(`/api/v1/churns/${churn}/tag`,
            { primary_cause: 'no_such_cause' });
        assert.equal(unknown.status, 400);
    });

    test('a won-deal review is recorded; generic answers are flagged; kickoff follows', async () => {
        const deal = sql(ws.db,
            "SELECT d.id FROM deals d WHERE d.stage = 'closed_won' AND d.kickoff_on IS NULL " +
            "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.deal_id = d.id) ORDER BY d.id LIMIT 1");
        const early = await csm.post(`/api/v1/deals/${deal}/kickoff`, {});
        assert.equal(early.status, 409, 'no kickoff before the review');
        const answers = {
            q1: 'Their month-end reporting took four days.',
            q2: 'The COO promised the board a one-day close.',
            q3: 'Security review of the SSO set-up.',
            q4: 'Onboarding in three weeks; a Salesforce sync.',
            q5: 'Close in one day by the end of Q1.',
            q6: 'Only one admin knows the tool.',
            q7: 'n/a',
            gut_read: 'neutral',
        };
        const r = await csm.post(`/api/v1/deals/${deal}/review`, answers);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.q2, answers.q2);
        const missing = await csm.post(`/api/v1/deals/${deal}/review`, { q1: 'x' });
        assert.equal(missing.status, 400);
        const k = await csm.post(`/api/v1/deals/${deal}/kickoff`, { held_on: today() });
        assert.equal(k.status, 200, k.text);
        assert.equal(k.json.kickoff_on, today());
        const badDay = await csm.post(`/api/v1/deals/${deal}/kickoff`, { held_on: '2026-02-30' });
        assert.equal(badDay.json.error.field, 'held_on');
    });

    test('kickoff gate: a PATCH of kickoff_on before the review\'s held_on is refused naming the field', async () => {
        const deal = sql(ws.db,
            "SELECT d.id FROM deals d WHERE d.stage = 'closed_won' AND d.kickoff_on IS NULL " +
            "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.deal_id = d.id) ORDER BY d.id LIMIT 1");
        const answers = {
            held_on: '2026-11-10',
            q1: 'Board asked for a churn number by Q3.', q2: 'Marco owns the NRR target.',
            q3: 'Legal held the DPA for three weeks.', q4: 'SSO with Okta by 1 April.',
            q5: 'Renews if churn falls below 10%.', q6: 'No exec sponsor since March.',
            q7: 'Expands to 60 seats in Q2.', gut_read: 'positive',
        };
        const r = await csm.post(`/api/v1/deals/${deal}/review`, answers);
        assert.equal(r.status, 200, r.text);
        const read = async () => (await revops.get(`/api/v1/deals/${deal}`)).headers.get('etag');
        const before = await revops.patch(`/api/v1/deals/${deal}`, { kickoff_on: '2026-11-09' },
            { headers: { 'if-match': await read() } });
        assert.equal(before.status, 409, before.text);
        assert.equal(before.json.error.field, 'kickoff_on');
        assert.match(before.json.error.message, /kickoff_on: 2026-11-09 is before the won-deal review of the deal with [^(]+ \(held on 2026-11-10\)/);
        assert.doesNotMatch(before.json.error.message, /\n/);
        // The kickoff route takes the override, audited; the same day passes the record API.
        const ov = await csm.post(`/api/v1/deals/${deal}/kickoff`,
            { held_on: '2026-11-09', override_reason: 'Customer started early' });
        assert.equal(ov.status, 200, ov.text);
        const same = await revops.patch(`/api/v1/deals/${deal}`, { kickoff_on: '2026-11-10' },
            { headers: { 'if-match': await read() } });
        assert.equal(same.status, 200, same.text);
        assert.equal(same.json.kickoff_on, '2026-11-10');
    });

    test('a recovery is classified', async () => {
        const id = sql(ws.db, 'SELECT id FROM recoveries ORDER BY id LIMIT 1');
        const r = await csm.post(`/api/v1/recoveries/${id}/classify`,
            { recovery_type: 'timing', cs_intervention: 'Kept in touch each quarter.',
              what_changed: 'Budget freed up.' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.recovery_type, 'timing');
        const bad = await csm.post(`/api/v1/recoveries/${id}/classify`,
            { recovery_type: 'luck' });
        assert.equal(bad.status, 400);
    });

    // Issue 14: a recovery CS did not lead stays on record and leaves the
    // recovery review (classify and the record PATCH alike).
    test('rule: a recovery marked not CS-led leaves the recovery review', async () => {
        const id = sql(ws.db, 'SELECT id FROM recoveries ORDER BY id LIMIT 1');
        const period = (d) => `${d.slice(0, 4)}Q${Math.floor((Number(d.slice(5, 7)) + 2) / 3)}`;
        const report = async (p) => (await revops.get(`/api/v1/reports/recovery?period=${p}`)).json;
        const r = await csm.post(`/api/v1/recoveries/${id}/classify`,
            { recovery_type: 'timing', cs_intervention: 'None.', what_changed: 'Budget.',
              cs_led: false });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.cs_led, false);
        const q = period(r.json.logged_on);
        const before = await report(q);
        assert.ok(before.not_cs_led >= 1);
        const etag = (await revops.get(`/api/v1/recoveries/${id}`)).headers.get('etag');
        const p = await revops.patch(`/api/v1/recoveries/${id}`, { cs_led: true },
            { headers: { 'if-match': etag } });
        assert.equal(p.status, 200, p.text);
        assert.equal(p.json.cs_led, true);
        const after = await report(q);
        assert.equal(after.not_cs_led, before.not_cs_led - 1);
        assert.equal(after.recoveries, before.recoveries + 1);
    });

    test('the debrief: a decision, its one process change, the check-in, closing', async () => {
        const s = (await revops.get('/api/v1/sessions?status=open')).json.items
            .find((x) => x.kind === 'monthly_debrief');
        assert.ok(s, 'an open debrief');
        const early = await revops.post(`/api/v1/sessions/${s.id}/close`);
        assert.equal(early.status, 409, 'no close without the process change');
        const d = await revops.post(`/api/v1/sessions/${s.id}/decisions`,
            { text: 'Qualify integrations before the demo.' });
        assert.ok(d.json.decisions.includes('Qualify integrations before the demo.'));
        const owner = ws.users.find((u) => u.role === 'sales_manager');
        const pc = await revops.post(`/api/v1/sessions/${s.id}/change`,
            { owner_id: owner.id, description: 'Integration question in discovery.' });
        assert.equal(pc.status, 201, pc.text);
        assert.equal(pc.json.owner_id, owner.id);
        const csmTry = await csm.post(`/api/v1/changes/${pc.json.id}/checkin`,
            { note: 'not mine' });
        assert.equal(csmTry.status, 403);
        const c = new Client(srv);
        await c.login(owner.email);
        const ci = await c.post(`/api/v1/changes/${pc.json.id}/checkin`,
            { note: 'In the discovery template since week 2.' });
        assert.equal(ci.status, 200, ci.text);
        assert.ok(ci.json.checkin_on);
        const closed = await revops.post(`/api/v1/sessions/${s.id}/close`);
        assert.equal(closed.status, 200, closed.text);
        const full = await revops.get(`/api/v1/sessions/${s.id}`);
        assert.equal(full.json.status, 'closed');
        assert.ok(full.json.pack, 'the session keeps its pack');
        const changes = await revops.get('/api/v1/changes');
        assert.ok(changes.json.items.some((x) => x.id === pc.json.id));
    });

    test('a task is marked done by its assignee, once', async () => {
        // Not a check-in: that is recorded with its health reading (issue 14).
        const t = (await csm.get('/api/v1/tasks?status=open')).json.items
            .find((x) => !x.kind.startsWith('review_checkin_'));
        assert.ok(t, 'the CSM has open work');
        assert.equal(t.assignee_id, csm.user.id);
        const r = await csm.post(`/api/v1/tasks/${t.id}/done`);
        assert.equal(r.status, 200);
        assert.equal(r.json.status, 'done');
        assert.equal((await csm.post(`/api/v1/tasks/${t.id}/done`)).status, 409);
        assert.equal((await csm.get('/api/v1/tasks/999999')).status, 404);
    });

    test('a task reminder names the account of the task it is about', async () => {
        // The first tick reminded CSMs of won-deal reviews due soon.
        const [user, task] = sql(ws.db, "SELECT recipient_id, subject_id FROM outbox " +
            "WHERE channel = 'inbox' AND kind = 'task_reminder' AND subject_kind = 'task' " +
            'ORDER BY id LIMIT 1').split('|');
        assert.ok(task, 'the demo has a task reminder');
        const [account, name] = sql(ws.db, 'SELECT a.id, a.name FROM tasks t ' +
            "JOIN deals d ON t.subject_kind = 'deal' AND d.id = t.subject_id " +
            `JOIN accounts a ON a.id = d.account_id WHERE t.id = ${task}`).split('|');
        const c = new Client(srv);
        await c.login(ws.users.find((u) => u.id === user).email);
        const note = (await c.get('/api/v1/inbox?limit=500')).json.items.find(
            (m) => m.kind === 'task_reminder' && m.subject_id === task);
        assert.equal(note.account_id, account);
        assert.equal(note.account_name, name);
    });

    test('tasks come overdue first, with due dates', async () => {
        const r = await revops.get('/api/v1/tasks?assignee=*&status=open&limit=1000');
        const due = r.json.items.map((t) => t.due_on);
        assert.deepEqual(due, [...due].sort());
        const firstNotOverdue = r.json.items.findIndex((t) => !t.overdue);
        if (firstNotOverdue >= 0)
            assert.ok(r.json.items.slice(firstNotOverdue).every((t) => !t.overdue));
    });
});

describe('reports', () => {
    test('the same JSON as the CLI', async () => {
        for (const [name, period] of [['bad-fit', '2026Q3'], ['monthly', '2026-10'],
            ['icp', '2026Q3'], ['recovery', '2026Q3'], ['health', null]]) {
            const q = period ? `?period=${period}` : '';
            const r = await revops.get(`/api/v1/reports/${name}${q}`);
            assert.equal(r.status, 200, `${name}: ${r.text}`);
            const args = ['report', name, '--db', ws.db];
            if (period)
                args.push('--period', period);
            // RevOps reads every review's gut read, so its ICP review has
            // the Q7 segments and patterns: the CLI's private view.
            if (name === 'icp')
                args.push('--private');
            const cli = JSON.parse(ok(args).stdout);
            assert.deepEqual(r.json, cli, name);
        }
        // Marketing may not count on Q7: the team view, as the CLI's
        // default.
        const m = await as(srv, ws, 'marketing');
        const team = await m.get('/api/v1/reports/icp?period=2026Q3');
        assert.deepEqual(team.json, JSON.parse(ok(['report', 'icp', '--db',
            ws.db, '--period', '2026Q3']).stdout));
    });

    test('bad periods and unknown reports are refused', async () => {
        const r = await revops.get('/api/v1/reports/bad-fit?period=2026-07');
        assert.equal(r.status, 400);
        assert.equal(r.json.error.field, 'period');
        assert.equal((await revops.get('/api/v1/reports/nope')).status, 404);
    });

    test('a report downloads as the CLI\'s CSV, Markdown or HTML file, named by its period', async () => {
        for (const [fmt, type] of [['csv', 'text/csv'], ['md', 'text/markdown'],
            ['html', 'text/html']]) {
            const r = await revops.get(`/api/v1/reports/bad-fit?period=2026Q3&format=${fmt}`);
            assert.equal(r.status, 200, fmt);
            assert.match(r.headers.get('content-type'), new RegExp(`^${type}`));
            assert.equal(r.headers.get('content-disposition'),
                `attachment; filename="closeloop-bad-fit-2026Q3.${fmt}"`);
            const cli = ok(['report', 'bad-fit', '--period', '2026Q3', '--format',
                fmt, '--db', ws.db]).stdout;
            assert.equal(r.text, cli, fmt);
        }
        const bad = await revops.get('/api/v1/reports/bad-fit?format=xlsx');
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.field, 'format');
        // The download is the report: a role that may not read it gets 403.
        const m = await as(srv, ws, 'marketing');
        assert.equal((await m.get('/api/v1/reports/pipeline?format=csv')).status, 403);
    });

    test('a change to the workspace shows in the next report', async () => {
        const before = (await revops.get('/api/v1/reports/health')).json;
        const cli1 = JSON.parse(ok(['report', 'health', '--db', ws.db]).stdout);
        assert.deepEqual(before, cli1);
        const churn = sql(ws.db, 'SELECT id FROM churns WHERE primary_cause IS NULL ORDER BY id LIMIT 1');
        await csm.post(`/api/v1/churns/${churn}/tag`, { primary_cause: 'product_deficiency' });
        const after = (await revops.get('/api/v1/reports/health')).json;
        const cli2 = JSON.parse(ok(['report', 'health', '--db', ws.db]).stdout);
        assert.deepEqual(after, cli2);
    });
});

describe('settings', () => {
    test('RevOps edits a cause label with If-Match; others may read but not write', async () => {
        const t = await revops.get('/api/v1/settings/taxonomy');
        const cause = t.json.items[0];
        assert.ok(cause.definition);
        const none = await revops.patch(`/api/v1/settings/taxonomy/${cause.code}`, { label: 'X' });
        assert.equal(none.status, 428);
        const r = await revops.patch(`/api/v1/settings/taxonomy/${cause.code}`,
            { label: 'Wrong customer profile' }, { headers: { 'if-match': cause.etag } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.label, 'Wrong customer profile');
        const stale = await revops.patch(`/api/v1/settings/taxonomy/${cause.code}`,
            { label: 'Again' }, { headers: { 'if-match': cause.etag } });
        assert.equal(stale.status, 412);
        assert.equal((await csm.get('/api/v1/settings/taxonomy')).status, 200);
        const no = await csm.patch(`/api/v1/settings/taxonomy/${cause.code}`,
            { label: 'Mine' }, { headers: { 'if-match': r.headers.get('etag') } });
        assert.equal(no.status, 403);
    });

    test('thresholds and delivery settings', async () => {
        const th = (await revops.get('/api/v1/settings/thresholds')).json.items
            .find((x) => x.key === 'champion_tenure_months');
        const r = await revops.patch(`/api/v1/settings/thresholds/${th.key}`,
            { value: th.value + 1 }, { headers: { 'if-match': th.etag } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.value, th.value + 1);
        const wrong = await revops.patch(`/api/v1/settings/thresholds/${th.key}`,
            { value: 'high' }, { headers: { 'if-match': r.headers.get('etag') } });
        assert.equal(wrong.json.error.field, 'value');
        const cfg = await revops.get('/api/v1/settings/config');
        const set = await revops.patch('/api/v1/settings/config',
            { webhook_url: 'http://127.0.0.1:9/hook', webhook_format: 'slack' },
            { headers: { 'if-match': cfg.headers.get('etag') } });
        assert.equal(set.status, 200, set.text);
        assert.equal(set.json.webhook_format, 'slack');
        const bad = await revops.patch('/api/v1/settings/config',
            { webhook_format: 'xml' }, { headers: { 'if-match': set.headers.get('etag') } });
        assert.equal(bad.json.error.field, 'webhook_format');
        assert.equal((await csm.get('/api/v1/settings/config')).status, 403);
    });
});

describe('the server process', () => {
    test('repeated bad sign-ins are 429 with Retry-After, even with the right password', async (t) => {
        const own = demoWorkspace(t);
        const s = await startServer(t, own.db);
        const u = own.users.find((x) => x.role === 'csm');
        for (let i = 0; i < 5; i++)
            assert.equal((await new Client(s).login(u.email, 'nope')).status, 401);
        const r = await new Client(s).login(u.email);
        assert.equal(r.status, 429);
        assert.ok(Number(r.headers.get('retry-after')) > 0);
        // Another account from the same address may still sign in.
        const other = own.users.find((x) => x.role === 'ae');
        assert.equal((await new Client(s).login(other.email)).status, 200);
    });

    test('SIGTERM stops it cleanly after requests in flight', async (t) => {
        const own = demoWorkspace(t);
        const s = await startServer(t, own.db);
        const c = await as(s, own, 'revops');
        const inflight = c.get('/api/v1/reports/bad-fit');
        await new Promise((r) => setTimeout(r, 5));
        const stop = s.stop();
        const r = await inflight.catch((e) => ({ status: String(e) }));
        const { code, signal } = await stop;
        assert.equal(signal, null);
        assert.equal(code, 0);
        assert.match(s.stderr(), /SIGTERM: stopping/);
        assert.match(s.stderr(), /stopped/);
        assert.ok(r.status === 200 || /fetch failed/.test(r.status), String(r.status));
    });
});
