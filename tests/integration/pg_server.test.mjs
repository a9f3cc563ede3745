// The HTTP API answers alike on both backends: the same demo workspace on
// SQLite and on PostgreSQL, served by `closeloop serve`, gives the same
// bytes for every read and the same audit entries for a settings change.
// Runs only when CLOSELOOP_TEST_PG names a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PG, demoCopy, demoPg, ok, pgDatabase, start, tempDir } from
    './lib.mjs';
import { sql } from './api_lib.mjs';

const skip = !PG && 'needs CLOSELOOP_TEST_PG';

// Starts `closeloop serve` on db; resolves to { base, stop }.
async function serve(t, db) {
    const s = start(['serve', '--listen', '127.0.0.1:0', '--tick-hour', '-1',
        '--deliver-every', '0', '--quiet', '--db', db]);
    t.after(() => s.child.kill('SIGTERM'));
    let out = '';
    s.child.stdout.on('data', (d) => { out += d; });
    s.child.stderr.on('data', (d) => { out += d; });
    for (let i = 0; i < 200 && !/127\.0\.0\.1:(\d+)/.test(out); i++)
        await new Promise((r) => setTimeout(r, 25));
    const port = out.match(/127\.0\.0\.1:(\d+)/)[1];
    return `http://127.0.0.1:${port}/api/v1`;
}

async function workspaceServed(t, db) {
    ok(['tick', '--now', '2026-11-02', '--db', db]);
    const token = ok(['token', 'create', '--user', 'u-revops-1', '--db', db])
        .stdout.trim();
    return { base: await serve(t, db), token, db };
}

test('the API gives the same answers on SQLite and PostgreSQL', { skip },
    async (t) => {
        const sq = await workspaceServed(t,
            demoCopy(path.join(tempDir(t), 'api.db'), ['--now', '2026-11-01']));
        const pg = await workspaceServed(t, demoPg(t, ['--now', '2026-11-01']));
        const get = async (w, p) => {
            const r = await fetch(`${w.base}/${p}`,
                { headers: { Authorization: `Bearer ${w.token}` } });
            return `${r.status} ${await r.text()}`;
        };
        for (const p of ['me', 'accounts', 'accounts?limit=7&offset=5',
            'deals?stage=closed_won', 'deals/d-0000001', 'churns', 'tasks',
            'sessions', 'inbox', 'coaching', 'settings/taxonomy',
            'settings/thresholds', 'settings/config', 'reports',
            'reports/monthly?period=2026-10', 'accounts/a-000001/page',
            'audit/deals/d-0000001']) {
            const a = await get(sq, p);
            assert.match(a, /^200 /, `${p}: ${a.slice(0, 200)}`);
            assert.equal(await get(pg, p), a, p);
        }
        const patch = async (w) => {
            const r = await fetch(
                `${w.base}/settings/thresholds/icp_review_share`, {
                    method: 'PATCH',
                    headers: { Authorization: `Bearer ${w.token}`,
                        'If-Match': '*', 'Content-Type': 'application/json' },
                    body: JSON.stringify({ value: 0.3 }),
                });
            return `${r.status} ${await r.text()}`;
        };
        const a = await patch(sq);
        assert.match(a, /^200 /);
        assert.equal(await patch(pg), a);
        const last = (db) => ok(['history', '--entity', 'thresholds',
            '--format', 'json', '--db', db]).stdout
            .replace(/"at": "[^"]*"/g, '');
        assert.equal(last(pg.db), last(sq.db));
    });

// The demo's replay grows the loop's tables from nothing in one connection,
// whose plans, made on the first days, PostgreSQL keeps until a table is
// analyzed: without statistics the replay read the whole outbox for each
// lookup by key (17-70 s instead of 13).  Its copies keep the statistics.
// last_analyze is set by an ANALYZE the demo ran, not autovacuum's.
test('the demo analyzes the loop\'s tables on PostgreSQL', { skip }, (t) => {
    const db = pgDatabase(t);
    ok(['demo', '--accounts', '60', '--loop-days', '30', '--now', '2026-11-01',
        '--db', db]);
    const analyzed = sql(db, 'SELECT string_agg(relname, \' \' ORDER BY ' +
        'relname) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ' +
        'AND relname IN (\'audit\', \'flags\', \'outbox\', \'tasks\')');
    assert.equal(analyzed, 'audit flags outbox tasks');
});

// An import's events open the loop's rows in its own transaction, where
// PostgreSQL had planned the reads of a task once, on the empty table; the
// store analyzes the loop's tables as they grow (an import of 160,000 deals
// took 42 s before, 7.5 after).
test('an import that opens hundreds of tasks analyzes the loop\'s tables',
    { skip }, (t) => {
        const dir = tempDir(t);
        ok(['demo', '--accounts', '2000', '--now', '2026-11-01', '--csv', dir,
            '--db', path.join(dir, 'gen.db')]);
        const db = pgDatabase(t);
        ok(['init', '--db', db]);
        for (const k of ['users', 'accounts', 'deals'])
            ok(['import', k, path.join(dir, `${k}.csv`), '--now',
                '2026-11-01', '--db', db]);
        const tasks = Number(sql(db, 'SELECT count(*) FROM tasks'));
        assert.ok(tasks >= 128, `tasks: ${tasks}`);
        assert.equal(sql(db, 'SELECT last_analyze IS NOT NULL FROM ' +
            'pg_stat_user_tables WHERE relname = \'tasks\''), 't');
    });
