// webhooks.mjs - the client of bench/webhooks.sh: signs and sends generic
// webhook events to a running `closeloop serve`, CONNS at a time, and the
// same number of GET /api/v1/hello beside them as the peer; prints one
// JSON line of the figures.  node:http with a keep-alive agent of CONNS
// sockets: fetch's own overhead held the client to half of what the
// server could answer.
//
// usage: node bench/webhooks.mjs BASE SECRET EVENTS CONNS DEALS_CSV
//   DEALS_CSV: `closeloop export deals` of the served workspace; its won
//   deals give the churns their account and deal.
//
// The events, in a fixed order: every tenth a deal-attributable churn
// (tagged over-promise, so the engine notifies the AE and their manager
// in the event's own transaction), every tenth a new Closed Won deal (a
// review task for the CSM), the rest account renames.  The server answers
// a webhook once the event is applied, so a request's latency is the time
// from the event sent to its notifications queued.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, secret, nEvents, nConns, dealsCsv] = process.argv.slice(2);
const EVENTS = Number(nEvents);
const CONNS = Number(nConns);
if (!base || !secret || !(EVENTS > 0) || !(CONNS > 0) || !dealsCsv) {
    console.error('usage: node bench/webhooks.mjs BASE SECRET EVENTS CONNS ' +
        'DEALS_CSV');
    process.exit(2);
}

// Won deals with their account and AE, from the export (rows with a quoted
// field are left out: the ids never need quoting).
const lines = readFileSync(dealsCsv, 'utf8').trimEnd().split('\n');
const head = lines[0].split(',');
const col = (n) => head.indexOf(n);
const won = lines.slice(1).filter((l) => !l.includes('"'))
    .map((l) => l.split(','))
    .filter((c) => c[col('stage')] === 'closed_won')
    .map((c) => ({ id: c[col('id')], account: c[col('account_id')],
        ae: c[col('ae_id')] }));
if (won.length === 0) {
    console.error('webhooks.mjs: no won deal in ' + dealsCsv);
    process.exit(1);
}

const SIGNALS = {
    stated_reason: 'The reporting we were promised never shipped.',
    diagnosis: 'Bought for a roadmap feature the AE presented as available.',
    predictive_behavior: 'Asked for the feature in every call before close.',
};

function event(i) {
    const w = won[i % won.length];
    if (i % 10 === 3)
        return { kind: 'churn', notifies: true, record: { id: `cb-${i}`,
            account_id: w.account, deal_id: w.id, churned_on: '2026-11-20',
            arr_lost: 12000, ...SIGNALS, primary_cause: 'feature_overpromise',
            tagged_by: 'u-csm-1', tagged_on: '2026-11-21' } };
    if (i % 10 === 7)
        return { kind: 'deal', record: { id: `db-${i}`, account_id: w.account,
            ae_id: w.ae, type: 'expansion', source: 'inbound',
            stage: 'closed_won', created_on: '2026-10-01',
            closed_on: '2026-11-20', arr: 30000 } };
    return { kind: 'account', record: { id: w.account, name: `Renamed ${i}` } };
}

const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNS });

// One request; resolves to [status, body].
function request(method, path, headers, body) {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path,
            method, headers, agent }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => resolve([res.statusCode, text]));
        });
        req.on('error', reject);
        req.end(body);
    });
}

async function send(i) {
    const ev = event(i);
    const body = JSON.stringify({ id: `bench-${i}`, kind: ev.kind,
        record: ev.record });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', secret).update(`${ts}.${body}`)
        .digest('hex');
    const [status, text] = await request('POST', '/api/v1/webhooks/generic', {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-Closeloop-Timestamp': ts,
        'X-Closeloop-Signature': `sha256=${sig}` }, body);
    if (status !== 200)
        throw new Error(`event ${i} (${ev.kind}): ${status} ${text}`);
    return ev.notifies === true;
}

async function hello() {
    const [status] = await request('GET', '/api/v1/hello', {});
    if (status !== 200)
        throw new Error(`hello: ${status}`);
    return false;
}

// Runs n calls of f, CONNS at a time; the latency of each in ms.
async function pool(n, f) {
    const all = [];
    const notifying = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNS }, async () => {
        while (next < n) {
            const i = next++;
            const s = performance.now();
            const notifies = await f(i);
            const ms = performance.now() - s;
            all.push(ms);
            if (notifies)
                notifying.push(ms);
        }
    }));
    return { seconds: (performance.now() - t0) / 1000, all, notifying };
}

const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] :
        0;
};

// A warm-up of each, then the measured runs.
await pool(Math.min(200, EVENTS), hello);
const h = await pool(EVENTS, hello);
const e = await pool(EVENTS, send);
const r2 = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({
    events: EVENTS, conns: CONNS,
    hello_per_s: Math.round(EVENTS / h.seconds),
    hello_p99_ms: r2(pct(h.all, 0.99)),
    events_per_s: Math.round(EVENTS / e.seconds),
    event_p50_ms: r2(pct(e.all, 0.5)),
    event_p99_ms: r2(pct(e.all, 0.99)),
    notifying_events: e.notifying.length,
    notify_p50_ms: r2(pct(e.notifying, 0.5)),
    notify_p99_ms: r2(pct(e.notifying, 0.99)),
}));
agent.destroy();
