// engine_lib.mjs - fixtures of the loop-engine tests: a small company, an
// SMTP sink (aiosmtpd) and a webhook receiver, all local.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ok, run, start, tempDir, workspace, writeCsv } from './lib.mjs';

// The people of the company (docs/design.md section 1 roles).
export const USERS = [
    ['id', 'name', 'email', 'role', 'manager_id', 'team'],
    ['U1', 'Vera Sales', 'vera@example.com', 'vp_sales', '', 'Sales'],
    ['U2', 'Sam Manager', 'sam@example.com', 'sales_manager', 'U1', 'East'],
    ['U3', 'Ann Exec', 'ann@example.com', 'ae', 'U2', 'East'],
    ['U4', 'Bob Exec', 'bob@example.com', 'ae', 'U2', 'East'],
    ['U5', 'Cara Lead', 'cara@example.com', 'cs_manager', '', 'CS'],
    ['U6', 'Cid Success', 'cid@example.com', 'csm', 'U5', 'CS'],
    ['U7', 'Rita Ops', 'rita@example.com', 'revops', '', 'Ops'],
    ['U8', 'Mo Market', 'mo@example.com', 'marketing', '', 'Mkt'],
];

export const ACCOUNT_HEAD = ['id', 'name', 'industry', 'employees', 'region',
    'has_ops_function', 'csm_id', 'customer_since', 'status'];
export const DEAL_HEAD = ['id', 'account_id', 'ae_id', 'type', 'source',
    'stage', 'created_on', 'first_demo_on', 'closed_on', 'arr',
    'loss_reason', 'icp_fit_score', 'champion_level',
    'champion_tenure_months', 'exec_sponsor', 'use_case', 'kickoff_on'];
export const CHURN_HEAD = ['id', 'account_id', 'deal_id', 'churned_on',
    'arr_lost', 'stated_reason', 'diagnosis', 'predictive_behavior',
    'primary_cause', 'contributing_causes', 'tagged_by', 'tagged_on'];

// A won deal row: id, account, AE, closed_on, arr, kickoff (or '').
export function wonDeal(id, account, ae, closed, arr, kickoff = '') {
    return [id, account, ae, 'new', 'outbound', 'closed_won', '2024-01-05',
        '2024-01-20', closed, arr, '', 70, 'director', 24, 'true',
        'reporting', kickoff];
}

export function account(id, csm = 'U6', status = 'customer') {
    return [id, `Account ${id}`, 'Software', 120, 'EMEA', 'true', csm,
        '2025-01-01', status];
}

export function churn(id, account, deal, on, arr = 10000) {
    return [id, account, deal, on, arr, '', '', '', '', '', '', ''];
}

// A workspace with the people and the given rows imported.
// now: the simulated instant of these set-up imports (an import applies
// its rows' events, review and tagging tasks, flags, at its own time, so a
// test whose timeline is not TEST_NOW's gives its start).  The holidays go
// first: the due dates those events set skip them.
export function company(t, { accounts = [], deals = [], churns = [],
    holidays = [], now } = {}) {
    const db = workspace(t);
    const dir = tempDir(t);
    const at = now ? ['--now', now] : [];
    // extra: e.g. ['--now', T] for an import on a simulated day.
    const imp = (kind, rows, extra = at) => ok(['import', kind,
        writeCsv(dir, `${kind}-${Math.random()}.csv`, rows), '--db', db,
        ...extra]);
    imp('users', USERS);
    if (holidays.length) imp('holidays', [['on', 'name'], ...holidays]);
    if (accounts.length) imp('accounts', [ACCOUNT_HEAD, ...accounts]);
    if (deals.length) imp('deals', [DEAL_HEAD, ...deals]);
    if (churns.length) imp('churns', [CHURN_HEAD, ...churns]);
    return { db, dir, imp };
}

export const json = (db, args) =>
    JSON.parse(ok([...args, '--format', 'json', '--db', db]).stdout);
export const tasks = (db, ...extra) => json(db, ['tasks', ...extra]);
export const outbox = (db, ...extra) => json(db, ['outbox', ...extra]);
export const tick = (db, now) =>
    json(db, ['tick', '--now', now]);
export const cli = (db, args, opts) => ok([...args, '--db', db], opts);
export const cliRun = (db, args) => run([...args, '--db', db]);

async function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
        s.on('error', reject);
    });
}

async function waitListening(port) {
    for (let i = 0; i < 100; i++) {
        const up = await new Promise((resolve) => {
            const c = net.connect(port, '127.0.0.1');
            c.on('connect', () => { c.destroy(); resolve(true); });
            c.on('error', () => resolve(false));
        });
        if (up) return;
        await sleep(50);
    }
    throw new Error(`nothing listens on ${port}`);
}

// Starts aiosmtpd storing messages in a Maildir; stopped when t ends.
// Returns { url, messages() } where messages() parses DIR/new/*.
export async function smtpSink(t) {
    const port = await freePort();
    const dir = path.join(tempDir(t, 'closeloop-smtp-'), 'maildir');
    const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l',
        `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', dir],
    { stdio: 'ignore' });
    t.after(() => child.kill('SIGTERM'));
    await waitListening(port);
    return {
        url: `smtp://127.0.0.1:${port}`,
        messages() {
            const nd = path.join(dir, 'new');
            if (!existsSync(nd)) return [];
            return readdirSync(nd).sort().map((f) => {
                const text = readFileSync(path.join(nd, f), 'utf8');
                const head = text.split(/\r?\n\r?\n/)[0];
                const get = (h) => (head.match(new RegExp(`^${h}: (.*)$`,
                    'mi')) || [])[1];
                return { to: get('To'), subject: get('Subject'),
                    messageId: get('Message-ID'),
                    key: get('X-Closeloop-Idempotency-Key'), text };
            });
        },
    };
}

// A webhook receiver: answers 500 to the first `fail` requests of each
// Idempotency-Key, then 200.
export async function webhookReceiver(t, { fail = 0 } = {}) {
    const requests = [];
    const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => { body += d; });
        req.on('end', () => {
            const key = req.headers['idempotency-key'];
            const ok2 = requests.filter((q) => q.key === key).length >= fail;
            requests.push({ key: req.headers['idempotency-key'],
                body: JSON.parse(body), ok: ok2 });
            res.writeHead(ok2 ? 200 : 500);
            res.end(ok2 ? 'ok' : 'try later');
        });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    return { url: `http://127.0.0.1:${server.address().port}/hook`,
        requests };
}

// Runs `closeloop deliver` without blocking the event loop (the webhook
// receiver lives in this process).  Returns { code, signal, stdout, stderr }.
export async function deliver(db, now, env = {}) {
    const { done } = start(['deliver', '--now', now, '--db', db], { env });
    return done;
}
