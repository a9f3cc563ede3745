// template.mjs - workspaces copied from a template built once.  Building a
// demo workspace runs the generator (and, with its loop, half a year of the
// engine) under the sanitizers; most tests only need one to start from, the
// same every time.  A template is built the first time a key is asked for and
// copied after that: a SQLite file copied with its journal, a PostgreSQL
// database created with TEMPLATE.
//
// Where templates live: CLOSELOOP_TEST_CACHE (scripts/test.sh sets it to a
// directory of the run, removed at its end, so every test file of the run
// shares one template per key), else a directory of this process, removed at
// exit.  The key names the binary as built (path, size, mtime), the tests'
// clock and the recipe, so a rebuilt binary never reuses an old template.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
    copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync,
    rmSync, statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// psql itself, not Debian's /usr/bin/psql: that is pg_wrapper, a Perl
// script that picks a cluster's version and then runs this one, 81 ms of CPU
// a call against 33 (perf stat), and the PostgreSQL lane makes hundreds.
// CLOSELOOP_PSQL names another; without a server's bin directory, psql.
export const PSQL = process.env.CLOSELOOP_PSQL || newestPsql() || 'psql';

function newestPsql() {
    let versions = [];
    try {
        versions = readdirSync('/usr/lib/postgresql');
    } catch {
        return null;
    }
    const found = versions.filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin/psql`)
        .find((f) => existsSync(f));
    return found || null;
}

const shared = process.env.CLOSELOOP_TEST_CACHE || null;
let own = null;
const ownDbs = [];

// What this process made for itself goes when it exits.
process.on('exit', () => {
    if (own)
        rmSync(own, { recursive: true, force: true });
    for (const [pg, name] of ownDbs)
        psql(pg, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

function cacheDir() {
    if (shared) {
        mkdirSync(shared, { recursive: true });
        return shared;
    }
    own ??= mkdtempSync(path.join(tmpdir(), 'closeloop-tpl-'));
    return own;
}

function psql(pg, text) {
    const r = spawnSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pg,
        '-c', text], { encoding: 'utf8' });
    if (r.status !== 0)
        throw new Error(`psql ${text}: ${r.stderr}`);
}

function pgHas(pg, name) {
    const r = spawnSync(PSQL, ['-X', '-A', '-t', '-d', pg, '-c',
        `SELECT 1 FROM pg_database WHERE datname = '${name}'`],
    { encoding: 'utf8' });
    if (r.status !== 0)
        throw new Error(`psql: ${r.stderr}`);
    return r.stdout.trim() === '1';
}

// The key of a recipe run by the binary bin: a short hex digest.
function keyOf(bin, recipe) {
    const st = statSync(bin);
    return createHash('sha256').update(JSON.stringify([path.resolve(bin),
        st.size, st.mtimeMs, process.env.CLOSELOOP_NOW ?? '', recipe]))
        .digest('hex').slice(0, 16);
}

// A SQLite workspace at dest, a copy of the template `recipe` names; build(db)
// makes the template at db the first time.
export function sqliteFromTemplate(bin, recipe, dest, build) {
    const dir = path.join(cacheDir(), `sqlite-${keyOf(bin, recipe)}`);
    if (!existsSync(dir)) {
        // Built aside and renamed into place, so that a test file running
        // beside this one sees a whole template or none (and if both build
        // it, one rename wins and the other copy is thrown away).
        const work = mkdtempSync(path.join(cacheDir(), 'build-'));
        try {
            build(path.join(work, 'ws.db'));
        } catch (e) {
            rmSync(work, { recursive: true, force: true });
            throw e;
        }
        try {
            renameSync(work, dir);
        } catch (e) {
            if (!existsSync(dir))
                throw e;
            rmSync(work, { recursive: true, force: true });
        }
    }
    // The file with whatever the build left beside it (a journal).
    for (const f of readdirSync(dir))
        if (f.startsWith('ws.db'))
            copyFileSync(path.join(dir, f), dest + f.slice('ws.db'.length));
    return dest;
}

// The name of a PostgreSQL template database on the cluster of the url pg
// (a database the tests may create databases from), built by build(url) the
// first time.  Copy it with CREATE DATABASE ... TEMPLATE.
export function pgTemplate(bin, pg, recipe, build) {
    // A run's templates are shared through the cluster, as its files are
    // through CLOSELOOP_TEST_CACHE; without it, this process's own.
    const name = `cl_tpl_${keyOf(bin, recipe)}${shared ? '' : `_${process.pid}`}`;
    if (pgHas(pg, name))
        return name;
    const work = `cl_tplb_${process.pid}_${Date.now() % 1000000}`;
    psql(pg, `CREATE DATABASE ${work}`);
    const u = new URL(pg);
    u.pathname = `/${work}`;
    try {
        build(u.toString());
        psql(pg, `ALTER DATABASE ${work} RENAME TO ${name}`);
    } catch (e) {
        psql(pg, `DROP DATABASE IF EXISTS ${work} WITH (FORCE)`);
        // Another test file built it first.
        if (!pgHas(pg, name))
            throw e;
        return name;
    }
    if (!shared)
        ownDbs.push([pg, name]);
    return name;
}
