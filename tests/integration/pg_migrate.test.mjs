// `closeloop migrate --from sqlite:PATH --to postgres://...`: the demo
// workspace moved to PostgreSQL answers every report, export and history
// with the same bytes; a non-empty target is refused.  Runs only when
// CLOSELOOP_TEST_PG names a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { KINDS, PG, demoCopy, ok, pgDatabase, run, tempDir } from './lib.mjs';

const skip = !PG && 'needs CLOSELOOP_TEST_PG';
const REPORTS = ['monthly', 'bad-fit', 'icp', 'recovery', 'health', 'audit',
    'pipeline'];
const NOW = '2026-11-02';

// A demo SQLite workspace after a tick (tasks, sessions, outbox, flags).
function demo(t) {
    const db = demoCopy(path.join(tempDir(t), 'demo.db'), ['--now', '2026-11-01']);
    ok(['tick', '--now', NOW, '--db', db]);
    return db;
}

// What a user sees of a workspace, beside the reports.
function views(db) {
    const v = {};
    for (const k of KINDS)
        v[`export ${k}`] = ok(['export', k, '--db', db]).stdout;
    for (const args of [['history'], ['tasks', '--format', 'json'],
        ['outbox', '--format', 'json'], ['session', 'list', '--format', 'json'],
        ['info', '--format', 'json']])
        v[args.join(' ')] = ok([...args, '--db', db]).stdout
            .replace(/"db": "[^"]*"/, '').replace(/"backend": "[a-z]+"/, '');
    return v;
}

test('the demo workspace migrated to PostgreSQL gives the same reports',
    { skip }, (t) => {
        const src = demo(t);
        const dst = pgDatabase(t);
        const r = ok(['migrate', '--from', `sqlite:${src}`, '--to', dst]);
        const lines = r.stdout.trim().split('\n');
        assert.match(lines.at(-1), /^migrated /);
        const tables = lines.slice(0, -1).map((l) => l.split(/\s+/)[0]);
        // Every table of the workspace is copied: one added to the schema
        // and forgotten by migrate would be lost in the move (the
        // scheduled sessions were).
        const schema = spawnSync('sqlite3', [src, "SELECT name FROM " +
            "sqlite_master WHERE type = 'table' AND name NOT IN " +
            "('workspaces', 'schema_migrations') AND name NOT LIKE " +
            "'sqlite_%' ORDER BY name"], { encoding: 'utf8' }).stdout
            .trim().split('\n');
        assert.ok(schema.length > 20, schema.join(' '));
        assert.deepEqual([...tables].sort(), schema);
        for (const l of lines.slice(0, -1))
            assert.match(l, /^\S+\s+\d+ rows {2}checksum [0-9a-f]{16} {2}ok$/);

        for (const rep of REPORTS) {
            const args = ['report', rep, '--format', 'json', '--now', NOW];
            const a = ok([...args, '--db', src]).stdout;
            const b = ok([...args, '--db', dst]).stdout;
            assert.ok(a.length > 100, `${rep} has content`);
            assert.equal(b, a, `report ${rep}`);
        }
        assert.deepEqual(views(dst), views(src));

        // Both keep working alike: the next tick does the same on each.
        const ta = ok(['tick', '--now', '2026-12-01', '--db', src]).stdout;
        const tb = ok(['tick', '--now', '2026-12-01', '--db', dst]).stdout;
        assert.equal(tb, ta);
        assert.deepEqual(views(dst), views(src));
    });

test('migrate refuses a workspace that already holds data, writing nothing',
    { skip }, (t) => {
        const src = demo(t);
        const dst = pgDatabase(t);
        ok(['init', '--db', dst]);
        ok(['config', 'set', 'smtp_from', 'x@example.com', '--db', dst]);
        const before = ok(['info', '--format', 'json', '--db', dst]).stdout;
        const r = run(['migrate', '--from', src, '--to', dst]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /not empty .* config/);
        assert.equal(ok(['info', '--format', 'json', '--db', dst]).stdout,
            before);
    });

test('backup of a PostgreSQL workspace is sent to pg_dump, writing nothing',
    { skip }, (t) => {
        const db = pgDatabase(t);
        ok(['init', '--db', db]);
        const to = path.join(tempDir(t), 'x.db');
        const r = run(['backup', '--db', db, '--to', to]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.lines.length, 1);
        assert.match(r.stderr, /pg_dump/);
        assert.ok(!existsSync(to));
    });

test('migrate names a missing source instead of creating one', { skip },
    (t) => {
        const dst = pgDatabase(t);
        const missing = path.join(tempDir(t), 'nope.db');
        const r = run(['migrate', '--from', missing, '--to', dst]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /no such workspace/);
    });

test('--db postgres: takes the server from the PG* variables', { skip },
    (t) => {
        const url = new URL(pgDatabase(t));
        ok(['init', '--db', url.toString()]);
        ok(['config', 'set', 'smtp_from', 'loop@example.com', '--db',
            url.toString()]);
        const env = { PGHOST: url.hostname, PGPORT: url.port,
            PGUSER: decodeURIComponent(url.username),
            PGDATABASE: url.pathname.slice(1) };
        const r = ok(['config', 'get', 'smtp_from', '--db', 'postgres:'],
            { env });
        assert.match(r.stdout, /loop@example\.com/);
        const i = JSON.parse(ok(['info', '--format', 'json', '--db',
            'postgres:'], { env }).stdout);
        assert.equal(i.backend, 'postgres');
        assert.equal(i.counts.audit, 1);
        // Without them libpq's defaults name no server of ours: a storage
        // error, exit 3, said in one line.
        const bad = run(['info', '--db', 'postgres:'], { env: {
            PGHOST: '127.0.0.1', PGPORT: '1', PGUSER: env.PGUSER } });
        assert.equal(bad.code, 3, bad.stderr);
        assert.match(bad.stderr, /cannot connect/);
    });
