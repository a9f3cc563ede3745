// `closeloop backup`: an online copy of a SQLite workspace that a writer
// keeps changing, its check, and what it refuses.  SQLite files only
// (*.sqlite.test.mjs): scripts/test.sh leaves it out of the PostgreSQL lane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, openSync, readFileSync, readdirSync, writeFileSync,
    writeSync, closeSync, statSync, symlinkSync, linkSync } from 'node:fs';
import path from 'node:path';
import { startServer } from './api_lib.mjs';
import { ok, run, start, tempDir } from './lib.mjs';

const NOW = ['--now', '2026-01-15'];

// A demo workspace (always SQLite: backup is a SQLite command), without
// the loop's replay, which nothing here reads.
function demo(t) {
    const dir = tempDir(t);
    const db = path.join(dir, 'demo.db');
    ok(['demo', '--db', db, '--accounts', '200', '--no-loop', ...NOW]);
    return { dir, db };
}

const monthly = (db) => ok(['report', 'monthly', '--period', '2025-12',
    '--format', 'json', '--db', db, ...NOW]).stdout;

const check = (file) => JSON.parse(ok(['backup', '--check', file,
    '--format', 'json']).stdout);

// n churns in December of the demo's won new deals, as one import file.
function churnFile(dir, db, n) {
    const lines = ok(['export', 'deals', '--db', db]).stdout.trim()
        .split('\n').slice(1).map((l) => l.split(','));
    const won = lines.filter((d) => d[5] === 'closed_won' && d[3] === 'new');
    const rows = ['id,account_id,deal_id,churned_on,arr_lost,stated_reason,' +
        'diagnosis,predictive_behavior,primary_cause,contributing_causes,' +
        'tagged_by,tagged_on'];
    for (let i = 0; i < n; i++) {
        const d = won[i % won.length];
        const day = String(1 + (i % 28)).padStart(2, '0');
        rows.push(`x-${i},${d[1]},${d[0]},2025-12-${day},1000,,,,,,,`);
    }
    const file = path.join(dir, 'churns.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    return file;
}

test('a backup taken while an import runs is the workspace as one commit ' +
    'left it', async (t) => {
    const { dir, db } = demo(t);
    const before = monthly(db);
    const beforeChurns = check(db).tables.churns;
    const file = churnFile(dir, db, 20000);

    const writer = start(['import', 'churns', file, '--db', db]);
    const copies = [];
    let during = 0;
    // A dozen copies are enough to land some inside the import; each is
    // checked and reported on below, which a loaded machine pays for.
    while (writer.child.exitCode === null && copies.length < 12) {
        const to = path.join(dir, `copy-${copies.length}.db`);
        const res = await start(['backup', '--db', db, '--to', to]).done;
        assert.equal(res.code, 0, res.stderr);
        // Started and finished while the writer ran.
        during += writer.child.exitCode === null;
        copies.push(to);
    }
    const w = await writer.done;
    assert.equal(w.code, 0, w.stderr);
    // One more once the writer is done: it must have everything.
    const last = path.join(dir, 'copy-last.db');
    ok(['backup', '--db', db, '--to', last]);
    copies.push(last);
    const after = monthly(db);
    // The import changes the report: matching one of the two means
    // something.
    assert.notEqual(after, before);
    assert.ok(during > 0, 'no copy was taken while the import ran');

    for (const c of copies) {
        const info = check(c);
        assert.equal(info.integrity, 'ok', c);
        assert.equal(info.schema_version, check(db).schema_version);
        // All of the import or none of it.
        assert.ok([beforeChurns, beforeChurns + 20000]
            .includes(info.tables.churns), `${c}: ${info.tables.churns}`);
        const report = monthly(c);
        assert.ok(report === before || report === after,
            `${c}: the report matches neither state`);
        assert.equal(report === after,
            info.tables.churns === beforeChurns + 20000);
    }
    assert.equal(monthly(last), after);
    // No FILE.tmp is left behind.
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('backup prints the size and the row counts of the copy', (t) => {
    const { dir, db } = demo(t);
    const to = path.join(dir, 'copy.db');
    const r = ok(['backup', '--db', db, '--to', to]);
    const size = statSync(to).size;
    assert.match(r.stdout, new RegExp(`^${to.replace(/[.]/g, '\\.')}: ` +
        `${size} bytes, schema version \\d+`));
    assert.match(r.stdout, /^ {2}accounts +200$/m);
    const json = JSON.parse(ok(['backup', '--db', db, '--to', to, '--force',
        '--format', 'json']).stdout);
    assert.equal(json.bytes, statSync(to).size);
    assert.equal(json.tables.accounts, 200);
    assert.ok(json.tables.deals > 0 && json.tables.audit > 0);
    // The copy holds what the workspace holds.
    for (const kind of ['users', 'accounts', 'deals', 'churns', 'reviews'])
        assert.equal(ok(['export', kind, '--db', to]).stdout,
            ok(['export', kind, '--db', db]).stdout, kind);
});

test('backup refuses to overwrite a file unless --force', (t) => {
    const { dir, db } = demo(t);
    const to = path.join(dir, 'copy.db');
    writeFileSync(to, 'keep me');
    const r = run(['backup', '--db', db, '--to', to]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines.length, 1);
    assert.match(r.stderr, /exists.*--force/);
    assert.equal(readFileSync(to, 'utf8'), 'keep me');

    ok(['backup', '--db', db, '--to', to, '--force']);
    assert.equal(check(to).integrity, 'ok');
    // Never the workspace itself, --force or not.
    const self = run(['backup', '--db', `sqlite:${db}`, '--to', db,
        '--force']);
    assert.equal(self.code, 1, self.stderr);
    assert.match(self.stderr, /workspace itself/);
    assert.equal(check(db).tables.accounts, 200);
});

test('backup refuses the workspace\'s own files by any name and leaves it ' +
    'whole', async (t) => {
    const { dir, db } = demo(t);
    const accounts = () => ok(['export', 'accounts', '--db', db]).stdout;
    const want = accounts();
    const other = tempDir(t);
    symlinkSync(db, path.join(other, 'link.db'));
    symlinkSync(`${db}-wal`, path.join(other, 'link-wal'));
    linkSync(db, path.join(other, 'hard.db'));
    const names = [`${db}-wal`, `${db}-shm`, `${db}-journal`,
        path.join(dir, '.', 'demo.db-wal'),
        path.join(dir, '..', path.basename(dir), 'demo.db-wal'),
        path.join(other, 'link.db'), path.join(other, 'link-wal'),
        path.join(other, 'hard.db')];
    // A running server holds the workspace open, so its -wal and -shm
    // are live.
    const srv = await startServer(t, db);
    for (const to of names) {
        const r = run(['backup', '--db', db, '--to', to, '--force']);
        assert.equal(r.code, 1, `${to}: ${r.stderr}`);
        assert.equal(r.lines.length, 1, r.stderr);
        assert.match(r.stderr, /workspace itself or its -wal/);
        assert.equal(accounts(), want, to);
    }
    await srv.stop();
    assert.equal(accounts(), want);
    assert.equal(check(db).integrity, 'ok');
    // Relative spellings from the workspace's directory too.
    for (const to of ['demo.db-wal', './demo.db-shm',
        `../${path.basename(dir)}/demo.db`]) {
        const r = run(['backup', '--db', 'demo.db', '--to', to, '--force'],
            { cwd: dir });
        assert.equal(r.code, 1, `${to}: ${r.stderr}`);
    }
    assert.equal(accounts(), want);
    // A copy beside it is still fine.
    ok(['backup', '--db', db, '--to', path.join(dir, 'demo.db-copy')]);
});

test('backup --check finds a damaged copy', (t) => {
    const { dir, db } = demo(t);
    const to = path.join(dir, 'copy.db');
    ok(['backup', '--db', db, '--to', to]);
    // Scribble over pages past the schema (page 1 stays intact).
    const fd = openSync(to, 'r+');
    const size = statSync(to).size;
    for (let off = 8192; off < size; off += 16384)
        writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, off + 100);
    closeSync(fd);
    const r = run(['backup', '--check', to]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.equal(r.lines.length, 1, r.stderr);

    const missing = run(['backup', '--check', path.join(dir, 'none.db')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no workspace at/);
    assert.ok(!existsSync(path.join(dir, 'none.db')));
});

// A live server: tests/integration/pg_migrate.test.mjs.
test('a PostgreSQL workspace is sent to pg_dump', (t) => {
    const dir = tempDir(t);
    const r = run(['backup', '--db', 'postgres://nobody@127.0.0.1:1/none',
        '--to', path.join(dir, 'x.db')]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.lines.length, 1);
    assert.match(r.stderr, /pg_dump/);
    assert.ok(!existsSync(path.join(dir, 'x.db')));
});

test('backup usage errors exit 2 with one line; --help names the options',
    (t) => {
        const dir = tempDir(t);
        for (const args of [['backup'], ['backup', '--to', 'a', '--check',
            'b'], ['backup', '--check', 'b', '--force'],
        ['backup', '--to', 'a', 'extra'], ['backup', '--to', 'a',
            '--format', 'xml']]) {
            const r = run(args, { cwd: dir });
            assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.lines.length, 1, r.stderr);
            assert.equal(r.stdout, '');
        }
        const help = run(['backup', '--help'], { cwd: dir });
        assert.equal(help.code, 0);
        for (const o of ['--to', '--check', '--force', '--db', 'pg_dump'])
            assert.ok(help.stdout.includes(o), o);
        assert.match(run(['--help']).stdout, /^ {2}backup /m);
        assert.deepEqual(readdirSync(dir), []);
    });
