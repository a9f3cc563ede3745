// The demo generator is deterministic and its CSV files import cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KINDS, exportKind, info, ok, parseCsv, tempDir } from './lib.mjs';

// Demo's dependency order (holidays, users, icp, accounts, deals, ...).
const ORDER = ['holidays', 'users', 'icp', 'accounts', 'deals', 'churns',
    'recoveries', 'reviews', 'cs_hours', 'arr_movements'];
const OPTS = ['--accounts', '120', '--now', '2026-01-15'];

function exportAll(db) {
    return Object.fromEntries(KINDS.map((k) => [k, exportKind(db, k)]));
}

test('demo with the same seed gives the same workspace', (t) => {
    const dir = tempDir(t);
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const c = path.join(dir, 'c.db');
    ok(['demo', '--db', a, '--seed', '7', ...OPTS]);
    ok(['demo', '--db', b, '--seed', '7', ...OPTS]);
    ok(['demo', '--db', c, '--seed', '8', ...OPTS]);
    const ea = exportAll(a);
    const eb = exportAll(b);
    for (const k of KINDS) {
        assert.ok(parseCsv(ea[k]).length > 1, `demo fills ${k}`);
        assert.equal(ea[k], eb[k], k);
    }
    assert.equal(info(a).counts.accounts, 120);
    // A different seed gives different data: the equality above means
    // something.
    const ec = exportAll(c);
    assert.notEqual(ec.deals, ea.deals);
});

test('demo --csv writes files that import into the same workspace', (t) => {
    const dir = tempDir(t);
    const csv = path.join(dir, 'csv');
    const ref = path.join(dir, 'ref.db');
    const db = path.join(dir, 'imported.db');
    ok(['demo', '--db', ref, '--seed', '7', ...OPTS]);
    ok(['demo', '--csv', csv, '--seed', '7', ...OPTS]);
    for (const k of KINDS)
        assert.ok(existsSync(path.join(csv, `${k}.csv`)), `${k}.csv written`);
    assert.equal(existsSync(path.join(dir, 'closeloop.db')), false);
    ok(['init', '--db', db]);
    for (const k of ORDER)
        ok(['import', k, path.join(csv, `${k}.csv`), '--db', db]);
    const want = exportAll(ref);
    const got = exportAll(db);
    for (const k of KINDS)
        assert.equal(got[k], want[k], k);
});
