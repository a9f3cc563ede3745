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
    assert.equal(r.stdout.trim(), `workspace ready: ${db} (schema version 12)`);
    const i = info(db);
    assert.equal(i.backend, PG ? 'postgres' : 'sqlite');
    assert.equal(i.schema_version, 12);
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

// OWASP "CSV Injection": text a spreadsheet would run as a formula is
// exported with a leading apostrophe; numbers and dates are left alone;
// the export still imports to the same records.
test('formula-like text is exported guarded and round-trips', (t) => {
    const db = workspace(t);
    const dir = tempDir(t);
    for (const kind of ['users', 'accounts', 'deals'])
        ok(['import', kind, fixturePath(kind), '--db', db]);
    const head = parseCsv(fixture('churns'))[0];
    const evil = '=HYPERLINK("http://x","y")';
    const row = (id, reason, diag) => Object.assign(
        Object.fromEntries(head.map((h) => [h, ''])), {
            id, account_id: 'A002', deal_id: 'D002', churned_on: '2024-04-30',
            arr_lost: '9600.5', stated_reason: reason, diagnosis: diag,
        });
    const rows = [row('C901', evil, '-5 seats, then @everyone left'),
        // A file may carry the guard itself: one apostrophe is removed on
        // import, so "''=x" is the text "'=x".
        row('C902', "''=twice", '+1 555 0100'),
        row('C903', '\tTabbed', 'plain text')];
    writeCsv(dir, 'churns.csv',
        [head, ...rows.map((r) => head.map((h) => r[h]))]);
    ok(['import', 'churns', path.join(dir, 'churns.csv'), '--db', db]);

    const out = exportKind(db, 'churns');
    const cells = parseCsv(out);
    const col = (name) => cells[0].indexOf(name);
    const byId = Object.fromEntries(cells.slice(1).map((c) => [c[0], c]));
    assert.equal(byId.C901[col('stated_reason')], `'${evil}`);
    assert.equal(byId.C901[col('diagnosis')], "'-5 seats, then @everyone left");
    assert.equal(byId.C902[col('stated_reason')], "''=twice");
    assert.equal(byId.C902[col('diagnosis')], "'+1 555 0100");
    assert.equal(byId.C903[col('stated_reason')], "'\tTabbed");
    assert.equal(byId.C903[col('diagnosis')], 'plain text');
    // Numbers and dates stay as they are.
    assert.equal(byId.C901[col('arr_lost')], '9600.5');
    assert.equal(byId.C901[col('churned_on')], '2024-04-30');

    // Imported elsewhere, the export is the same records, byte for byte.
    const copy = workspace(t, 'copy.db');
    for (const kind of ['users', 'accounts', 'deals'])
        ok(['import', kind, fixturePath(kind), '--db', copy]);
    writeCsv(dir, 'exported.csv', out);
    ok(['import', 'churns', path.join(dir, 'exported.csv'), '--db', copy]);
    assert.equal(exportKind(copy, 'churns'), out);
    // Importing the export into the same workspace changes nothing.
    const again = ok(['import', 'churns', path.join(dir, 'exported.csv'),
        '--db', db]);
    assert.equal(parseSummary(again.stdout).unchanged, 3);

    // The monthly report's CSV guards the stated reason too.
    const csv = ok(['report', 'monthly', '--period', '2024-04', '--format',
        'csv', '--db', db]).stdout;
    assert.ok(csv.includes(`'=HYPERLINK(`), csv);
    assert.ok(!/(^|,)=HYPERLINK/m.test(csv), csv);
});
