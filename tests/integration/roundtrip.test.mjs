// Importing every canonical kind and exporting it gives the same CSV back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
    KINDS, PG, exportKind, fixture, fixturePath, info, ok, parseCsv,
    parseSummary, tempDir, workspace, writeCsv,
} from './lib.mjs';

test('init reports the workspace and its schema version', (t) => {
    const db = workspace(t);
    const r = ok(['init', '--db', db]); // a second init is a no-op migrate
    assert.equal(r.stdout.trim(), `workspace ready: ${db} (schema version 3)`);
    const i = info(db);
    assert.equal(i.backend, PG ? 'postgres' : 'sqlite');
    assert.equal(i.schema_version, 3);
    assert.equal(i.db, db);
    for (const k of [...KINDS, 'audit'])
        assert.equal(i.counts[k], 0, `${k} starts empty`);
});

test('every kind round-trips through import and export', async (t) => {
    const db = workspace(t);
    for (const kind of KINDS) {
        const r = ok(['import', kind, fixturePath(kind), '--db', db]);
        const want = parseCsv(fixture(kind)).length - 1;
        assert.deepEqual(parseSummary(r.stdout), {
            kind, rows: want, inserted: want, updated: 0, unchanged: 0, bad: 0,
        }, `${kind} summary: ${r.stdout}`);
    }
    const counts = info(db).counts;
    for (const kind of KINDS) {
        await t.test(kind, () => {
            const text = fixture(kind);
            const out = exportKind(db, kind);
            assert.equal(counts[kind], parseCsv(text).length - 1);
            // Cell by cell first (clearer failures), then byte for byte:
            // the fixtures are written in canonical form (minimal quoting,
            // LF line ends, rows in key order).
            assert.deepEqual(parseCsv(out), parseCsv(text));
            assert.equal(out, text);
        });
    }
});

test('export -o writes the same CSV to a file', (t) => {
    const db = workspace(t);
    ok(['import', 'users', fixturePath('users'), '--db', db]);
    const file = path.join(tempDir(t), 'users-out.csv');
    const r = ok(['export', 'users', '-o', file, '--db', db]);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), fixture('users'));
});

test('rows come out in key order whatever the file order', (t) => {
    const db = workspace(t);
    const lines = fixture('holidays').trimEnd().split('\n');
    const shuffled = [lines[0], lines[3], lines[1], lines[2]].join('\n') + '\n';
    const file = writeCsv(tempDir(t), 'holidays.csv', shuffled);
    ok(['import', 'holidays', file, '--db', db]);
    assert.equal(exportKind(db, 'holidays'), fixture('holidays'));
});
