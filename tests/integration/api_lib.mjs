// api_lib.mjs - helpers for the black-box API tests: a demo workspace with a
// password for one user of each role, `closeloop serve` on a free loopback
// port, and a small HTTP client that keeps the session cookie and CSRF token.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

import { BIN, PG, TEST_TODAY, ok, pgDatabase, tempDir } from './lib.mjs';
import { PSQL, pgTemplate, sqliteFromTemplate } from './template.mjs';

export const PASSWORD = 'demo-pass-1';
export const ROLES = ['csm', 'cs_manager', 'ae', 'sales_manager', 'vp_sales',
    'vp_cs', 'marketing', 'revops', 'admin'];

// The demo workspace: its users of each role (by id) come from the demo
// generator; every user gets PASSWORD with `closeloop user passwd`.  A copy
// of one built once (template.mjs): a SQLite file, or with CLOSELOOP_TEST_PG
// a new PostgreSQL database.
export function demoWorkspace(t, extraSql = '') {
    const dir = tempDir(t, 'closeloop-api-');
    const recipe = 'api demoWorkspace 1';
    const db = PG ? pgDatabase(t, pgTemplate(BIN, PG, recipe, buildDemo))
        : sqliteFromTemplate(BIN, recipe, path.join(dir, 'demo.db'), buildDemo);
    const users = JSON.parse(sql(db, PG
        ? "SELECT json_agg(json_build_object('id', id, 'email', email, " +
          "'role', role, 'name', name, 'manager_id', manager_id) ORDER BY id) FROM users"
        : "SELECT json_group_array(json_object('id', id, 'email', email, " +
          "'role', role, 'name', name, 'manager_id', manager_id)) FROM users"));
    if (extraSql)
        sql(db, extraSql);
    return { dir, db, users };
}

// demoWorkspace's template at db.
function buildDemo(db) {
    // Without the loop replay: the tests drive the engine themselves from
    // a workspace where it has not run (session 1 open, no tasks done).
    ok(['demo', '--db', db, '--no-loop']);
    const first = sql(db, 'SELECT min(id) FROM users');
    // One password set the real way; the others get the same argon2id
    // string (its salt inside), as 26 hashes would cost the suite minutes.
    ok(['user', 'passwd', first, '--db', db], { input: PASSWORD + '\n' });
    sql(db, 'UPDATE users SET password_hash = (SELECT password_hash FROM ' +
        `users WHERE id = '${first}') WHERE password_hash IS NULL`);
    // The engine's first tick: review tasks, sessions with their packs.
    ok(['tick', '--db', db]);
}

// A coaching item (id 900) of the first AE, for demoWorkspace's extraSql:
// the engine opens these when the over-promise threshold fires, and the
// demo's quarter may not fire it.
export const COACHING_ITEM_SQL =
    "INSERT INTO coaching_items (workspace_id, id, ae_id, session_id, " +
    "period, cause, note, status, created_at, audience) VALUES (1, 900, " +
    "'u-ae-1', NULL, '2026Q3', 'feature_overpromise', " +
    "'Two over-promise churns on your deals', 'open', " +
    "'2026-10-01T00:00:00Z', 'user:u-ae-1;user:u-sales-manager-1;" +
    "role:vp_sales;role:revops')";

// Runs SQL with Debian's sqlite3, or psql for a postgres:// workspace
// (test set-up only; columns joined by '|' either way); returns stdout.
export function sql(db, text) {
    const pg = db.startsWith('postgres');
    const r = pg
        ? spawnSync(PSQL, ['-X', '-q', '-A', '-t', '-F', '|', '-v',
            'ON_ERROR_STOP=1', '-d', db, '-c', text], { encoding: 'utf8' })
        : spawnSync('sqlite3', [db, text], { encoding: 'utf8' });
    if (r.status !== 0)
        throw new Error(`${pg ? 'psql' : 'sqlite3'}: ${r.stderr}`);
    return r.stdout.trim();
}

// Starts `closeloop serve` on a free port; stopped when the test ends.
export async function startServer(t, db, extra = []) {
    const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db,
        '--tick-hour', '-1', '--deliver-every', '0', ...extra],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => {
        stderr += d;
        // CLOSELOOP_SERVE_LOG=FILE keeps the access log for a failing run.
        if (process.env.CLOSELOOP_SERVE_LOG)
            appendFileSync(process.env.CLOSELOOP_SERVE_LOG, d);
    });
    let out = '';
    const port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(
            `serve did not start: ${stderr}`)), 10_000);
        proc.stdout.on('data', (d) => {
            out += d;
            const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        proc.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`serve exited ${code}: ${stderr}`));
        });
    });
    const srv = {
        proc, port, base: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        async stop() {
            if (proc.exitCode !== null || proc.signalCode)
                return { code: proc.exitCode, signal: proc.signalCode };
            proc.kill('SIGTERM');
            const [code, signal] = await once(proc, 'exit');
            return { code, signal };
        },
    };
    if (t && typeof t.after === 'function')
        t.after(() => srv.stop());
    return srv;
}

// A client: remembers the session cookie and CSRF token after login().
export class Client {
    constructor(srv, opts = {}) {
        this.srv = srv;
        this.cookie = null;
        this.csrf = null;
        this.token = opts.token ?? null;
    }

    async login(email, password = PASSWORD) {
        const r = await this.req('POST', '/api/v1/auth/login',
            { body: { email, password } });
        if (r.status === 200) {
            const set = r.headers.get('set-cookie');
            this.cookie = set.split(';')[0];
            this.setCookie = set;
            this.csrf = r.json.csrf_token;
        }
        return r;
    }

    // method, path, { body (object, or raw string), headers, csrf: false }
    async req(method, p, opts = {}) {
        const headers = { ...(opts.headers ?? {}) };
        if (this.cookie)
            headers.cookie = this.cookie;
        if (this.token)
            headers.authorization = `Bearer ${this.token}`;
        if (this.csrf && opts.csrf !== false && method !== 'GET')
            headers['x-csrf-token'] = this.csrf;
        let body;
        if (opts.body !== undefined) {
            body = typeof opts.body === 'string'
                ? opts.body : JSON.stringify(opts.body);
            headers['content-type'] = 'application/json';
        }
        const res = await fetch(this.srv.base + p, { method, headers, body });
        const text = await res.text();
        let json = null;
        try {
            json = text ? JSON.parse(text) : null;
        } catch {
            json = null;
        }
        return { status: res.status, headers: res.headers, json, text };
    }

    get(p, o) { return this.req('GET', p, o); }
    post(p, body, o = {}) { return this.req('POST', p, { ...o, body }); }
    put(p, body, o = {}) { return this.req('PUT', p, { ...o, body }); }
    patch(p, body, o = {}) { return this.req('PATCH', p, { ...o, body }); }
}

// Signs in the first user of role; returns the client and the user.
export async function as(srv, ws, role) {
    const u = ws.users.find((x) => x.role === role);
    const c = new Client(srv);
    const r = await c.login(u.email);
    if (r.status !== 200)
        throw new Error(`login ${role}: ${r.status} ${r.text}`);
    c.user = u;
    return c;
}

// Today as the server and the CLI see it: the tests' clock (lib.mjs).
export function today() {
    return TEST_TODAY;
}
