// The demo generator is deterministic and its CSV files import cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from './api_lib.mjs';
import { KINDS, exportKind, info, ok, parseCsv, run, tempDir } from './lib.mjs';

// Demo's dependency order (holidays, users, icp, accounts, deals, ...).
const ORDER = ['holidays', 'users', 'icp', 'accounts', 'deals', 'churns',
    'recoveries', 'reviews', 'cs_hours', 'arr_movements'];
const OPTS = ['--accounts', '120', '--now', '2026-01-15'];

function exportAll(db) {
    return Object.fromEntries(KINDS.map((k) => [k, exportKind(db, k)]));
}

test('demo with the same seed gives the same workspace', (t) => {
    const dir = tempDir(t);
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const c = path.join(dir, 'c.db');
    // Without the replay: its determinism is the test below's.
    ok(['demo', '--db', a, '--seed', '7', '--no-loop', ...OPTS]);
    ok(['demo', '--db', b, '--seed', '7', '--no-loop', ...OPTS]);
    ok(['demo', '--db', c, '--seed', '8', '--no-loop', ...OPTS]);
    const ea = exportAll(a);
    const eb = exportAll(b);
    for (const k of KINDS) {
        assert.ok(parseCsv(ea[k]).length > 1, `demo fills ${k}`);
        assert.equal(ea[k], eb[k], k);
    }
    assert.equal(info(a).counts.accounts, 120);
    // A different seed gives different data: the equality above means
    // something.
    const ec = exportAll(c);
    assert.notEqual(ec.deals, ea.deals);
});

test('demo --csv writes files that import into the same workspace', (t) => {
    const dir = tempDir(t);
    const csv = path.join(dir, 'csv');
    const ref = path.join(dir, 'ref.db');
    const db = path.join(dir, 'imported.db');
    // The replay's records come through the engine (a recovery record's
    // id, a tag made on the next business day): the CSV files are the
    // records as they arrive without it.
    ok(['demo', '--db', ref, '--seed', '7', '--no-loop', ...OPTS]);
    ok(['demo', '--csv', csv, '--seed', '7', ...OPTS]);
    for (const k of KINDS)
        assert.ok(existsSync(path.join(csv, `${k}.csv`)), `${k}.csv written`);
    assert.equal(existsSync(path.join(dir, 'closeloop.db')), false);
    ok(['init', '--db', db]);
    for (const k of ORDER)
        ok(['import', k, path.join(csv, `${k}.csv`), '--db', db]);
    const want = exportAll(ref);
    const got = exportAll(db);
    for (const k of KINDS)
        assert.equal(got[k], want[k], k);
});

// ---- the loop replay ------------------------------------------------------

const NOW = '2026-12-04';
const LOOP = ['--accounts', '600', '--seed', '3', '--now', NOW];

function json(args) {
    return JSON.parse(ok([...args, '--format', 'json']).stdout);
}

test('demo replays the loop: tasks, notices, debriefs, check-ins', (t) => {
    const dir = tempDir(t);
    const db = path.join(dir, 'loop.db');
    const r = ok(['demo', '--db', db, ...LOOP]);
    assert.equal(r.stderr, '', 'no act of the replay is refused');
    const line = r.stdout.trim().split('\n')[1];
    assert.match(line, /^loop replayed over \d+ business days from 2026-06-07: /);
    const num = (re) => Number(line.match(re)[1]);

    // Tasks: most done, some open, some of those past due.
    const tasks = json(['tasks', '--db', db]);
    const done = tasks.filter((x) => x.status === 'done');
    const open = tasks.filter((x) => x.status === 'open');
    const overdue = open.filter((x) => x.due_on < NOW);
    assert.ok(done.length > open.length * 2, `${done.length} ${open.length}`);
    assert.ok(overdue.length > 0);
    assert.equal(num(/(\d+) tasks/), tasks.length);
    assert.equal(num(/\((\d+) done/), done.length);
    assert.equal(num(/(\d+) overdue/), overdue.length);
    for (const kind of ['won_deal_review', 'churn_tagging', 'debrief',
        'process_change_checkin'])
        assert.ok(done.some((x) => x.kind === kind), `a ${kind} task done`);
    // Reminders and escalations went out for late work.
    assert.ok(tasks.some((x) => x.reminded) && tasks.some((x) => x.escalated));

    // A deal-attributable tag notified the AE who closed the deal.
    const outbox = json(['outbox', '--db', db]);
    const flags = outbox.filter((m) => m.kind === 'churn_flag');
    assert.ok(flags.some((m) => /^u-ae-/.test(m.recipient_id)), 'AE notified');
    assert.ok(flags.some((m) => /^u-sales-manager-/.test(m.recipient_id)));
    assert.equal(num(/(\d+) notifications/) > flags.length, true);
    // People read their notifications as they go: most are read, never
    // before they arrived, and the newest may still wait.
    const [inbox, read, early] = sql(db, "SELECT count(*), count(read_at), " +
        "sum(read_at < created_at) FROM outbox WHERE channel = 'inbox'").split('|');
    assert.ok(Number(read) > Number(inbox) * 0.8, `${read} of ${inbox} read`);
    assert.equal(Number(early), 0);

    // Debriefs were held with their one change and its check-in, and
    // closed; quarterly sessions got decisions.
    const sessions = json(['session', 'list', '--db', db]);
    const debriefs = sessions.filter((s) => s.kind === 'monthly_debrief');
    const closed = debriefs.filter((s) => s.status === 'closed');
    assert.ok(closed.length >= 4, `${closed.length} debriefs closed`);
    for (const s of closed) assert.ok(s.decisions.length >= 1, s.period);
    const quarterly = sessions.filter((s) => s.kind === 'bad_fit_review' &&
        s.status === 'closed');
    assert.ok(quarterly.length >= 2);
    for (const s of quarterly) assert.ok(s.decisions.length >= 1, s.period);

    // Recoveries of the window classified through the engine.
    const recs = parseCsv(exportKind(db, 'recoveries'));
    assert.ok(recs.some((x) => x[0].startsWith('rec-d-')), 'engine recovery');

    // The reports read the loop: health has a signal latency and on-time
    // check-ins, the monthly report days to the AE notification.
    const health = json(['report', 'health', '--db', db, '--now', NOW]);
    const check = (q, name) => q.checks.find((c) => c.check === name);
    const lat = health.quarters.filter((q) =>
        typeof check(q, 'signal_latency').value === 'number');
    assert.ok(lat.length >= 2, 'signal latency in two quarters');
    assert.ok(health.quarters.some((q) =>
        typeof check(q, 'process_change_checkins').value === 'number'));
    const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
        '2026-11'].map((p) => json(['report', 'monthly', '--period', p,
        '--db', db, '--now', NOW]));
    assert.ok(months.some((m) => m.days_to_ae_notification &&
        m.days_to_ae_notification.notified > 0));
    assert.ok(months.some((m) => m.process_change &&
        m.process_change.checked_in_on));
});

test('the replay is deterministic and --no-loop has none of it', (t) => {
    const dir = tempDir(t);
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const n = path.join(dir, 'n.db');
    const args = ['--accounts', '200', '--seed', '5', '--now', NOW];
    const ra = ok(['demo', '--db', a, ...args]);
    const rb = ok(['demo', '--db', b, ...args]);
    assert.equal(ra.stdout.replace(/a\.db/, 'b.db'), rb.stdout);
    for (const k of KINDS) assert.equal(exportKind(a, k), exportKind(b, k), k);
    const strip = (list) => list.map(({ id, ...rest }) => rest);
    assert.deepEqual(json(['tasks', '--db', a]), json(['tasks', '--db', b]));
    assert.deepEqual(strip(json(['outbox', '--db', a])),
        strip(json(['outbox', '--db', b])));
    assert.deepEqual(json(['session', 'list', '--db', a]),
        json(['session', 'list', '--db', b]));

    const rn = ok(['demo', '--db', n, '--no-loop', ...args]);
    assert.doesNotMatch(rn.stdout, /loop replayed/);
    assert.deepEqual(json(['tasks', '--db', n]), []);
    assert.deepEqual(json(['outbox', '--db', n]), []);
    assert.deepEqual(json(['session', 'list', '--db', n]), []);
    // The same records either way, as far as the engine leaves them: every
    // deal, account and review row is the same.
    for (const k of ['accounts', 'deals', 'reviews', 'users'])
        assert.equal(exportKind(a, k), exportKind(n, k), k);
});

test('demo loop options are checked', (t) => {
    const dir = tempDir(t);
    const db = path.join(dir, 'x.db');
    let r = run(['demo', '--db', db, '--loop-days', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--loop-days: expected a number from 1 to 1000/);
    r = run(['demo', '--db', db, '--loop-days', '30', '--no-loop']);
    assert.equal(r.code, 2);
    r = run(['demo', '--csv', path.join(dir, 'c'), '--loop-days', '30']);
    assert.equal(r.code, 2);
    r = ok(['demo', '--help']);
    assert.match(r.stdout, /--no-loop/);
    // A short window replays fewer days (weekends and Thanksgiving off).
    r = ok(['demo', '--db', db, '--accounts', '100', '--loop-days', '20',
        '--now', NOW]);
    assert.match(r.stdout, /loop replayed over 13 business days from 2026-11-14/);
});
