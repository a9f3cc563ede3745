// api_visibility.test.mjs - docs/design.md section 6 through the API: every
// role against every record kind and endpoint, as one table.  Each row says
// which roles get the record, and which fields they may see.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { COACHING_ITEM_SQL, ROLES, as, demoWorkspace, sql, startServer } from
    './api_lib.mjs';

const PRIVATE = ['csm', 'cs_manager', 'vp_cs', 'revops', 'admin'];
const AUDIT = ['csm', 'cs_manager', 'vp_cs', 'revops', 'admin'];
const COACHING = ['ae', 'sales_manager', 'vp_sales', 'revops'];
const SETTINGS = ['revops', 'admin'];
const TAGGERS = ['csm', 'cs_manager', 'revops'];

let ws, srv, c = {}, fx = {};

before(async () => {
    ws = demoWorkspace(null, COACHING_ITEM_SQL);
    srv = await startServer(null, ws.db);
    for (const r of ROLES)
        c[r] = await as(srv, ws, r);
    assert.equal(c.ae.user.id, 'u-ae-1');
    assert.equal(c.sales_manager.user.id, 'u-sales-manager-1');
    // The first AE's reviewed won deal, and another AE's.
    fx.deal = sql(ws.db, "SELECT d.id FROM deals d JOIN reviews r ON " +
        "r.deal_id = d.id WHERE d.ae_id = 'u-ae-1' ORDER BY d.id LIMIT 1");
    fx.account = sql(ws.db, `SELECT account_id FROM deals WHERE id = '${fx.deal}'`);
    fx.other = sql(ws.db, "SELECT d.id FROM deals d JOIN reviews r ON " +
        "r.deal_id = d.id WHERE d.ae_id = 'u-ae-2' ORDER BY d.id LIMIT 1");
    fx.churn = sql(ws.db, 'SELECT id FROM churns ORDER BY id LIMIT 1');
    fx.threshold = sql(ws.db, 'SELECT key FROM thresholds ORDER BY key LIMIT 1');
});

// The server of the whole file stops when its tests are done.
after(() => srv?.stop());

const has = (o, k) => o !== null && typeof o === 'object' && k in o;

// [name, request(role) -> {method, path, body?, headers?}, allowed roles
//  (others get 403), check(role, response) for the allowed ones]
const matrix = [
    ['account', () => ({ path: `/api/v1/accounts/${fx.account}` }), ROLES,
        (r, res) => assert.equal(res.json.id, fx.account)],
    ['account list', () => ({ path: '/api/v1/accounts?limit=3' }), ROLES,
        (r, res) => assert.equal(res.json.items.length, 3)],
    ['deal: health only for CS, RevOps, admin and its AE; AE names not for marketing',
        () => ({ path: `/api/v1/deals/${fx.deal}` }), ROLES, (r, res) => {
            assert.equal(has(res.json, 'health_score'),
                PRIVATE.includes(r) || r === 'ae', `${r} health`);
            assert.equal(has(res.json, 'ae_id'), r !== 'marketing', `${r} ae_id`);
        }],
    ['deal list: no AE for marketing', () => ({ path: '/api/v1/deals?limit=20' }),
        ROLES, (r, res) => assert.equal(res.json.items.every((d) =>
            has(d, 'ae_id')), r !== 'marketing')],
    ['review: Q2, Q5, Q7 for CS, RevOps, admin and the deal\'s AE; Q1, Q3, Q4, Q6 for all',
        () => ({ path: `/api/v1/reviews/${fx.deal}` }), ROLES, (r, res) => {
            const priv = PRIVATE.includes(r) || r === 'ae';
            for (const q of ['q2', 'q5', 'q7', 'gut_read'])
                assert.equal(has(res.json, q), priv, `${r} ${q}`);
            for (const q of ['q1', 'q3', 'q4', 'q6'])
                assert.ok(has(res.json, q), `${r} ${q}`);
        }],
    ['another AE\'s review: no private answers for an AE',
        () => ({ path: `/api/v1/reviews/${fx.other}` }), ROLES, (r, res) =>
            assert.equal(has(res.json, 'q2'), PRIVATE.includes(r))],
    ['review list follows the same rule per row',
        () => ({ path: `/api/v1/reviews?deal_id=${fx.other}` }), ROLES,
        (r, res) => assert.equal(has(res.json.items[0], 'q5'), PRIVATE.includes(r))],
    ['account page: review answers and health as for the deal',
        () => ({ path: `/api/v1/accounts/${fx.account}/page` }), ROLES, (r, res) => {
            const priv = PRIVATE.includes(r) || r === 'ae';
            assert.equal(has(res.json.won_deal_review, 'q2'), priv, `${r} q2`);
            assert.equal(res.json.health !== null, priv, `${r} health`);
            assert.ok(has(res.json.won_deal_review, 'q3'));
            assert.ok(res.json.deals.every((d) => has(d, 'ae_id') === (r !== 'marketing')));
            assert.ok(res.json.audit.every((e) => e.entity !== 'reviews' || priv));
        }],
    ['churn', () => ({ path: `/api/v1/churns/${fx.churn}` }), ROLES, () => {}],
    ['recoveries', () => ({ path: '/api/v1/recoveries?limit=5' }), ROLES, () => {}],
    ['users: marketing sees no AEs', () => ({ path: '/api/v1/users?limit=1000' }),
        ROLES, (r, res) => {
            const aes = res.json.items.filter((u) => u.role === 'ae' || u.role === 'sales_manager');
            assert.equal(aes.length === 0, r === 'marketing');
            assert.equal(res.json.total, res.json.items.length);
        }],
    ['coaching list', () => ({ path: '/api/v1/coaching' }), COACHING,
        (r, res) => assert.ok(res.json.items.some((i) => i.id === 900))],
    ['coaching item: the AE, its manager, VP Sales, RevOps',
        () => ({ path: '/api/v1/coaching/900' }), COACHING,
        (r, res) => assert.equal(res.json.ae_id, 'u-ae-1')],
    ['audit trail of a deal: only who may read all its fields',
        () => ({ path: `/api/v1/audit/deals/${fx.deal}` }), [...AUDIT, 'ae'],
        (r, res) => assert.ok(res.json.items.length > 0)],
    ['audit trail of a review', () => ({ path: `/api/v1/audit/reviews/${fx.deal}` }),
        [...AUDIT, 'ae'], () => {}],
    ['audit trail of an account', () => ({ path: `/api/v1/audit/accounts/${fx.account}` }),
        ROLES, () => {}],
    ['team report names no AE', () => ({ path: '/api/v1/reports/bad-fit?period=2026Q3' }),
        ROLES, (r, res) => assert.doesNotMatch(res.text, /u-ae-\d/)],
    ['recovery report names no AE', () => ({ path: '/api/v1/reports/recovery?period=2026Q3' }),
        ROLES, (r, res) => assert.doesNotMatch(res.text, /u-ae-\d/)],
    ['icp report', () => ({ path: '/api/v1/reports/icp?period=2026Q3' }), ROLES,
        (r, res) => assert.doesNotMatch(res.text, /u-ae-\d/)],
    // Issue 14: Q4 promises are a segment for all; Q7's gut read only for
    // the roles that read every review's Q7 (an AE reads its own deals'
    // only, so it may not count on it across the team).
    ['icp report: segments by Q4 promises for all, by Q7 gut read for the roles that read every Q7',
        () => ({ path: '/api/v1/reports/icp?period=2026Q3' }), ROLES, (r, res) => {
            const dims = new Set(res.json.segments.map((g) => g.dimension));
            assert.ok(dims.has('promises'), `${r} promises`);
            assert.equal(dims.has('gut_read'), PRIVATE.includes(r), `${r} gut_read`);
            const fields = res.json.patterns.patterns.flatMap((p) =>
                p.conditions.map((x) => x.field));
            if (!PRIVATE.includes(r))
                assert.ok(!fields.includes('gut_read'), `${r} pattern on gut_read`);
        }],
    ['patterns report: never on Q7 gut read for a role that may not read every Q7',
        () => ({ path: '/api/v1/reports/patterns' }), ROLES, (r, res) => {
            const fields = res.json.patterns.flatMap((p) =>
                p.conditions.map((x) => x.field));
            if (!PRIVATE.includes(r))
                assert.ok(!fields.includes('gut_read'), `${r} pattern on gut_read`);
        }],
    ['private bad-fit view: RevOps and VP Sales only',
        () => ({ path: '/api/v1/reports/bad-fit?period=2026Q3&private=1' }),
        ['revops', 'vp_sales'], () => {}],
    ['tag audit report names CSMs: CS leads, RevOps, admin',
        () => ({ path: '/api/v1/reports/audit?period=2026Q3' }), AUDIT, () => {}],
    ['pipeline report: never marketing', () => ({ path: '/api/v1/reports/pipeline' }),
        ROLES.filter((r) => r !== 'marketing'), () => {}],
    ['report list leaves out what a role may not read', () => ({ path: '/api/v1/reports' }),
        ROLES, (r, res) => assert.equal(res.json.items.some((x) => x.name === 'audit'),
            AUDIT.includes(r))],
    ['tasks: the caller\'s own, or those they manage', () => ({ path: '/api/v1/tasks?assignee=*&limit=1000' }),
        ROLES, (r, res) => {
            if (r === 'revops' || r === 'admin')
                return;
            const me = c[r].user;
            const reports = ws.users.filter((u) => u.manager_id === me.id).map((u) => u.id);
            for (const t of res.json.items)
                assert.ok(t.assignee_id === me.id || reports.includes(t.assignee_id),
                    `${r} sees ${t.assignee_id}`);
        }],
    ['inbox', () => ({ path: '/api/v1/inbox' }), ROLES, () => {}],
    ['sessions', () => ({ path: '/api/v1/sessions' }), ROLES, () => {}],
    ['taxonomy (read)', () => ({ path: '/api/v1/settings/taxonomy' }), ROLES, () => {}],
    ['delivery settings may hold credentials', () => ({ path: '/api/v1/settings/config' }),
        SETTINGS, () => {}],
    ['the delivery settings\' ranges', () => ({ path: '/api/v1/settings/config/keys' }),
        SETTINGS, () => {}],
    ['add a cause', () => ({ method: 'POST', path: '/api/v1/settings/taxonomy', body: {} }),
        SETTINGS, (r, res) => assert.equal(res.status, 400)],
    ['retire a cause', () => ({ method: 'PATCH', path: '/api/v1/settings/taxonomy/pricing',
        body: { retired: true }, headers: { 'if-match': '"0"' } }),
    SETTINGS, (r, res) => assert.equal(res.status, 412)],
    ['tag a churn', () => ({ method: 'POST', path: `/api/v1/churns/${fx.churn}/tag`, body: {} }),
        TAGGERS, (r, res) => assert.equal(res.status, 400)],
    ['record a review', () => ({ method: 'POST', path: `/api/v1/deals/${fx.deal}/review`, body: {} }),
        TAGGERS, (r, res) => assert.equal(res.status, 400)],
    ['classify a recovery', () => ({ method: 'POST', path: '/api/v1/recoveries/x/classify', body: {} }),
        TAGGERS, (r, res) => assert.equal(res.status, 400)],
    ['close a session', () => ({ method: 'POST', path: '/api/v1/sessions/999/close' }),
        ['revops'], (r, res) => assert.equal(res.status, 404)],
    ['change a threshold', () => ({ method: 'PATCH', path: `/api/v1/settings/thresholds/${fx.threshold}`,
        body: { value: 1 }, headers: { 'if-match': '"0"' } }),
    SETTINGS, (r, res) => assert.equal(res.status, 412)],
    ['change an account', () => ({ method: 'PATCH', path: `/api/v1/accounts/${fx.account}`,
        body: {}, headers: { 'if-match': '"0"' } }),
    SETTINGS, (r, res) => assert.equal(res.status, 412)],
    ['add a user', () => ({ method: 'POST', path: '/api/v1/users', body: {} }),
        SETTINGS, (r, res) => assert.equal(res.status, 400)],
];

for (const [name, req, allowed, check] of matrix) {
    test(`visibility: ${name}`, async () => {
        for (const role of ROLES) {
            const q = req(role);
            const res = await c[role].req(q.method ?? 'GET', q.path,
                { body: q.body, headers: q.headers });
            if (allowed.includes(role)) {
                assert.notEqual(res.status, 403, `${role}: ${res.text}`);
                assert.ok(res.status < 500, `${role}: ${res.text}`);
                if (!q.method)
                    assert.equal(res.status, 200, `${role}: ${res.text}`);
                check(role, res);
            } else {
                assert.equal(res.status, 403, `${role} must be refused: ${res.status}`);
                assert.equal(res.json.error.code, 'forbidden');
            }
        }
    });
}

test('visibility: an AE cannot open another AE\'s coaching item (404, as for none)', async () => {
    const other = new (c.ae.constructor)(srv);
    const u = ws.users.find((x) => x.id === 'u-ae-2');
    await other.login(u.email);
    assert.equal((await other.get('/api/v1/coaching/900')).status, 404);
    assert.equal((await other.get('/api/v1/coaching/901')).status, 404);
    // Those who may see it see the AE by name, not only by id.
    const mine = await c.ae.get('/api/v1/coaching/900');
    assert.equal(mine.status, 200);
    assert.equal(mine.json.ae_id, 'u-ae-1');
    assert.equal(mine.json.ae_name, ws.users.find((x) => x.id === 'u-ae-1').name);
    assert.ok(!(await other.get('/api/v1/coaching')).json.items.some((i) => i.id === 900));
    const sm2 = new (c.ae.constructor)(srv);
    await sm2.login(ws.users.find((x) => x.id === 'u-sales-manager-2').email);
    assert.equal((await sm2.get('/api/v1/coaching/900')).status, 404);
});

// ---- filters: what a role may not read, it may not filter on either -------

// The reviews' private answers: readable on every review by PRIVATE, on
// their own deals' reviews by an AE, on none by the rest.
const PRIVATE_FIELDS = ['gut_read', 'q2', 'q5', 'q7'];
const get = (role, p) => c[role].get(p);

// A value of review field f found on the first AE's reviews and on another
// AE's, with the deal ids of each side.
function reviewValue(f) {
    const v = f === 'gut_read' ? 'worried' : sql(ws.db,
        `SELECT r.${f} FROM reviews r JOIN deals d ON d.id = r.deal_id ` +
        `WHERE r.${f} IS NOT NULL GROUP BY r.${f} HAVING ` +
        "sum(CASE WHEN d.ae_id = 'u-ae-1' THEN 1 ELSE 0 END) > 0 AND " +
        "sum(CASE WHEN d.ae_id <> 'u-ae-1' THEN 1 ELSE 0 END) > 0 " +
        `ORDER BY r.${f} LIMIT 1`);
    const ids = (where) => sql(ws.db, 'SELECT r.deal_id FROM reviews r JOIN ' +
        `deals d ON d.id = r.deal_id WHERE r.${f} = '${v.replaceAll("'", "''")}' ` +
        `AND ${where} ORDER BY r.deal_id`).split('\n').filter(Boolean);
    return { v, own: ids("d.ae_id = 'u-ae-1'"), others: ids("d.ae_id <> 'u-ae-1'") };
}

function assertRefused(res, role, field) {
    assert.equal(res.status, 403, `${role} must be refused ${field}: ${res.text}`);
    assert.equal(res.json.error.code, 'forbidden_field');
    assert.equal(res.json.error.field, field);
    assert.ok(!('items' in res.json));
}

for (const f of PRIVATE_FIELDS) {
    test(`visibility: filter reviews on ${f}: CS, RevOps, admin all; an AE only its own deals'; others 403`, async () => {
        const { v, own, others } = reviewValue(f);
        assert.ok(own.length > 0 && others.length > 0, `fixture ${f}=${v}`);
        const q = `/api/v1/reviews?${f}=${encodeURIComponent(v)}&limit=1000`;
        for (const role of ROLES) {
            const res = await get(role, q);
            if (PRIVATE.includes(role)) {
                assert.equal(res.status, 200, `${role}: ${res.text}`);
                assert.deepEqual(res.json.items.map((r) => r.deal_id),
                    [...own, ...others].sort(), role);
                assert.equal(res.json.total, own.length + others.length, role);
            } else if (role === 'ae') {
                assert.equal(res.status, 200, res.text);
                // Another AE's review never matches, not even without its
                // answers: its match would tell the hidden value.
                assert.deepEqual(res.json.items.map((r) => r.deal_id), own);
                assert.ok(res.json.items.every((r) => r[f] === v));
                assert.equal(res.json.total, own.length, 'the count too');
            } else {
                assertRefused(res, role, f);
            }
        }
    });
}

test('visibility: an AE\'s filtered reviews page by offset and cursor through its own only', async () => {
    const { own } = reviewValue('gut_read');
    const seen = [];
    let p = '/api/v1/reviews?gut_read=worried&limit=3';
    for (let i = 0; p && i < 100; i++) {
        const res = await c.ae.get(p);
        assert.equal(res.status, 200, res.text);
        seen.push(...res.json.items.map((r) => r.deal_id));
        if (i > 0)
            assert.equal(res.json.total, null, 'a continued page counts nothing');
        p = res.json.next_cursor && '/api/v1/reviews?gut_read=worried&limit=3' +
            `&cursor=${res.json.next_cursor}`;
    }
    assert.deepEqual(seen, own);
    const page = await c.ae.get('/api/v1/reviews?gut_read=worried&limit=3&offset=3');
    assert.deepEqual(page.json.items.map((r) => r.deal_id), own.slice(3, 6));
    assert.equal(page.json.total, own.length);
    // Without a private filter the AE still lists every review (answers
    // left out per row).
    const all = await c.ae.get('/api/v1/reviews?limit=1');
    assert.equal(all.json.total, Number(sql(ws.db, 'SELECT count(*) FROM reviews')));
});

test('visibility: marketing may not filter deals on ae_id; every other role may', async () => {
    const want = sql(ws.db, "SELECT id FROM deals WHERE ae_id = 'u-ae-1' ORDER BY id")
        .split('\n');
    for (const role of ROLES) {
        const res = await get(role, '/api/v1/deals?ae_id=u-ae-1&limit=1000');
        if (role === 'marketing') {
            assertRefused(res, role, 'ae_id');
            continue;
        }
        assert.equal(res.status, 200, `${role}: ${res.text}`);
        assert.deepEqual(res.json.items.map((d) => d.id), want, role);
        assert.equal(res.json.total, want.length, role);
    }
    // Nor combined with a field it may read, nor with an empty value.
    assertRefused(await c.marketing.get('/api/v1/deals?stage=closed_won&ae_id=u-ae-2'),
        'marketing', 'ae_id');
    assertRefused(await c.marketing.get('/api/v1/deals?ae_id='), 'marketing', 'ae_id');
});

test('visibility: marketing cannot order deals by AE', async () => {
    // The AE's order (sort=ae) is refused as its filter is; an order the
    // list does not know is refused too, rather than applied.
    for (const p of ['sort=ae', 'sort=-ae', 'sort=ae_id', 'order=ae_id',
        'sort=-ae_id']) {
        const res = await c.marketing.get(`/api/v1/deals?${p}`);
        assert.ok(res.status === 400 || res.status === 403, `${p}: ${res.status}`);
        assert.ok(!('items' in res.json), p);
        assert.doesNotMatch(res.text, /u-ae-\d/);
    }
});

test('visibility: roles that may read a field still filter on it', async () => {
    for (const role of ['csm', 'revops']) {
        const res = await get(role, '/api/v1/reviews?gut_read=positive&limit=1');
        assert.equal(res.status, 200, res.text);
        assert.equal(res.json.total, Number(sql(ws.db,
            "SELECT count(*) FROM reviews WHERE gut_read = 'positive'")));
        assert.equal(res.json.items[0].gut_read, 'positive');
    }
    // Fields every role reads filter for every role, marketing included.
    const res = await c.marketing.get('/api/v1/deals?stage=closed_won&limit=2');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.items.every((d) => d.stage === 'closed_won' && !('ae_id' in d)));
    const q1 = await c.sales_manager.get('/api/v1/reviews?q1=x');
    assert.equal(q1.status, 200, q1.text);
});
