// Exit codes, usage messages and --help of every subcommand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { PG, info, run, tempDir, workspace, writeCsv } from './lib.mjs';

// Each subcommand of the contract and options its --help must mention.
const HELP = {
    init: ['--db'],
    import: ['--db', '--skip-bad', '--ignore-extra', '--actor', '--now'],
    export: ['--db', '-o'],
    info: ['--db', '--format'],
    demo: ['--db', '--accounts', '--seed', '--now', '--csv'],
    history: ['--db', '--entity', '--id', '--format'],
};

test('closeloop --help lists the subcommands', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const sub of Object.keys(HELP))
        assert.match(r.stdout, new RegExp(`\\b${sub}\\b`), sub);
});

for (const [sub, opts] of Object.entries(HELP)) {
    test(`closeloop ${sub} --help`, (t) => {
        // --help must not touch a workspace.
        const dir = tempDir(t);
        const r = run([sub, '--help'], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
        for (const o of opts)
            assert.ok(r.stdout.includes(o), `${sub} --help mentions ${o}`);
        assert.equal(existsSync(path.join(dir, 'closeloop.db')), false);
    });
}

test('every command answers --help, those with actions too', (t) => {
    const dir = tempDir(t);
    const subs = run(['--help']).stdout.split('\n')
        .filter((l) => /^ {2}[a-z]/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    assert.ok(subs.includes('churn') && subs.includes('session'), subs.join());
    for (const sub of subs) {
        const r = run([sub, '--help'], { cwd: dir });
        assert.equal(r.code, 0, `${sub}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^usage: closeloop ${sub}\\b`), sub);
    }
});

function usageError(args) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.lines.length, 1, `one line: ${JSON.stringify(r.stderr)}`);
    assert.ok(r.lines[0].length > 0);
    assert.equal(r.stdout, '');
    return r.lines[0];
}

test('usage errors exit 2 with one line', (t) => {
    const db = path.join(tempDir(t), 'ws.db');
    assert.match(usageError(['frobnicate', '--db', db]), /frobnicate/);
    usageError(['import', 'deals', '--db', db]);          // FILE missing
    usageError(['import', '--db', db]);                   // KIND missing
    assert.match(usageError(['export', 'deals', '--bogus', '--db', db]),
        /--bogus/);
    usageError(['info', '--db']);                         // option value missing
    assert.match(usageError(['import', 'deals', 'x.csv', '--now', 'soon',
        '--db', db]), /soon/);
});

test('closeloop without a command is a usage error', () => {
    const r = run([]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /import/);
});

test('bad input exits 1', (t) => {
    const db = workspace(t);
    const file = writeCsv(tempDir(t), 'holidays.csv',
        'on,name\n2024-02-30,Not a day\n');
    const r = run(['import', 'holidays', file, '--db', db]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.lines[0], new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}:2: on: `));
    assert.equal(info(db).counts.holidays, 0);
});

test('a workspace in a directory that does not exist exits 3', (t) => {
    const db = path.join(tempDir(t), 'no', 'such', 'dir', 'ws.db');
    for (const args of [['init'], ['info'], ['export', 'users']]) {
        const r = run([...args, '--db', db]);
        assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
        assert.equal(r.lines.length, 1, r.stderr);
    }
    const r = run(['init', '--db', `sqlite:${db}`]);
    assert.equal(r.code, 3, r.stderr);
});

test('sqlite:PATH names the same workspace as PATH',
    { skip: PG && 'SQLite file urls' }, (t) => {
    const db = workspace(t);
    const a = info(db);
    const r = run(['info', '--db', `sqlite:${db}`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).counts, a.counts);
});

test('the default workspace is ./closeloop.db', (t) => {
    const dir = tempDir(t);
    const r = run(['init'], { cwd: dir, env: { CLOSELOOP_DB: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, 'closeloop.db')));
});
