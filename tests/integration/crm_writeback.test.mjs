// The CRM write-back (issue 15): a tagged churn, a recorded won-deal review
// and a health reading PATCHed onto the CRM record through the outbox, to a
// fake HubSpot and a fake Salesforce that check what a real one would
// (method, path, bearer token, body); retries on 500 and 429, a resend
// applied once, nothing sent when it is off or on a dry run.  On SQLite,
// and on PostgreSQL with CLOSELOOP_TEST_PG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { account, churn, cli, cliRun, company, json, outbox,
    wonDeal } from './engine_lib.mjs';
import { start } from './lib.mjs';
import { as, demoWorkspace, startServer } from './api_lib.mjs';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

// A fake CRM API: HubSpot's PATCH /crm/v3/objects/{companies|deals}/{id}
// with {"properties": {...}}, or Salesforce's PATCH
// /services/data/vXX.X/sobjects/{Account|Opportunity}/{Id} with the fields.
// Answers `fail` (e.g. [500, 429]) to the first requests of each
// Idempotency-Key, each after applying it when `applyThenFail`; a key seen
// before is not applied again.  records: what each record holds now.  A
// record whose id starts with `missing` is not the CRM's: 404.
async function fakeCrm(t, kind, { fail = [], applyThenFail = false,
    missing = 'none' } = {}) {
    const requests = [], records = {}, applied = new Map();
    const route = kind === 'hubspot'
        ? /^\/crm\/v3\/objects\/(companies|deals)\/(\d+)$/
        : /^\/services\/data\/v\d\d\.\d\/sobjects\/(Account|Opportunity)\/(\w{15}|\w{18})$/;
    const server = http.createServer((req, res) => {
        let text = '';
        req.on('data', (d) => { text += d; });
        req.on('end', () => {
            const key = req.headers['idempotency-key'];
            const m = req.url.match(route);
            const q = { method: req.method, path: req.url, key,
                auth: req.headers.authorization,
                type: req.headers['content-type'], body: JSON.parse(text) };
            requests.push(q);
            if (req.method !== 'PATCH' || !m ||
                q.auth !== `Bearer ${TOKEN}`) {
                res.writeHead(req.method !== 'PATCH' ? 405 : !m ? 404 : 401);
                return res.end('{"message":"refused"}');
            }
            if (m[2] === missing) {
                res.writeHead(404, { 'Content-Type': 'application/json' });
                return res.end('{"message":"resource not found"}');
            }
            const n = requests.filter((r) => r.key === key).length;
            const status = n <= fail.length ? fail[n - 1] : 200;
            if ((status === 200 || applyThenFail) && !applied.has(key)) {
                const props = kind === 'hubspot' ? q.body.properties : q.body;
                const id = `${m[1]}/${m[2]}`;
                records[id] = { ...(records[id] || {}), ...props };
                applied.set(key, (applied.get(key) || 0) + 1);
            }
            if (status === 429) res.setHeader('Retry-After', '1');
            res.writeHead(status === 200 && kind === 'salesforce' ? 204
                : status, { 'Content-Type': 'application/json' });
            res.end(status === 200 && kind === 'hubspot'
                ? '{"id":"1"}' : status === 200 ? '' : '{"message":"busy"}');
        });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    return { url: `http://127.0.0.1:${server.address().port}`, requests,
        records, applied };
}

// HubSpot ids are digits, Salesforce's 15 or 18 letters and digits.
const IDS = {
    hubspot: { account: '4711', deal: '90210', other: '5000' },
    salesforce: { account: '001Aa000001AbCd', deal: '006Aa000002XyZw',
        other: '001Aa000009Zzzz' },
};

function crmCompany(t, crm) {
    const id = IDS[crm];
    return company(t, {
        accounts: [account(id.account), account(id.other), account('A-local')],
        deals: [wonDeal(id.deal, id.account, 'U3', '2026-05-04', 30000),
            wonDeal('D-local', 'A-local', 'U3', '2026-05-04', 30000)],
        churns: [churn('C1', id.account, id.deal, '2026-06-01'),
            churn('C2', 'A-local', 'D-local', '2026-06-01'),
            churn('C3', id.other, '', '2026-06-01')],
        now: '2026-06-02T09:00',
    });
}

function connect(db, crm, url) {
    cli(db, ['config', 'set', 'crm_writeback', crm]);
    cli(db, ['config', 'set', 'crm_base_url', url]);
    cli(db, ['config', 'set', 'crm_token', TOKEN]);
    cli(db, ['config', 'set', 'retry_base_seconds', '60']);
}

const tag = (db, churnId, cause, now = '2026-06-03T10:00') => cli(db, [
    'churn', 'tag', churnId, '--primary', cause, '--contributing',
    'pricing;poor_service', '--stated', 'Too expensive for what it did',
    '--by', 'U6', '--now', now]);

function review(db, deal, now = '2026-06-04T10:00') {
    cli(db, ['review', 'record', deal, '--held-on', '2026-06-04',
        '--q1', 'Board asked for a churn number by Q3',
        '--q2', 'Marco is up for promotion if churn drops below 8%',
        '--q3', 'Legal held the DPA for three weeks',
        '--q4', 'SSO with Okta live by 1 April',
        '--q5', 'Renews if logo churn falls from 14% to 10%',
        '--q6', 'No exec sponsor since the COO left in February',
        '--q7', 'Expands to 60 seats once EMEA joins in Q2',
        '--gut-read', 'positive', '--by', 'U6', '--now', now]);
}

async function writeback(db, now, ...extra) {
    const { done } = start(['crm', 'writeback', '--now', now, '--db', db,
        ...extra]);
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
}

const dryRun = (db) => json(db, ['crm', 'writeback', '--dry-run']);

// Every private or internal answer of the review above.
const PRIVATE = /Marco|Legal held|Renews if|No exec sponsor|Expands to 60|positive/;

for (const crm of ['hubspot', 'salesforce']) {
    const id = IDS[crm];
    const accountPath = crm === 'hubspot'
        ? `/crm/v3/objects/companies/${id.account}`
        : `/services/data/v60.0/sobjects/Account/${id.account}`;
    const dealPath = crm === 'hubspot'
        ? `/crm/v3/objects/deals/${id.deal}`
        : `/services/data/v60.0/sobjects/Opportunity/${id.deal}`;
    const P = crm === 'hubspot'
        ? (p) => `closeloop_${p}`
        : (p) => `Closeloop_${p.replace(/(^|_)([a-z])/g,
            (_, s, c) => s + c.toUpperCase())}__c`;
    const fields = (body) => (crm === 'hubspot' ? body.properties : body);

    test(`${crm}: a tag and a review are written to the CRM record, ` +
        'only what every CRM user may read', async (t) => {
        const { db } = crmCompany(t, crm);
        const fake = await fakeCrm(t, crm);
        connect(db, crm, fake.url);
        tag(db, 'C1', 'feature_overpromise');
        review(db, id.deal);

        // The dry run lists the requests and sends nothing.
        const dry = dryRun(db);
        assert.deepEqual(dry.map((d) => `${d.method} ${d.url}`),
            [`PATCH ${fake.url}${accountPath}`,
                `PATCH ${fake.url}${dealPath}`]);
        assert.equal(fake.requests.length, 0);

        const out = await writeback(db, '2026-06-04T10:05');
        assert.match(out, /crm writeback: 2 sent, 0 retried, 0 dead/);
        assert.deepEqual(fake.requests.map((q) => `${q.method} ${q.path}`),
            [`PATCH ${accountPath}`, `PATCH ${dealPath}`]);
        for (const q of fake.requests) {
            assert.equal(q.auth, `Bearer ${TOKEN}`);
            assert.equal(q.type, 'application/json');
            assert.ok(q.key);
        }
        assert.deepEqual(fields(fake.requests[0].body), {
            [P('churn_root_cause')]: 'Feature over-promise',
            [P('churn_contributing_causes')]:
                'Pricing; Poor service experience',
            [P('churned_on')]: '2026-06-01',
            [P('churn_tagged_on')]: '2026-06-03',
        });
        // The review: its day, Q1 and Q4; no private or internal answer,
        // and no health score while crm_writeback_health is off.
        assert.deepEqual(fields(fake.requests[1].body), {
            [P('review_held_on')]: '2026-06-04',
            [P('buying_trigger')]: 'Board asked for a churn number by Q3',
            [P('promises')]: 'SSO with Okta live by 1 April',
        });
        assert.doesNotMatch(JSON.stringify(fake.requests), PRIVATE);
        // The dry run's body is what was sent.
        assert.deepEqual(dry.map((d) => d.body),
            fake.requests.map((q) => q.body));
        assert.deepEqual(dryRun(db), []);
        assert.match(await writeback(db, '2026-06-05'), /0 sent/);

        // A record created in closeloop has no CRM record: nothing queued.
        tag(db, 'C2', 'pricing');
        assert.deepEqual(dryRun(db), []);
    });

    test(`${crm}: the health score goes only with crm_writeback_health on`,
        async (t) => {
            const { db } = crmCompany(t, crm);
            const fake = await fakeCrm(t, crm);
            connect(db, crm, fake.url);
            cli(db, ['config', 'set', 'crm_writeback_health', 'on']);
            review(db, id.deal);
            await writeback(db, '2026-06-04T10:05');
            const health = fake.requests.map((q) => fields(q.body))
                .find((f) => P('health_score') in f);
            assert.ok(health, 'a health write-back');
            assert.ok(Number.isInteger(health[P('health_score')]));
            assert.equal(health[P('health_scored_on')], '2026-06-04');
            assert.equal(fake.records[crm === 'hubspot'
                ? `deals/${id.deal}` : `Opportunity/${id.deal}`][
                P('health_score')], health[P('health_score')]);
        });

    test(`${crm}: a 500 and a 429 are retried with backoff, and a resend ` +
        'is applied once', async (t) => {
        const { db } = crmCompany(t, crm);
        // The fake applies the first request, then answers 500 as if it
        // failed after writing: the resend carries the same key.
        const fake = await fakeCrm(t, crm, { fail: [500, 429],
            applyThenFail: true });
        connect(db, crm, fake.url);
        tag(db, 'C1', 'icp_miss');
        assert.match(await writeback(db, '2026-06-03T10:00'),
            /0 sent, 1 retried/);
        let [row] = outbox(db, '--channel', 'crm');
        assert.equal(row.status, 'pending');
        assert.match(row.last_error, /HTTP 500/);
        assert.equal(row.next_attempt_at, '2026-06-03T10:01:00Z');
        // Not due before its next attempt.
        assert.match(await writeback(db, '2026-06-03T10:00'),
            /0 sent, 0 retried/);
        assert.match(await writeback(db, '2026-06-03T10:01'),
            /0 sent, 1 retried/);
        [row] = outbox(db, '--channel', 'crm');
        assert.match(row.last_error, /HTTP 429/);
        assert.equal(row.next_attempt_at, '2026-06-03T10:03:00Z');
        assert.match(await writeback(db, '2026-06-03T10:03'),
            /1 sent, 0 retried/);
        [row] = outbox(db, '--channel', 'crm');
        assert.equal(row.status, 'sent');
        assert.equal(row.attempts, 3);
        assert.equal(fake.requests.length, 3);
        assert.equal(new Set(fake.requests.map((q) => q.key)).size, 1);
        assert.deepEqual([...fake.applied.values()], [1]);
        const rec = fake.records[crm === 'hubspot'
            ? `companies/${id.account}` : `Account/${id.account}`];
        assert.equal(rec[P('churn_root_cause')], 'Wrong ICP');
    });

    test(`${crm}: a refused token is retried; a record the CRM does not ` +
        'have is a dead letter at once', async (t) => {
            const { db } = crmCompany(t, crm);
            const fake = await fakeCrm(t, crm, { missing: id.other });
            connect(db, crm, fake.url);
            cli(db, ['config', 'set', 'crm_token', 'a-token-the-crm-refuses']);
            tag(db, 'C1', 'icp_miss');
            // 401: the token may be fixed, so it is retried ...
            assert.match(await writeback(db, '2026-06-03T10:00'),
                /0 sent, 1 retried/);
            cli(db, ['config', 'set', 'crm_token', TOKEN]);
            assert.match(await writeback(db, '2026-06-03T10:01'), /1 sent/);
            tag(db, 'C3', 'icp_miss', '2026-06-03T11:00');
            assert.match(await writeback(db, '2026-06-03T11:00'),
                /0 sent, 0 retried, 1 dead/);
            const dead = outbox(db, '--channel', 'crm')
                .filter((m) => m.status === 'dead');
            assert.equal(dead.length, 1);
            assert.equal(dead[0].attempts, 1);
            assert.match(dead[0].last_error, /HTTP 404 .*not found/);
        });
}

test('off by default: nothing is queued or sent', async (t) => {
    const { db } = crmCompany(t, 'hubspot');
    const fake = await fakeCrm(t, 'hubspot');
    cli(db, ['config', 'set', 'crm_base_url', fake.url]);
    cli(db, ['config', 'set', 'crm_token', TOKEN]);
    tag(db, 'C1', 'feature_overpromise');
    review(db, IDS.hubspot.deal);
    assert.deepEqual(outbox(db, '--channel', 'crm'), []);
    assert.deepEqual(dryRun(db), []);
    const { done } = start(['deliver', '--now', '2026-06-05', '--db', db]);
    assert.equal((await done).code, 0);
    assert.equal(fake.requests.length, 0);
});

test('the settings are checked, the token is write-only, and the dry run ' +
    'never prints it', async (t) => {
    const { db } = crmCompany(t, 'salesforce');
    for (const [key, value, msg] of [
        ['crm_writeback', 'pipedrive', /expected off, hubspot or salesforce/],
        ['crm_base_url', 'ftp://x', /http:\/\/ or https:\/\//],
        ['crm_token', 'short', /16 to 2048 characters/],
        ['crm_api_version', '60', /v20\.0 to v99\.9/],
        ['crm_writeback_health', 'yes', /expected off or on/]]) {
        const r = cliRun(db, ['config', 'set', key, value]);
        assert.equal(r.code, 1, `${key}=${value}`);
        assert.match(r.stderr, msg);
        assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const fake = await fakeCrm(t, 'salesforce');
    connect(db, 'salesforce', fake.url + '/');
    cli(db, ['config', 'set', 'crm_api_version', 'v61.0']);
    tag(db, 'C1', 'icp_miss');
    const text = cli(db, ['crm', 'writeback', '--dry-run']).stdout;
    assert.match(text, new RegExp(`^PATCH ${fake.url}/services/data/v61.0/` +
        `sobjects/Account/${IDS.salesforce.account}$`, 'm'));
    assert.doesNotMatch(text, new RegExp(TOKEN));
    assert.equal(fake.requests.length, 0);
    // A row queued for one CRM is not sent to another.
    cli(db, ['config', 'set', 'crm_writeback', 'hubspot']);
    assert.match(await writeback(db, '2026-06-03T10:00'), /0 sent, 0 retried, 1 dead/);
    const [row] = outbox(db, '--channel', 'crm');
    assert.match(row.last_error, /queued for salesforce/);
});

test('API: RevOps sets the write-back (the token write-only) and reads the ' +
    'pending requests; other roles get 403', async (t) => {
    const ws = demoWorkspace(t);
    const srv = await startServer(t, ws.db);
    t.after(() => srv.stop());
    const revops = await as(srv, ws, 'revops');
    let r = await revops.get('/api/v1/crm/writeback');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { crm: 'off', items: [], more: false });
    r = await revops.get('/api/v1/settings/config');
    r = await revops.patch('/api/v1/settings/config', {
        crm_writeback: 'hubspot', crm_token: TOKEN,
        crm_writeback_health: 'on' },
    { headers: { 'if-match': r.headers.get('etag') } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.crm_writeback, 'hubspot');
    assert.deepEqual(r.json.crm_token, { set: true });
    assert.doesNotMatch(r.text, new RegExp(TOKEN));
    r = await revops.patch('/api/v1/settings/config',
        { crm_api_version: '60.0' }, { headers: { 'if-match': '*' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'crm_api_version');
    assert.match(r.json.error.message, /v20\.0 to v99\.9/);
    r = await revops.get('/api/v1/crm/writeback');
    assert.equal(r.json.crm, 'hubspot');
    for (const role of ['csm', 'ae', 'vp_sales', 'marketing']) {
        const c = await as(srv, ws, role);
        const x = await c.get('/api/v1/crm/writeback');
        assert.equal(x.status, 403, role);
        assert.equal(x.json.items, undefined);
    }
});
