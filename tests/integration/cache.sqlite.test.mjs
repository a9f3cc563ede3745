// The snapshot cache: `report` and `patterns` write WORKSPACE.snapshot
// beside a SQLite workspace and read it back while nothing changed; an
// import between runs is seen at once; --no-cache and
// CLOSELOOP_SNAPSHOT_CACHE=0 neither read nor write it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoCopy, ok, tempDir } from './lib.mjs';

const NOW = ['--now', '2026-11-23'];

test('a changed workspace is seen through the cache', (t) => {
    const dir = tempDir(t, 'closeloop-cache-');
    const db = path.join(dir, 'demo.db');
    const cache = `${db}.snapshot`;
    demoCopy(db, NOW);
    const pipeline = (...extra) => ok(['report', 'pipeline', '--db', db,
        '--timing', ...NOW, ...extra]);

    let r = pipeline();
    assert.ok(existsSync(cache), 'the first run writes the cache');
    assert.match(r.stderr, /^timing cache-write /m);
    const before = r.stdout;
    r = pipeline();
    assert.match(r.stderr, /^timing cache-read /m, 'the second run reads it');
    assert.equal(r.stdout, before);

    // One open deal's ARR changes through an import.
    const csv = path.join(dir, 'deals.csv');
    ok(['export', 'deals', '--db', db, '-o', csv]);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const head = lines[0].split(',');
    const [stage, arr] = ['stage', 'arr'].map((c) => head.indexOf(c));
    const i = lines.findIndex((l, k) => k > 0 && !l.includes('"') &&
        !l.split(',')[stage].startsWith('closed') && l.split(',')[arr]);
    assert.ok(i > 0, 'an open deal with an ARR');
    const cells = lines[i].split(',');
    cells[arr] = String(Number(cells[arr]) + 500000);
    writeFileSync(csv, `${lines[0]}\n${cells.join(',')}\n`);
    ok(['import', 'deals', csv, '--db', db]);

    r = pipeline();
    assert.doesNotMatch(r.stderr, /^timing cache-read /m, 'the key changed');
    assert.notEqual(r.stdout, before, 'the figures moved');
    const fresh = pipeline('--no-cache').stdout;
    assert.equal(r.stdout, fresh);
    r = pipeline();
    assert.match(r.stderr, /^timing cache-read /m);
    assert.equal(r.stdout, fresh);
    // patterns reads the same cache file.
    assert.equal(ok(['patterns', '--db', db, ...NOW]).stdout,
        ok(['patterns', '--no-cache', '--db', db, ...NOW]).stdout);
});

test('--no-cache and CLOSELOOP_SNAPSHOT_CACHE=0 leave no cache file', (t) => {
    const dir = tempDir(t, 'closeloop-cache-');
    const db = path.join(dir, 'demo.db');
    const cache = `${db}.snapshot`;
    demoCopy(db, NOW);
    const a = ok(['report', 'pipeline', '--no-cache', '--db', db, ...NOW]);
    ok(['patterns', '--no-cache', '--db', db, ...NOW]);
    assert.ok(!existsSync(cache));
    const b = ok(['report', 'pipeline', '--db', db, ...NOW],
        { env: { CLOSELOOP_SNAPSHOT_CACHE: '0' } });
    assert.ok(!existsSync(cache));
    assert.equal(a.stdout, b.stdout);
    // A garbage cache file is ignored and replaced.
    writeFileSync(cache, 'not a snapshot');
    const c = ok(['report', 'pipeline', '--db', db, ...NOW]);
    assert.equal(c.stdout, a.stdout);
    assert.ok(readFileSync(cache).length > 1000);
    rmSync(cache);
});
