// A SQLite workspace whose write lock another process holds past the busy
// timeout (a long tick, a large import): a request that must write answers
// 503 "retry" with a one-line message, not 500, and works once the lock is
// let go.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

import { Client, demoWorkspace, startServer } from './api_lib.mjs';

test('a sign-in while another process holds the write lock is 503 retry, ' +
    'then works', { timeout: 120000 }, async (t) => {
    const ws = demoWorkspace(t);
    const srv = await startServer(t, ws.db);
    const revops = ws.users.find((u) => u.role === 'revops');

    // Debian's sqlite3 holds the lock until it reads COMMIT.
    const holder = spawn('sqlite3', [ws.db], { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => holder.kill());
    holder.stdin.write("BEGIN IMMEDIATE;\nSELECT 'held';\n");
    await once(holder.stdout, 'data');

    const c = new Client(srv);
    const r = await c.login(revops.email);
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.error.code, 'retry');
    assert.match(r.json.error.message, /locked|busy/);
    assert.doesNotMatch(r.json.error.message, /\n/);

    holder.stdin.end('COMMIT;\n');
    await once(holder, 'exit');
    const again = await new Client(srv).login(revops.email);
    assert.equal(again.status, 200, again.text);
});
