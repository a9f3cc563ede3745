// The server's clock and its start tick: a workspace served before the
// daily tick hour gets what is due at once (found at night by a suite that
// waited for 06:00 UTC), and the clock is an argument (--now or
// CLOSELOOP_NOW), never the hour the tests happen to run at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ok, run, start, tempDir } from './lib.mjs';

// Serves db with extra options; resolves to the child once it listens.
async function serve(t, db, extra) {
    const s = start(['serve', '--listen', '127.0.0.1:0', '--deliver-every',
        '0', '--quiet', '--db', db, ...extra]);
    t.after(() => s.child.kill('SIGTERM'));
    let out = '';
    s.child.stdout.on('data', (d) => { out += d; });
    for (let i = 0; i < 400 && !/127\.0\.0\.1:(\d+)/.test(out); i++)
        await new Promise((r) => setTimeout(r, 25));
    assert.match(out, /127\.0\.0\.1:(\d+)/, 'serve did not start');
    return { ...s, base: `http://127.0.0.1:${out.match(/:(\d+)\//)[1]}` };
}

// The open tasks of the workspace, polled until some exist (or 15 s).
async function tasksAppear(db) {
    for (let i = 0; i < 150; i++) {
        const tasks = JSON.parse(ok(['tasks', '--format', 'json',
            '--db', db]).stdout);
        if (tasks.length)
            return tasks;
        await new Promise((r) => setTimeout(r, 100));
    }
    return [];
}

test('a workspace served at 01:00 UTC gets its due work at start, not at ' +
    'the 06:00 tick', async (t) => {
    const db = path.join(tempDir(t), 'night.db');
    ok(['demo', '--db', db, '--no-loop', '--now', '2026-11-18']);
    assert.deepEqual(JSON.parse(ok(['tasks', '--format', 'json',
        '--db', db]).stdout), [], 'the demo alone opens no tasks');
    await serve(t, db, ['--now', '2026-11-18T01:00']);
    const tasks = await tasksAppear(db);
    assert.ok(tasks.length > 0, 'the start tick opened no tasks');
    // Reviews of deals won weeks before the server's 18 November are
    // overdue at once: the start tick escalated them.
    assert.ok(tasks.some((k) => k.kind === 'won_deal_review' && k.escalated &&
        k.due_on < '2026-11-18'), 'no overdue review was escalated');
    // A second start the same night finds nothing new to do (idempotent).
    const before = tasks.length;
    const again = await serve(t, db, ['--now', '2026-11-18T01:30']);
    await new Promise((r) => setTimeout(r, 1500));
    again.child.kill('SIGTERM');
    await again.done;
    assert.equal(JSON.parse(ok(['tasks', '--format', 'json', '--db', db])
        .stdout).length, before);
});

test('--tick-hour -1 still means no tick, not even at start', async (t) => {
    const db = path.join(tempDir(t), 'notick.db');
    ok(['demo', '--db', db, '--no-loop', '--now', '2026-11-18']);
    const s = await serve(t, db, ['--now', '2026-11-18T09:00',
        '--tick-hour', '-1']);
    await new Promise((r) => setTimeout(r, 1500));
    s.child.kill('SIGTERM');
    await s.done;
    assert.deepEqual(JSON.parse(ok(['tasks', '--format', 'json',
        '--db', db]).stdout), []);
});

test('CLOSELOOP_NOW is every command\'s --now; a bad one is a usage error',
    (t) => {
        const db = path.join(tempDir(t), 'env.db');
        ok(['demo', '--db', db, '--no-loop', '--accounts', '50'],
            { env: { CLOSELOOP_NOW: '2025-03-12' } });
        // The demo's data ends before the instant it was given.
        const deals = ok(['export', 'deals', '--db', db]).stdout;
        const days = deals.match(/\d{4}-\d{2}-\d{2}/g);
        assert.ok(days.length > 0);
        assert.ok(days.every((d) => d <= '2025-03-12'),
            `a date after CLOSELOOP_NOW: ${days.filter((d) => d > '2025-03-12')}`);
        const bad = run(['info', '--db', db], { env: { CLOSELOOP_NOW: '3am' } });
        assert.equal(bad.code, 2);
        assert.deepEqual(bad.lines, ["closeloop: CLOSELOOP_NOW: expected " +
            "YYYY-MM-DD or YYYY-MM-DDTHH:MM, got '3am'"]);
    });
