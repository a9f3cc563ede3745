// lib.mjs - what the browser tests share: a demo workspace with passwords,
// `closeloop serve` on a free loopback port with the built web UI, and
// Debian's chromium-headless-shell driven by playwright-core (no browser
// download).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { sqliteFromTemplate } from '../integration/template.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.CLOSELOOP_BIN || join(ROOT, 'build/closeloop');
export const WEB = process.env.CLOSELOOP_WEB || join(ROOT, 'web/dist');
// Debian's chromium-headless-shell, the old headless mode as its own
// program (Playwright's choice for headless too): without the browser's
// user interface layer it drives the same Blink and V8 in some two fifths
// less CPU than /usr/bin/chromium --headless, the suite's largest cost.
export const CHROMIUM = process.env.CHROMIUM ||
    '/usr/lib/chromium/chromium-headless-shell';
export const SHOTS = process.env.SCREENSHOT_DIR || join(ROOT, 'build/screenshots');
export const PASSWORD = 'demo-pass-1';

// The tests' clock: the demo, every CLI command and `closeloop serve` read
// this instant through CLOSELOOP_NOW, so no test depends on the hour or
// day it runs at (the server's start tick opens the sessions and tasks the
// tests wait for).  A Wednesday mid-quarter, after the daily tick hour.
export const TEST_NOW = '2026-11-18T10:00';
export const TEST_TODAY = TEST_NOW.slice(0, 10);

// A browser test's time limit catches a hang, not slowness (speed is
// measured in bench/): the suite runs its three lanes on two cores, where
// a walk of one minute on a quiet machine takes three or four, and CI's
// machine is slower again.  One limit for every test, ten minutes.
export const TEST_TIMEOUT = 600_000;
process.env.CLOSELOOP_NOW = TEST_NOW;

export function cli(db, args, input) {
    const r = spawnSync(BIN, [...args, '--db', db], { input, encoding: 'utf8',
        maxBuffer: 64 << 20 });
    if (r.status !== 0)
        throw new Error(`closeloop ${args.join(' ')}: ${r.status}\n${r.stderr}`);
    return r.stdout;
}

// RFC 4180 rows of a CSV text, as objects keyed by the header.
export function parseCsv(textIn) {
    const rows = [];
    let row = [], field = '', q = false;
    for (let i = 0; i < textIn.length; i++) {
        const c = textIn[i];
        if (q) {
            if (c === '"' && textIn[i + 1] === '"') { field += '"'; i++; }
            else if (c === '"') q = false;
            else field += c;
        } else if (c === '"') q = true;
        else if (c === ',') { row.push(field); field = ''; }
        else if (c === '\n' || c === '\r') {
            if (c === '\r' && textIn[i + 1] === '\n') i++;
            row.push(field); rows.push(row); row = []; field = '';
        } else field += c;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    const [head, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
    return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

export const exportKind = (db, kind) => parseCsv(cli(db, ['export', kind]));

async function freePort() {
    return new Promise((ok, fail) => {
        const s = createServer();
        s.once('error', fail);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => ok(port));
        });
    });
}

// The quarter before the one `day` (YYYY-MM-DD) is in: {period, from, to}.
export function previousQuarter(day) {
    const y = Number(day.slice(0, 4)), m = Number(day.slice(5, 7));
    let q = Math.floor((m - 1) / 3) - 1, yy = y;
    if (q < 0) { q = 3; yy--; }
    const from = `${yy}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const end = new Date(Date.UTC(yy, q * 3 + 3, 0)).toISOString().slice(0, 10);
    return { period: `${yy}Q${q + 1}`, from, to: end };
}

// A demo workspace (data up to TEST_NOW) in a fresh directory.  prepare(db) runs
// before the server starts (the server's first tick opens the sessions).
// Passwords are set for `users` (ids) or, by default, for nobody else.
// With loop: true the demo replays the loop's last 180 days (done and
// overdue tasks, closed sessions, check-ins), as the README's demo does.
export async function startWorkspace(t, { users = [], prepare, loop = false } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-browser-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'demo.db');
    // Without the loop replay: the tests expect the engine's first run to
    // be the server's (sessions it opens, churns still to tag).  A copy of
    // the demo built once per run (tests/integration/template.mjs).
    const args = loop ? ['demo'] : ['demo', '--no-loop'];
    sqliteFromTemplate(BIN, args, db, (tpl) => cli(tpl, args));
    const ctx = { dir, db, users: exportKind(db, 'users') };
    if (prepare)
        await prepare(ctx);
    for (const u of new Set([...users, ...(ctx.passwords || [])]))
        cli(db, ['user', 'passwd', u], `${PASSWORD}\n`);
    const port = await freePort();
    const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db,
        '--web', WEB], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((ok) => proc.once('exit', ok));
    t.after(async () => {
        if (process.env.SHOW_SERVER_LOG)
            console.error(stderr);
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
        if (proc.exitCode === null)
            proc.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
        try {
            const r = await fetch(`${base}/api/v1/hello`);
            if (r.ok)
                break;
        } catch { /* not listening yet */ }
        if (i > 100 || proc.exitCode !== null)
            throw new Error(`closeloop serve did not start: ${stderr}`);
        await new Promise((ok) => setTimeout(ok, 100));
    }
    // The start tick runs beside the first requests, in a write transaction
    // of its own; the tests want what it opens, and a sign-in waiting on a
    // tick slowed by a loaded machine could outwait SQLite's busy timeout.
    for (let i = 0; !/^(tick: |closeloop serve: tick: )/m.test(stderr); i++) {
        if (i > 1200 || proc.exitCode !== null)
            throw new Error(`closeloop serve: no start tick: ${stderr}`);
        await new Promise((ok) => setTimeout(ok, 100));
    }
    return { ...ctx, base, port, serverLog: () => stderr };
}

export const email = (ctx, id) => ctx.users.find((u) => u.id === id).email;

// The API as a user (bearer-free: cookie + CSRF, as the browser does).
export async function apiAs(ctx, id) {
    const r = await fetch(`${ctx.base}/api/v1/auth/login`, { method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: email(ctx, id), password: PASSWORD }) });
    if (!r.ok)
        throw new Error(`sign-in of ${id}: ${r.status} ${await r.text()}`);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    const { csrf_token: csrf } = await r.json();
    const call = async (method, path, body) => {
        const res = await fetch(`${ctx.base}/api/v1${path}`, { method,
            headers: { Cookie: cookie, 'X-CSRF-Token': csrf,
                ...(body ? { 'Content-Type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined });
        const txt = await res.text();
        return { status: res.status, body: txt ? JSON.parse(txt) : null };
    };
    return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) };
}

// Chromium's environment: ours without libfaketime.  `scripts/test.sh --at`
// fakes the clock of the server, the CLI and the tests; chromium under
// libfaketime hangs on start (a bug of chromium with the library, not of
// ours), and the page shows dates the server sends, so the browser keeps the
// real clock.
function browserEnv() {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) =>
        k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));
}

// One headless chromium per test file (node --test runs each file in a
// process of its own), started on first use and closed when the file's
// tests end: a start costs some two CPU-seconds, a context a tenth of that.
let shared = null;
function chromiumOnce() {
    if (!shared) {
        shared = chromium.launch({
            executablePath: CHROMIUM, headless: true,
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update',
                '--disable-sync'],
            env: browserEnv(),
        });
    }
    return shared;
}
// Registered here, at the file's top level, so that it runs after the
// file's last test rather than after the test that started chromium.
after(async () => {
    if (shared)
        await (await shared).close();
});

// A fresh context (its own cookies and storage, as a new profile has) in
// the file's chromium; closed after the test.
export async function browser(t, { width = 1280, height = 900 } = {}) {
    const context = await (await chromiumOnce()).newContext({
        viewport: { width, height },
    });
    t.after(() => context.close());
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The server's Content-Security-Policy refusing something the UI does
    // is an error of the UI (or of the policy) too.
    page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/.test(m.text()))
            errors.push(m.text());
    });
    return { context, page, errors };
}

// Signs in through the sign-in page.
export async function signIn(page, ctx, id, path = '/') {
    await page.goto(ctx.base + path);
    await page.getByLabel('Email').fill(email(ctx, id));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    try {
        await page.getByTestId('me').waitFor({ timeout: 15000 });
    } catch (e) {
        await shot(page, `sign-in-failed-${id}`);
        throw e;
    }
}

export async function shot(page, name) {
    mkdirSync(SHOTS, { recursive: true });
    const path = join(SHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
}

// axe-core (npm, this directory's lock file), evaluated in the page through
// the DevTools protocol, which the server's Content-Security-Policy does not
// govern (an injected <script> would be refused, as it should be).
const AXE = readFileSync(createRequire(import.meta.url)
    .resolve('axe-core/axe.min.js'), 'utf8');

// The serious and critical WCAG 2.x A/AA violations axe finds on the page
// as it is now: [] when there are none, else "rule: target" lines.
export async function axeViolations(page) {
    // Once per document: a page checked at two widths keeps its copy.
    if (!await page.evaluate(() => typeof globalThis.axe === 'object'))
        await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
        const r = await globalThis.axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                'wcag21aa', 'wcag22aa'] },
            resultTypes: ['violations'],
        });
        return r.violations.filter((v) => ['serious', 'critical']
            .includes(v.impact)).flatMap((v) => v.nodes.map((n) =>
            `${v.id} (${v.impact}): ${n.target.join(' ')} - ${v.help}`));
    });
    return found;
}

export const A11Y_WIDTHS = [['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }]];

// The page as it is, at each width (the layout is responsive: no reload):
// its violations, "where width: rule ...".
export async function a11yCheck(page, where) {
    const bad = [];
    for (const [label, size] of A11Y_WIDTHS) {
        await page.setViewportSize(size);
        const v = await axeViolations(page);
        if (v.length) {
            await shot(page, `a11y-${label}-${where.replace(/\W+/g, '_')}`);
            bad.push(...v.map((x) => `${where} ${label}: ${x}`));
        }
    }
    return bad;
}

// Each path in turn, once its data has come, checked at each width.
export async function a11yWalk(page, ctx, paths, who) {
    const bad = [];
    for (const path of paths) {
        await page.goto(ctx.base + path);
        await page.locator('#main h1').first().waitFor();
        await page.locator('.loading').waitFor({ state: 'detached' })
            .catch(() => {});
        bad.push(...await a11yCheck(page, `${who} ${path}`));
    }
    return bad;
}

// Signs out at desktop width, where the header shows the button.
export async function signOut(page) {
    await page.setViewportSize(A11Y_WIDTHS[0][1]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
}
