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

test('two delivery workers racing send every message once',
    { skip }, async (t) => {
        const db = demoPg(t, ['--now', '2026-11-01']);
        ok(['tick', '--now', '2026-11-02', '--db', db]);
        const smtp = await smtpSink(t);
        ok(['config', 'set', 'smtp_url', smtp.url, '--db', db]);
        ok(['config', 'set', 'smtp_from', 'loop@example.com', '--db', db]);
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
