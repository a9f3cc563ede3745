// api_lists_filter.test.mjs - the accounts and pipeline lists' columns
// (ARR, next renewal, health), their range filters, sorts and sorted
// cursors, checked against the records themselves; the ranges refused with
// their range; and visibility: a role may not filter or sort on what it
// may not read (health, the AE).  Runs on SQLite, and on PostgreSQL with
// CLOSELOOP_TEST_PG.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { as, demoWorkspace, startServer } from './api_lib.mjs';

let ws, srv, revops, ae, salesManager, marketing;
let accounts, deals; // every record, as RevOps reads them

// Every page of path with limit n, continued by next_cursor.
async function walk(c, path, n = 1000) {
    const items = [];
    let cursor = null;
    for (let guard = 0; guard < 1000; guard++) {
        const url = `${path}${path.includes('?') ? '&' : '?'}limit=${n}` +
            (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
        const r = await c.get(url);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.total === null, cursor !== null,
            'only the first page counts');
        items.push(...r.json.items);
        cursor = r.json.next_cursor;
        if (cursor === null)
            return items;
    }
    throw new Error('the walk did not end');
}

const ids = (items) => items.map((x) => x.id);
const won = (d) => d.stage === 'closed_won' && d.closed_on;
const byClose = (a, b) => a.closed_on < b.closed_on ? -1
    : a.closed_on > b.closed_on ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

// What the columns say, from the deals (store_lists.h).
function expected(a) {
    const mine = deals.filter((d) => d.account_id === a.id && won(d));
    const base = mine.filter((d) => d.type === 'new' || d.type === 'renewal')
        .sort(byClose).at(-1);
    const first = mine.filter((d) => d.type === 'new').sort(byClose)[0];
    let arr = null, renewal = null;
    if (a.status === 'churned') {
        arr = 0;
    } else if (base) {
        arr = (base.arr ?? NaN) + mine.filter((d) => d.type === 'expansion' &&
            d.closed_on >= base.closed_on).reduce((s, d) => s + d.arr, 0);
        const md = base.closed_on.slice(5) === '02-29' ? '02-28'
            : base.closed_on.slice(5);
        renewal = `${Number(base.closed_on.slice(0, 4)) + 1}-${md}`;
    }
    return { arr: Number.isNaN(arr) ? null : arr, renewal,
        health: first ? first.health_score ?? null : null,
        healthAe: first ? first.ae_id : null };
}

// JS's order of a sort: null as below every value, ties by id.
function sorted(items, key, desc) {
    const cmp = (a, b) => a === b ? 0 : a === null || a === undefined ? -1
        : b === null || b === undefined ? 1 : a < b ? -1 : 1;
    return [...items].sort((x, y) => {
        const c = cmp(key(x), key(y));
        if (c)
            return desc ? -c : c;
        return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    });
}

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    ae = await as(srv, ws, 'ae');
    salesManager = await as(srv, ws, 'sales_manager');
    marketing = await as(srv, ws, 'marketing');
    // A customer won on a leap day renews on 28 February.
    let r = await revops.post('/api/v1/accounts', { id: 'zz-leap-1',
        name: 'Leap Day Ltd', status: 'customer', industry: 'retail' });
    assert.equal(r.status, 201, r.text);
    r = await revops.post('/api/v1/deals', { id: 'zz-leap-d1',
        account_id: 'zz-leap-1', type: 'new', stage: 'closed_won',
        created_on: '2024-01-10', closed_on: '2024-02-29', arr: 1234.5 });
    assert.equal(r.status, 201, r.text);
    accounts = await walk(revops, '/api/v1/accounts');
    deals = await walk(revops, '/api/v1/deals');
    // The deal's own health score is on the record read alone.
    for (const d of deals.filter((x) => won(x) && x.type === 'new'))
        d.health_score = (await revops.get(
            `/api/v1/deals/${encodeURIComponent(d.id)}`)).json.health_score;
});

after(() => srv?.stop());

describe('columns', () => {
    test('each account shows its ARR, next renewal and health as its deals say',
        () => {
            assert.ok(accounts.length > 100);
            let some = 0;
            for (const a of accounts) {
                const e = expected(a);
                assert.equal(a.arr, e.arr, `${a.id} arr`);
                assert.equal(a.renewal_on, e.renewal, `${a.id} renewal`);
                assert.equal(a.health_score, e.health, `${a.id} health`);
                if (e.health !== null && e.arr > 0)
                    some++;
            }
            assert.ok(some > 20, 'the demo has accounts with ARR and health');
            const leap = accounts.find((a) => a.id === 'zz-leap-1');
            assert.equal(leap.renewal_on, '2025-02-28');
            assert.equal(leap.arr, 1234.5);
            const csm = accounts.find((a) => a.csm_id);
            assert.equal(csm.csm_name,
                ws.users.find((u) => u.id === csm.csm_id).name);
        });

    test('the open pipeline lists open deals with the account name, renewal and health',
        async () => {
            const open = await walk(revops, '/api/v1/deals?open=true', 30);
            const want = deals.filter((d) =>
                !['closed_won', 'closed_lost'].includes(d.stage));
            assert.ok(want.length > 10);
            assert.deepEqual(ids(open), ids(want));
            for (const d of open) {
                const a = accounts.find((x) => x.id === d.account_id);
                assert.equal(d.account_name, a.name);
                assert.equal(d.renewal_on, a.renewal_on);
                assert.equal(d.account_health, a.health_score);
                assert.equal(d.ae_name, d.ae_id
                    ? ws.users.find((u) => u.id === d.ae_id).name : null);
            }
            const closed = await walk(revops, '/api/v1/deals?open=false');
            assert.equal(closed.length + open.length, deals.length);
        });
});

describe('sorts and cursors', () => {
    const cases = [
        ['accounts', 'name', (a) => a.name, false],
        ['accounts', '-arr', (a) => a.arr, true],
        ['accounts', 'renewal_on', (a) => a.renewal_on, false],
        ['accounts', '-health', (a) => a.health_score, true],
        ['accounts', 'csm', (a) => a.csm_name, false],
    ];
    for (const [kind, sort, key, desc] of cases)
        test(`${kind}?sort=${sort} pages through every record once, in order`,
            async () => {
                const got = await walk(revops,
                    `/api/v1/${kind}?sort=${sort}`, 37);
                assert.deepEqual(ids(got), ids(sorted(accounts, key, desc)));
            });

    test('the open pipeline sorts by ARR and by account, across pages',
        async () => {
            const open = deals.filter((d) =>
                !['closed_won', 'closed_lost'].includes(d.stage));
            const got = await walk(revops,
                '/api/v1/deals?open=true&sort=-arr', 7);
            assert.deepEqual(ids(got), ids(sorted(open, (d) => d.arr, true)));
            const names = await walk(revops,
                '/api/v1/deals?open=true&sort=account', 7);
            const name = (d) => accounts.find((a) =>
                a.id === d.account_id).name;
            assert.deepEqual(ids(names), ids(sorted(open, name, false)));
        });

    test('a cursor of one sort is refused by another', async () => {
        const r = await revops.get('/api/v1/accounts?sort=-arr&limit=5');
        const c = encodeURIComponent(r.json.next_cursor);
        assert.equal(r.json.sort, '-arr');
        const other = await revops.get(`/api/v1/accounts?sort=arr&cursor=${c}`);
        assert.equal(other.status, 400);
        assert.equal(other.json.error.field, 'cursor');
        const plain = await revops.get(`/api/v1/accounts?cursor=${c}`);
        assert.equal(plain.status, 400);
    });
});

describe('filters', () => {
    test('ARR, renewal and health ranges keep exactly the accounts inside them',
        async () => {
            const q = 'arr_min=20000&arr_max=80000&renewal_from=2027-01-01' +
                '&renewal_to=2027-06-30&health_min=40&health_max=90';
            const r = await revops.get(`/api/v1/accounts?${q}&limit=1000`);
            assert.equal(r.status, 200, r.text);
            const want = accounts.filter((a) => a.arr !== null &&
                a.arr >= 20000 && a.arr <= 80000 && a.renewal_on &&
                a.renewal_on >= '2027-01-01' && a.renewal_on <= '2027-06-30' &&
                a.health_score !== null && a.health_score >= 40 &&
                a.health_score <= 90);
            assert.ok(want.length > 0, 'the demo has accounts in the ranges');
            assert.deepEqual(ids(r.json.items), ids(want));
            assert.equal(r.json.total, want.length);
        });

    test('the industry, region and CSM filters and the search combine',
        async () => {
            const a = accounts.find((x) => x.csm_id && x.industry && x.region);
            const q = `industry=${a.industry}&region=${a.region}` +
                `&csm_id=${a.csm_id}&q=${encodeURIComponent(a.name.slice(1, 6)
                    .toUpperCase())}`;
            const r = await revops.get(`/api/v1/accounts?${q}`);
            assert.equal(r.status, 200, r.text);
            const want = accounts.filter((x) => x.industry === a.industry &&
                x.region === a.region && x.csm_id === a.csm_id &&
                x.name.toLowerCase().includes(a.name.slice(1, 6).toLowerCase()));
            assert.deepEqual(ids(r.json.items), ids(want));
            assert.ok(ids(want).includes(a.id));
            assert.deepEqual(r.json.choices.industry,
                [...new Set(accounts.map((x) => x.industry).filter(Boolean))]
                    .sort());
        });

    test('the pipeline filters by the account\'s industry and region, and the AE',
        async () => {
            const open = deals.filter((d) =>
                !['closed_won', 'closed_lost'].includes(d.stage));
            const d0 = open.find((d) => d.ae_id);
            const acc = (d) => accounts.find((a) => a.id === d.account_id);
            const r = await revops.get('/api/v1/deals?open=true&industry=' +
                `${acc(d0).industry}&ae_id=${d0.ae_id}&limit=1000`);
            assert.equal(r.status, 200, r.text);
            assert.deepEqual(ids(r.json.items), ids(open.filter((d) =>
                acc(d).industry === acc(d0).industry && d.ae_id === d0.ae_id)));
        });

    test('equality on typed fields compares as every record list does',
        async () => {
            const a = accounts.find((x) => x.employees && x.customer_since);
            const d = deals.find((x) => x.arr && x.exec_sponsor === false);
            const cases = [
                ['accounts', 'has_ops_function=true', accounts,
                    (x) => x.has_ops_function === true],
                ['accounts', `employees=${a.employees}`, accounts,
                    (x) => x.employees === a.employees],
                ['accounts', `customer_since=${a.customer_since}`, accounts,
                    (x) => x.customer_since === a.customer_since],
                ['accounts', 'employees=many', accounts, () => false],
                ['deals', `arr=${d.arr}`, deals, (x) => x.arr === d.arr],
                ['deals', 'exec_sponsor=false', deals,
                    (x) => x.exec_sponsor === false],
            ];
            for (const [kind, q, all, keep] of cases) {
                const r = await revops.get(`/api/v1/${kind}?${q}&limit=1000`);
                assert.equal(r.status, 200, `${q}: ${r.text}`);
                assert.deepEqual(ids(r.json.items), ids(all.filter(keep)), q);
            }
        });

    const bad = [
        ['arr_min=-1', 'arr_min', /0\.\.1000000000000/],
        ['arr_max=abc', 'arr_max', /amount/],
        ['arr_min=500&arr_max=100', 'arr_max', /at least arr_min/],
        ['renewal_from=2026-02-30', 'renewal_from', /YYYY-MM-DD/],
        ['renewal_from=2027-02-01&renewal_to=2027-01-01', 'renewal_to', /after/],
        ['health_min=101', 'health_min', /0\.\.100/],
        ['health_max=1.5', 'health_max', /0\.\.100/],
        ['health_min=60&health_max=50', 'health_max', /at least/],
        ['sort=employees', 'sort', /one of id, name/],
        ['open=yes', 'open', /true or false/],
    ];
    for (const [q, field, msg] of bad)
        test(`${q} is refused naming ${field}`, async () => {
            const kind = q.startsWith('open') ? 'deals' : 'accounts';
            const r = await revops.get(`/api/v1/${kind}?${q}`);
            assert.equal(r.status, 400, r.text);
            assert.equal(r.json.error.field, field);
            assert.match(r.json.error.message, msg);
        });

    test('an unknown parameter is a 400 naming it', async () => {
        const r = await revops.get('/api/v1/accounts?renewal=2027-01-01');
        assert.equal(r.status, 400);
        assert.equal(r.json.error.code, 'unknown_field');
        assert.equal(r.json.error.field, 'renewal');
    });
});

describe('visibility', () => {
    test('a sales manager sees no health and may not filter or sort on it',
        async () => {
            for (const [q, field] of [['health_min=10', 'health_min'],
                ['health_max=90', 'health_max'], ['sort=-health', 'sort']]) {
                for (const kind of ['accounts', 'deals']) {
                    const r = await salesManager.get(`/api/v1/${kind}?${q}`);
                    assert.equal(r.status, 403, r.text);
                    assert.equal(r.json.error.code, 'forbidden_field');
                    assert.equal(r.json.error.field, field);
                }
            }
            const r = await salesManager.get('/api/v1/accounts?limit=1000');
            assert.ok(r.json.items.every((a) => !('health_score' in a)));
            assert.ok(r.json.items.some((a) => a.arr > 0), 'ARR is for all');
        });

    test('marketing may not sort or filter the pipeline by AE, nor see it',
        async () => {
            let r = await marketing.get('/api/v1/deals?open=true&sort=ae');
            assert.equal(r.status, 403);
            assert.equal(r.json.error.field, 'sort');
            r = await marketing.get('/api/v1/deals?ae_id=u-ae-1');
            assert.equal(r.status, 403);
            assert.equal(r.json.error.field, 'ae_id');
            r = await marketing.get('/api/v1/deals?open=true&sort=-arr');
            assert.equal(r.status, 200);
            assert.ok(r.json.items.every((d) =>
                !('ae_name' in d) && !('ae_id' in d)));
        });

    test('an AE\'s health filter and sort count only its own deals\' accounts',
        async () => {
            const me = ae.user.id;
            const mine = accounts.filter((a) => expected(a).healthAe === me &&
                a.health_score !== null);
            assert.ok(mine.length > 0, 'the AE has accounts with health');
            const r = await ae.get('/api/v1/accounts?health_min=0&limit=1000');
            assert.equal(r.status, 200, r.text);
            assert.deepEqual(ids(r.json.items), ids(mine));
            assert.equal(r.json.total, mine.length);
            // Sorted by health, the others' accounts sort as unknown: the
            // order says nothing of their scores.
            const s = await walk(ae, '/api/v1/accounts?sort=-health', 50);
            const top = s.slice(0, mine.length);
            assert.deepEqual(new Set(ids(top)), new Set(ids(mine)));
            assert.deepEqual(ids(s.slice(mine.length)), ids(sorted(
                accounts.filter((a) => !ids(mine).includes(a.id)), () => null,
                false)));
            assert.ok(s.every((a) => ('health_score' in a) ===
                (expected(a).healthAe === me)));
        });
});

describe('a long name', () => {
    // Names of 3,000 bytes (an import takes up to 64 KB), alike for their
    // first 2,990: too long for a cursor to carry, so it carries the key
    // and the next page reads the name again.
    const long = (c) => `Aaa Long Name ${'x'.repeat(2986)}${c}`;
    const MINE = [['zz-long-1', long('a')], ['zz-long-2', long('b')],
        ['zz-long-3', long('c')]];
    before(async () => {
        for (const [id, name] of MINE) {
            let r = await revops.post('/api/v1/accounts', { id, name,
                status: 'prospect' });
            assert.equal(r.status, 201, r.text);
            r = await revops.post('/api/v1/deals', { id: `${id}-d`,
                account_id: id, type: 'new', stage: 'proposal',
                created_on: '2026-10-01', arr: 1000 });
            assert.equal(r.status, 201, r.text);
        }
    });

    test('as the last row of a page it still continues, in order', async () => {
        for (const sort of ['name', '-name']) {
            const got = await walk(revops,
                `/api/v1/accounts?q=zz-long&sort=${sort}`, 1);
            const want = MINE.map(([id]) => id);
            assert.deepEqual(ids(got), sort === 'name' ? want : want.reverse());
        }
        const deals = await walk(revops,
            '/api/v1/deals?q=zz-long&sort=account', 1);
        assert.deepEqual(ids(deals), MINE.map(([id]) => `${id}-d`));
        // On the whole list too, among the other accounts.
        const all = await walk(revops, '/api/v1/accounts?sort=name', 50);
        assert.deepEqual(ids(all), ids(sorted([...accounts, ...MINE.map(
            ([id, name]) => ({ id, name }))], (a) => a.name, false)));
    });

    test('a key-only cursor after a record that is gone says to start again',
        async () => {
            // The cursor is opaque; this one is built as the server builds
            // a key-only one (base64url of "TAG:KEY").
            const c = Buffer.from('accounts.name:zz-long-gone')
                .toString('base64url');
            const next = await revops.get(
                `/api/v1/accounts?q=zz-long&sort=name&cursor=${c}`);
            assert.equal(next.status, 400, next.text);
            assert.equal(next.json.error.field, 'cursor');
            assert.match(next.json.error.message, /start again/);
        });
});
