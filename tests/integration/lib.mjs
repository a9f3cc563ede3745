// lib.mjs - helpers for the black-box CLI tests: temp workspaces, running
// the binary, CSV fixtures.  Uses only node's standard library.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PSQL, pgTemplate, sqliteFromTemplate } from './template.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const CANONICAL = path.join(ROOT, 'tests', 'data', 'canonical');

// The binary under test: CLOSELOOP_BIN, else the default build.
export const BIN = path.resolve(ROOT,
    process.env.CLOSELOOP_BIN || path.join('build', 'closeloop'));

// The tests' clock: every closeloop process they start (CLI commands and
// `serve`) reads this instant through CLOSELOOP_NOW unless a test passes
// --now itself, so no outcome depends on the hour or day the suite runs at
// (a Wednesday mid-quarter, after the daily tick hour).
export const TEST_NOW = '2026-11-18T10:00';
export const TEST_TODAY = TEST_NOW.slice(0, 10);
process.env.CLOSELOOP_NOW = TEST_NOW;

// The ten kinds in the order their references need.
export const KINDS = ['users', 'accounts', 'deals', 'churns', 'recoveries',
    'reviews', 'cs_hours', 'arr_movements', 'icp', 'holidays'];

// A fresh temporary directory, removed when the test ends (t.after).
export function tempDir(t, prefix = 'closeloop-') {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    if (t && typeof t.after === 'function')
        t.after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}

// The environment of a run: ours plus extra, where an undefined value
// removes the variable.
function makeEnv(extra = {}) {
    const env = { ...process.env, ...extra };
    for (const k of Object.keys(env))
        if (env[k] === undefined)
            delete env[k];
    return env;
}

// Runs the binary synchronously.  Returns { code, signal, stdout, stderr,
// lines (stderr split into lines, no empty trailing one) }.
export function run(args, opts = {}) {
    const r = spawnSync(BIN, args, {
        cwd: opts.cwd,
        input: opts.input ?? '',
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        // A demo with its loop replay is the longest command the tests
        // run (about 10 s alone under ASan); on a loaded 2-core CI machine
        // it has taken over two minutes, so it gets five.
        timeout: opts.timeout ?? (args[0] === 'demo' ? 300_000 : 120_000),
        env: makeEnv(opts.env),
    });
    if (r.error)
        throw r.error;
    return {
        code: r.status,
        signal: r.signal,
        stdout: r.stdout,
        stderr: r.stderr,
        lines: splitLines(r.stderr),
    };
}

// Starts the binary without waiting; returns the ChildProcess plus a promise
// `done` of { code, signal, stdout, stderr }.
export function start(args, opts = {}) {
    const child = spawn(BIN, args, {
        cwd: opts.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: makeEnv(opts.env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const done = new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) =>
            resolve({ code, signal, stdout, stderr }));
    });
    return { child, done };
}

export function splitLines(s) {
    const lines = s.split('\n');
    if (lines.length && lines[lines.length - 1] === '')
        lines.pop();
    return lines;
}

// Runs and fails with the whole output when the exit code is not `code`.
export function ok(args, opts = {}) {
    const r = run(args, opts);
    const want = opts.code ?? 0;
    if (r.code !== want)
        throw new Error(`closeloop ${args.join(' ')}: exit ${r.code} ` +
            `(signal ${r.signal}), wanted ${want}\nstdout: ${r.stdout}\n` +
            `stderr: ${r.stderr}`);
    return r;
}

// The PostgreSQL server the suite runs against (CLOSELOOP_TEST_PG, a
// postgres:// url of a database the tests may create databases from), or
// null for SQLite files.
export const PG = process.env.CLOSELOOP_TEST_PG || null;

let pgSeq = 0;

// CREATE DATABASE's copy of a template by files: PostgreSQL 15's default,
// WAL_LOG, writes every page of the copy to the WAL, which cost the server
// 315-376 ms of CPU a test database against 120-135 (and a cheaper DROP).
// Older servers copy files anyway, and do not know the clause.
let copyStrategy = null;
function createStrategy() {
    if (copyStrategy === null) {
        const r = spawnSync(PSQL, ['-X', '-A', '-t', '-d', PG, '-c',
            'SHOW server_version_num'], { encoding: 'utf8' });
        copyStrategy = Number(r.stdout) >= 150000 ? ' STRATEGY FILE_COPY'
            : '';
    }
    return copyStrategy;
}

// A fresh PostgreSQL database, empty or a copy of the database `template`
// (template.mjs): its postgres:// url.  Dropped when the test ends (t.after).
export function pgDatabase(t, template = null) {
    const name = `cl_${process.pid}_${pgSeq++}_${Date.now() % 100000}`;
    const psql = (sql) => {
        const r = spawnSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1',
            '-d', PG, '-c', sql], { encoding: 'utf8' });
        if (r.status !== 0)
            throw new Error(`psql ${sql}: ${r.stderr}`);
    };
    psql(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}` +
        createStrategy());
    if (t && typeof t.after === 'function')
        t.after(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const u = new URL(PG);
    u.pathname = `/${name}`;
    return u.toString();
}

// The SQLite workspace db as `closeloop demo --db db ARGS` leaves it: a copy
// of one built once per ARGS (template.mjs), for the tests that start from a
// demo rather than test the demo command.
export function demoCopy(db, args = []) {
    return sqliteFromTemplate(BIN, ['demo', ...args], db,
        (tpl) => ok(['demo', '--db', tpl, ...args]));
}

// As demoCopy, a new PostgreSQL database on CLOSELOOP_TEST_PG (dropped when
// the test ends): its url.
export function demoPg(t, args = []) {
    return pgDatabase(t, pgTemplate(BIN, PG, ['demo', ...args],
        (url) => ok(['demo', '--db', url, ...args])));
}

// A new workspace: a file in a temp dir, or with CLOSELOOP_TEST_PG a new
// PostgreSQL database; returns its --db url as `closeloop init` leaves it
// (a copy of one workspace initialised once per run: cli.once.test.mjs
// tests the command itself).
export function workspace(t, name = 'ws.db') {
    if (PG)
        return pgDatabase(t, pgTemplate(BIN, PG, ['init'],
            (url) => ok(['init', '--db', url])));
    return sqliteFromTemplate(BIN, ['init'], path.join(tempDir(t), name),
        (tpl) => ok(['init', '--db', tpl]));
}

// `closeloop info --format json` parsed.
export function info(db) {
    return JSON.parse(ok(['info', '--db', db, '--format', 'json']).stdout);
}

// `closeloop export KIND` as text.
export function exportKind(db, kind) {
    return ok(['export', kind, '--db', db]).stdout;
}

// Imports file as kind; returns the run result (any exit code).
export function importFile(db, kind, file, extra = []) {
    return run(['import', kind, file, '--db', db, ...extra]);
}

// The text of a canonical fixture, tests/data/canonical/KIND.csv.
export function fixture(kind) {
    return readFileSync(path.join(CANONICAL, `${kind}.csv`), 'utf8');
}
export function fixturePath(kind) {
    return path.join(CANONICAL, `${kind}.csv`);
}

// Writes a CSV file into dir: rows is an array of arrays (quoted as needed)
// or a string written as is.  Returns the path.
export function writeCsv(dir, name, rows) {
    const file = path.join(dir, name);
    const text = typeof rows === 'string' ? rows
        : rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
    writeFileSync(file, text);
    return file;
}

export function csvCell(v) {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// Parses RFC 4180 CSV into an array of rows (arrays of strings).
export function parseCsv(text) {
    const rows = [];
    let row = [];
    let cell = '';
    let i = 0;
    let quoted = false;
    while (i < text.length) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                cell += '"';
                i += 2;
                continue;
            }
            if (c === '"') {
                quoted = false;
                i++;
                continue;
            }
            cell += c;
            i++;
            continue;
        }
        if (c === '"') {
            quoted = true;
        } else if (c === ',') {
            row.push(cell);
            cell = '';
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n')
                i++;
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
        } else {
            cell += c;
        }
        i++;
    }
    if (cell !== '' || row.length) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

// The summary line of an import: { kind, rows, inserted, updated,
// unchanged, bad } or null when stdout has none.
export function parseSummary(stdout) {
    const m = stdout.match(/^(\w+): (\d+) rows: (\d+) inserted, (\d+) updated, (\d+) unchanged, (\d+) bad$/m);
    if (!m)
        return null;
    return { kind: m[1], rows: +m[2], inserted: +m[3], updated: +m[4],
        unchanged: +m[5], bad: +m[6] };
}

// Imports all ten canonical fixtures into db, in reference order.
export function importCanonical(db) {
    for (const kind of KINDS)
        ok(['import', kind, fixturePath(kind), '--db', db]);
}
