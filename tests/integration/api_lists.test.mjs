// api_lists.test.mjs - searching and paging the lists of the JSON API:
// text search on accounts (id or name, any case, % and _ literal), keyset
// cursors on record lists (every record once, in key order, stable when a
// record is inserted behind the cursor), and the paged inbox and audit
// trail.  Runs on SQLite, and on PostgreSQL with CLOSELOOP_TEST_PG.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { as, demoWorkspace, startServer } from './api_lib.mjs';

let ws, srv, revops, salesManager;

// Accounts of this file: ids under "zz-lst-", names chosen so that LIKE's
// wildcards would match more than the literal text does.
const MINE = [
    ['zz-lst-001', 'Lister Widgets 50% Off', 'prospect'],
    ['zz-lst-002', 'Lister Widgets 500 Club', 'prospect'],
    ['zz-lst-003', 'Under_score Analytics', 'customer'],
    ['zz-lst-004', 'Underxscore Logistics', 'customer'],
    ['zz-lst-005', 'QUIET HARBOUR', 'prospect'],
    ['zz-lst-006', 'Quiet Harbour Two', 'customer'],
    ['zz-lst-007', 'Seventh Lister', 'prospect'],
    ['zz-lst-008', 'Eighth Lister', 'prospect'],
    ['zz-lst-009', 'Ninth Lister', 'customer'],
    ['zz-lst-010', 'Tenth Lister', 'prospect'],
    ['zz-lst-011', 'Eleventh Lister', 'prospect'],
    ['zz-lst-012', 'Twelfth Lister', 'prospect'],
];

// Twelve earlier days' pipeline digests of the sales manager: the engine
// sends one a day, and the inbox pages need more than a page of messages.
const DIGESTS_SQL = 'INSERT INTO outbox (workspace_id, id, recipient_id, ' +
    'channel, kind, subject, body, status, idempotency_key, created_at, ' +
    'sent_at, subject_kind, subject_id) VALUES ' +
    Array.from({ length: 12 }, (_, i) => {
        const day = `2026-10-${String(i + 1).padStart(2, '0')}`;
        return `(1, ${9001 + i}, 'u-sales-manager-1', 'inbox', ` +
            `'pipeline_digest', 'Pipeline digest ${day}: 1 new flag on 1 ` +
            `deal', 'New flags on open deals you own or manage', 'sent', ` +
            `'pipeline_digest:${day}:u-sales-manager-1:inbox', ` +
            `'${day}T08:00:00Z', '${day}T08:00:00Z', 'report', 'pipeline')`;
    }).join(', ');

before(async () => {
    ws = demoWorkspace(null, DIGESTS_SQL);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    salesManager = await as(srv, ws, 'sales_manager');
    for (const [id, name, status] of MINE) {
        const r = await revops.post('/api/v1/accounts', { id, name, status });
        assert.equal(r.status, 201, r.text);
    }
});

after(() => srv?.stop());

// Every page of path with limit n, continued by next_cursor.
async function walk(c, path, n) {
    const pages = [];
    let cursor = null;
    for (let guard = 0; guard < 1000; guard++) {
        const url = `${path}${path.includes('?') ? '&' : '?'}limit=${n}` +
            (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
        const r = await c.get(url);
        assert.equal(r.status, 200, r.text);
        pages.push(r.json);
        cursor = r.json.next_cursor;
        if (cursor === null)
            return pages;
        assert.equal(typeof cursor, 'string');
    }
    throw new Error('the walk did not end');
}

const ids = (items, key = 'id') => items.map((x) => x[key]);

describe('search', () => {
    test('q finds accounts by id in any case', async () => {
        const r = await revops.get('/api/v1/accounts?q=ZZ-LST-00&limit=1000');
        assert.equal(r.status, 200);
        assert.deepEqual(ids(r.json.items), MINE.slice(0, 9).map((a) => a[0]));
        assert.equal(r.json.total, 9);
    });

    test('q finds accounts by name in any case', async () => {
        for (const q of ['quiet harbour', 'QUIET HARBOUR', 'qUiEt hArBoUr']) {
            const r = await revops.get(
                `/api/v1/accounts?q=${encodeURIComponent(q)}&limit=1000`);
            assert.equal(r.status, 200);
            assert.deepEqual(ids(r.json.items), ['zz-lst-005', 'zz-lst-006'],
                q);
        }
    });

    test('% and _ are literal text, not wildcards', async () => {
        let r = await revops.get('/api/v1/accounts?q=' +
            encodeURIComponent('50%') + '&limit=1000');
        assert.deepEqual(ids(r.json.items), ['zz-lst-001']);
        r = await revops.get('/api/v1/accounts?q=' +
            encodeURIComponent('r_s') + '&limit=1000');
        assert.deepEqual(ids(r.json.items), ['zz-lst-003']);
        r = await revops.get('/api/v1/accounts?q=' +
            encodeURIComponent('%') + '&limit=1000');
        assert.deepEqual(ids(r.json.items), ['zz-lst-001']);
    });

    test('q combines with equality filters', async () => {
        const r = await revops.get(
            '/api/v1/accounts?q=lister&status=customer&limit=1000');
        assert.deepEqual(ids(r.json.items), ['zz-lst-009']);
        assert.equal(r.json.total, 1);
    });

    test('a search that matches nothing is an empty page', async () => {
        const r = await revops.get('/api/v1/accounts?q=no-such-text-xyz');
        assert.equal(r.status, 200);
        assert.deepEqual(r.json.items, []);
        assert.equal(r.json.next_cursor, null);
    });

    test('an overlong q is refused with its field', async () => {
        const r = await revops.get('/api/v1/accounts?q=' + 'x'.repeat(201));
        assert.equal(r.status, 400);
        assert.equal(r.json.error.field, 'q');
    });
});

// Strictly ascending (keys compare by their bytes; these are ASCII).
function ascending(list) {
    for (let i = 1; i < list.length; i++)
        assert.ok(list[i - 1] < list[i], `${list[i - 1]} before ${list[i]}`);
}

describe('cursor pagination', () => {
    test('walks every account once, in key order', async () => {
        const first = await revops.get('/api/v1/accounts?limit=1');
        const total = first.json.total;
        assert.ok(total > 100, `${total} accounts`);
        const pages = await walk(revops, '/api/v1/accounts', 37);
        const seen = pages.flatMap((p) => ids(p.items));
        assert.equal(seen.length, total);
        assert.equal(new Set(seen).size, total);
        ascending(seen);
        assert.equal(pages.length, Math.ceil(total / 37));
        for (const p of pages.slice(0, -1))
            assert.equal(p.items.length, 37);
        // The same records as the offset pages, in the same order.
        const byOffset = [];
        for (let off = 0; off < total; off += 1000) {
            const r = await revops.get(
                `/api/v1/accounts?limit=1000&offset=${off}`);
            byOffset.push(...ids(r.json.items));
        }
        assert.deepEqual(seen, byOffset);
    });

    test('the last page says so with a null cursor', async () => {
        const r = await revops.get('/api/v1/accounts?q=zz-lst&limit=12');
        assert.equal(r.json.items.length, 12);
        assert.equal(r.json.next_cursor, null);
        const more = await revops.get('/api/v1/accounts?q=zz-lst&limit=11');
        assert.equal(typeof more.json.next_cursor, 'string');
    });

    test('a cursor continues a filtered search after its last key', async () => {
        const pages = await walk(revops, '/api/v1/accounts?q=lister', 2);
        const seen = pages.flatMap((p) => ids(p.items));
        assert.deepEqual(seen, ['zz-lst-001', 'zz-lst-002', 'zz-lst-007',
            'zz-lst-008', 'zz-lst-009', 'zz-lst-010', 'zz-lst-011',
            'zz-lst-012']);
        assert.equal(pages.length, 4);
    });

    test('a record inserted behind the cursor mid-walk duplicates nothing', async () => {
        const want = MINE.map((a) => a[0]);
        let r = await revops.get('/api/v1/accounts?q=zz-lst-0&limit=5');
        const seen = ids(r.json.items);
        assert.deepEqual(seen, want.slice(0, 5));
        // Behind the cursor: an offset walk would now see zz-lst-005 twice.
        const ins = await revops.post('/api/v1/accounts',
            { id: 'zz-lst-000', name: 'Inserted Behind', status: 'prospect' });
        assert.equal(ins.status, 201, ins.text);
        let cursor = r.json.next_cursor;
        while (cursor) {
            r = await revops.get('/api/v1/accounts?q=zz-lst-0&limit=5' +
                `&cursor=${encodeURIComponent(cursor)}`);
            assert.equal(r.status, 200);
            seen.push(...ids(r.json.items));
            cursor = r.json.next_cursor;
        }
        assert.deepEqual(seen, want);
        // The offset page shows what the cursor avoided.
        r = await revops.get('/api/v1/accounts?q=zz-lst-0&limit=5&offset=5');
        assert.equal(r.json.items[0].id, 'zz-lst-005');
    });

    test('users (paged after visibility) and holidays (date keys) walk too', async () => {
        const all = (await revops.get('/api/v1/users?limit=1000')).json.items;
        assert.ok(all.length > 5);
        const users = (await walk(revops, '/api/v1/users', 4))
            .flatMap((p) => ids(p.items));
        assert.deepEqual(users, ids(all));
        ascending(users);

        const days = (await revops.get('/api/v1/holidays?limit=1000')).json
            .items;
        assert.ok(days.length > 3, `${days.length} holidays`);
        const walked = (await walk(revops, '/api/v1/holidays', 3))
            .flatMap((p) => ids(p.items, 'on'));
        assert.deepEqual(walked, ids(days, 'on'));
        ascending(walked);
    });

    test('a bad cursor is a 400 naming the cursor', async () => {
        const deals = await revops.get('/api/v1/deals?limit=1');
        const dealCursor = deals.json.next_cursor;
        assert.equal(typeof dealCursor, 'string');
        const holidays = await revops.get('/api/v1/holidays?limit=1');
        for (const bad of ['!!!', 'not-a-cursor', 'AAAA', dealCursor,
            // A holiday cursor whose date is no date.
            Buffer.from('holidays:2026-13-45').toString('base64url')]) {
            const r = await revops.get(
                `/api/v1/accounts?cursor=${encodeURIComponent(bad)}`);
            assert.equal(r.status, 400, bad);
            assert.equal(r.json.error.field, 'cursor');
        }
        const r = await revops.get('/api/v1/holidays?cursor=' +
            Buffer.from('holidays:2026-13-45').toString('base64url'));
        assert.equal(r.status, 400);
        assert.equal(r.json.error.field, 'cursor');
        // The holiday list's own cursor works on it.
        const ok = await revops.get('/api/v1/holidays?cursor=' +
            encodeURIComponent(holidays.json.next_cursor));
        assert.equal(ok.status, 200);
    });
});

describe('paged inbox', () => {
    test('walks the inbox newest first, every message once', async () => {
        const whole = await salesManager.get('/api/v1/inbox?limit=500');
        assert.equal(whole.status, 200);
        const want = ids(whole.json.items);
        assert.ok(want.length > 8, `${want.length} messages`);
        assert.equal(whole.json.next_cursor, null);
        const pages = await walk(salesManager, '/api/v1/inbox', 4);
        const seen = pages.flatMap((p) => ids(p.items));
        assert.deepEqual(seen, want);
        for (let i = 1; i < seen.length; i++)
            assert.ok(seen[i - 1] > seen[i]);
        assert.equal(pages.length, Math.ceil(want.length / 4));
        // Every page still counts the whole inbox.
        for (const p of pages) {
            assert.equal(p.total, want.length);
            assert.equal(p.unread, whole.json.unread);
        }
    });

    test('kind shows one kind of notification, counted, walked by its ' +
        'cursors; kinds counts every kind', async () => {
        const whole = (await salesManager.get('/api/v1/inbox?limit=500')).json;
        const count = {};
        for (const m of whole.items)
            count[m.kind] = (count[m.kind] ?? 0) + 1;
        assert.deepEqual(whole.kinds, count);
        const kinds = Object.keys(count);
        assert.ok(kinds.length >= 2, kinds.join(' '));
        for (const k of kinds) {
            const want = whole.items.filter((m) => m.kind === k);
            const pages = await walk(salesManager,
                `/api/v1/inbox?kind=${k}`, 2);
            assert.deepEqual(pages.flatMap((p) => ids(p.items)), ids(want), k);
            for (const p of pages) {
                assert.equal(p.total, want.length, k);
                assert.equal(p.unread, want.filter((m) => m.unread).length);
                assert.deepEqual(p.kinds, count);
            }
        }
        const none = (await salesManager.get('/api/v1/inbox?kind=no_such'))
            .json;
        assert.deepEqual([none.items.length, none.total], [0, 0]);
        for (const bad of ['', 'Sales-Flag', 'x'.repeat(65), '%27']) {
            const r = await salesManager.get(`/api/v1/inbox?kind=${bad}`);
            assert.equal(r.status, 400, bad);
            assert.equal(r.json.error.field, 'kind', bad);
        }
    });

    test('limit defaults to 50 and is at most 500; bad cursors are 400', async () => {
        const r = await salesManager.get('/api/v1/inbox');
        assert.equal(r.json.limit, 50);
        for (const [q, field] of [['limit=501', 'limit'], ['limit=0', 'limit'],
            ['limit=x', 'limit'], ['cursor=%25%25', 'cursor'],
            ['cursor=' + Buffer.from('audit:5').toString('base64url'),
                'cursor'],
            ['cursor=' + Buffer.from('inbox:-3').toString('base64url'),
                'cursor']]) {
            const bad = await salesManager.get(`/api/v1/inbox?${q}`);
            assert.equal(bad.status, 400, q);
            assert.equal(bad.json.error.field, field, q);
        }
    });
});

describe('paged audit trail', () => {
    test('walks a record history oldest first, every entry once', async () => {
        const path = '/api/v1/accounts/zz-lst-012';
        for (let i = 0; i < 6; i++) {
            const cur = await revops.get(path);
            const r = await revops.patch(path, { region: `region-${i}` },
                { headers: { 'if-match': cur.headers.get('etag') } });
            assert.equal(r.status, 200, r.text);
        }
        const whole = await revops.get('/api/v1/audit/accounts/zz-lst-012');
        const want = ids(whole.json.items);
        assert.equal(want.length, 7); // the insert and six updates
        assert.equal(whole.json.next_cursor, null);
        const pages = await walk(revops, '/api/v1/audit/accounts/zz-lst-012',
            3);
        const seen = pages.flatMap((p) => ids(p.items));
        assert.deepEqual(seen, want);
        assert.equal(pages.length, 3);
        assert.deepEqual(pages.map((p) => p.items.length), [3, 3, 1]);
        assert.equal(pages[2].items[0].new.region, 'region-5');
    });

    test('bad limits and cursors are 400 naming the field', async () => {
        const path = '/api/v1/audit/accounts/zz-lst-012';
        const inbox = await salesManager.get('/api/v1/inbox?limit=1');
        for (const [q, field] of [['limit=501', 'limit'],
            ['limit=-1', 'limit'], ['cursor=zzzz', 'cursor'],
            ['cursor=' + encodeURIComponent(inbox.json.next_cursor),
                'cursor']]) {
            const r = await revops.get(`${path}?${q}`);
            assert.equal(r.status, 400, q);
            assert.equal(r.json.error.field, field, q);
        }
    });
});

describe('the OpenAPI document', () => {
    test('describes the query parameters of the paged lists', async () => {
        const doc = (await revops.get('/api/v1/openapi.json')).json;
        const names = (p) => (doc.paths[p].get.parameters ?? [])
            .filter((x) => x.in === 'query').map((x) => x.name);
        for (const n of ['q', 'limit', 'offset', 'cursor', 'status'])
            assert.ok(names('/api/v1/accounts').includes(n), n);
        assert.deepEqual(names('/api/v1/inbox'), ['limit', 'cursor', 'kind']);
        assert.deepEqual(names('/api/v1/audit/{entity}/{id}'),
            ['limit', 'cursor']);
    });
});
