// fuzz_found.once.test.mjs - bugs the fuzzers of tests/fuzz found, replayed
// against the real server as a client would meet them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { startServer } from './api_lib.mjs';
import { ok, tempDir } from './lib.mjs';

// POST raw bytes; the reply's status and parsed JSON (null if none).
async function postRaw(srv, p, bytes) {
    const res = await fetch(srv.base + p, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bytes,
    });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        json = null;
    }
    return { status: res.status, json };
}

test('a body that is not JSON and not UTF-8 gets a 400, not a dropped connection', async (t) => {
    const dir = tempDir(t, 'closeloop-fuzz-found-');
    const db = path.join(dir, 'ws.db');
    ok(['init', '--db', db]);
    const srv = await startServer(t, db);
    // fuzz_json_body: jansson quotes the bad bytes in its error, and an
    // error message that is not UTF-8 could not be sent as JSON.
    const body = Buffer.concat([Buffer.from('{"email": "\\'),
        Buffer.from([0xd9, 0xab, 0x90]), Buffer.from(' x"}')]);
    const r = await postRaw(srv, '/api/v1/auth/login', body);
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'bad_json');
    assert.match(r.json.error.message, /^the body is not JSON: /);
});
