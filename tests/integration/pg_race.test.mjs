// Two processes on one PostgreSQL database: ticks racing open every session
// once, delivery workers racing send every message once.  Runs only when
// CLOSELOOP_TEST_PG names a server (SQLite has one writer per file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PG, demoPg, ok, start } from './lib.mjs';
import { smtpSink } from './engine_lib.mjs';

const skip = !PG && 'needs CLOSELOOP_TEST_PG';

const json = (db, args) =>
    JSON.parse(ok([...args, '--format', 'json', '--db', db]).stdout);

// Runs the same command in n processes at once; resolves when all exit.
async function race(n, args) {
    const runs = Array.from({ length: n }, () => start(args));
    return Promise.all(runs.map((r) => r.done));
}

// "tick ...: 41 tasks, 32 task marks, 110 notifications, 4 sessions, ..."
function tickStats(out) {
    const m = {};
    for (const [, n, what] of out.matchAll(/(\d+) ([a-z ]+?)(?=,|$)/gm))
        m[what.trim()] = Number(n);
    return m;
}

test('ticks racing on one database do what one tick at a time does',
    { skip }, async (t) => {
        const raced = demoPg(t, ['--now', '2026-11-01']);
        const alone = demoPg(t, ['--now', '2026-11-01']);
        const total = { raced: {}, alone: {} };
        const add = (to, out) => {
            for (const [k, v] of Object.entries(tickStats(out)))
                to[k] = (to[k] ?? 0) + v;
        };
        for (const now of ['2026-11-02', '2026-11-03', '2026-12-01',
            '2027-01-04']) {
            const rs = await race(3, ['tick', '--now', now, '--db', raced]);
            for (const r of rs) {
                assert.equal(r.code, 0, r.stderr);
                add(total.raced, r.stdout);
            }
            add(total.alone, ok(['tick', '--now', now, '--db', alone]).stdout);
        }
        // Each piece of work was done by exactly one of the racing ticks.
        assert.deepEqual(total.raced, total.alone);
        assert.ok(total.alone.sessions >= 4);
        const list = json(raced, ['session', 'list']);
        const keys = list.map((s) => `${s.kind}/${s.period}`);
        assert.equal(new Set(keys).size, keys.length, keys.join(' '));
        assert.deepEqual(list, json(alone, ['session', 'list']));
        const strip = (db) => json(db, ['outbox']).map((m) =>
            `${m.id} ${m.channel} ${m.recipient_id} ${m.idempotency_key} ` +
            `${m.status}`);
        assert.deepEqual(strip(raced), strip(alone));
        assert.deepEqual(json(raced, ['tasks']), json(alone, ['tasks']));
    });

// The demo workspace a day after its replay, its e-mail going to a sink.
async function mailing(t) {
    const db = demoPg(t, ['--now', '2026-11-01']);
    ok(['tick', '--now', '2026-11-02', '--db', db]);
    const smtp = await smtpSink(t);
    ok(['config', 'set', 'smtp_url', smtp.url, '--db', db]);
    ok(['config', 'set', 'smtp_from', 'loop@example.com', '--db', db]);
    return { db, smtp };
}

test('two delivery workers racing send every message once',
    { skip }, async (t) => {
        const { db, smtp } = await mailing(t);
        const pending = json(db, ['outbox', '--channel', 'email'])
            .filter((m) => m.status === 'pending');
        assert.ok(pending.length >= 50, `pending e-mails: ${pending.length}`);

        const rs = await race(2, ['deliver', '--now', '2026-11-02T08:00',
            '--db', db]);
        let sent = 0;
        for (const r of rs) {
            assert.equal(r.code, 0, r.stderr);
            sent += Number(r.stdout.match(/(\d+) sent/)[1]);
        }
        t.diagnostic(`workers: ${rs.map((r) => r.stdout.trim()).join(' | ')}`);
        assert.equal(sent, pending.length);
        const mails = smtp.messages();
        const keys = mails.map((m) => m.key);
        assert.equal(mails.length, pending.length);
        assert.equal(new Set(keys).size, keys.length, 'no message twice');
        assert.deepEqual([...keys].sort(),
            pending.map((m) => m.idempotency_key).sort());
        assert.ok(json(db, ['outbox', '--channel', 'email'])
            .every((m) => m.status === 'sent' && m.attempts === 1));
    });

// Each worker's claim counts the rows it won, not the rows it saw: a worker
// whose claim started before another's committed still fills its batch
// (before, it could find its whole limit claimed and send next to nothing).
test('delivery workers racing round after round each send a full batch',
    { skip }, async (t) => {
        const { db, smtp } = await mailing(t);
        ok(['config', 'set', 'deliver_batch', '20', '--db', db]);
        let pending = json(db, ['outbox', '--channel', 'email'])
            .filter((m) => m.status === 'pending').length;
        assert.ok(pending >= 8 * 60, `pending e-mails: ${pending}`);
        for (let round = 1; round <= 8; round++) {
            const rs = await race(3, ['deliver', '--now',
                '2026-11-02T08:00', '--db', db]);
            const sent = rs.map((r) => {
                assert.equal(r.code, 0, r.stderr);
                return Number(r.stdout.match(/(\d+) sent/)[1]);
            });
            assert.deepEqual(sent, [20, 20, 20], `round ${round}`);
            pending -= 60;
        }
        const keys = smtp.messages().map((m) => m.key);
        assert.equal(keys.length, 8 * 60);
        assert.equal(new Set(keys).size, keys.length, 'no message twice');
        assert.equal(json(db, ['outbox', '--channel', 'email'])
            .filter((m) => m.status === 'pending').length, pending);
    });
