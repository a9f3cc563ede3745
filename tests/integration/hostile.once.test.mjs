// hostile.once.test.mjs - `closeloop serve --web` against requests a browser
// never sends: targets that are not a path, invalid UTF-8, bodies sent
// before signing in, more connections than one client needs, stalled
// requests, and the request-smuggling shapes a front proxy must not see
// disagreeing with us.  Raw sockets (node:net) for what fetch cannot send;
// loopback only.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startServer } from './api_lib.mjs';
import { ROOT, ok, tempDir, workspace } from './lib.mjs';

const PASSWORD = 'hostile-pass-1';

// A workspace with one RevOps user (password and a bearer token), and a
// web directory: the built UI when CLOSELOOP_WEB names it, else a page of
// our own.
function setup(t) {
    const db = workspace(t);
    ok(['user', 'add', '--email', 'rev@example.test', '--name', 'Rev Ops',
        '--role', 'revops', '--id', 'rev', '--db', db],
    { input: PASSWORD + '\n' });
    const token = ok(['token', 'create', '--user', 'rev', '--db', db])
        .stdout.trim();
    let web = process.env.CLOSELOOP_WEB;
    if (!web) {
        web = tempDir(t, 'closeloop-web-');
        writeFileSync(path.join(web, 'index.html'),
            '<!doctype html><title>t</title><script type="module" ' +
            'src="/app.js"></script>\n');
        writeFileSync(path.join(web, 'app.js'), 'export {};\n');
    }
    ok(['user', 'add', '--email', 'csm@example.test', '--name', 'Cee Ess',
        '--role', 'csm', '--id', 'csm', '--db', db], { input: PASSWORD + '\n' });
    const csmToken = ok(['token', 'create', '--user', 'csm', '--db', db])
        .stdout.trim();
    return { db, token, csmToken, web };
}

// Sends bytes on a new connection; resolves { status, head, body, closed }
// once one whole response has arrived (by Content-Length), the server
// closes, or ms pass (status null when nothing came).
function raw(port, bytes, { ms = 5000, localAddress, keep = false } = {}) {
    return new Promise((resolve) => {
        const sock = net.connect({ host: '127.0.0.1', port, localAddress });
        let buf = Buffer.alloc(0);
        let done = false;
        const finish = (closed) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            const text = buf.toString('latin1');
            const end = text.indexOf('\r\n\r\n');
            const head = end < 0 ? text : text.slice(0, end);
            const m = head.match(/^HTTP\/1\.[01] (\d{3})/);
            if (!keep)
                sock.destroy();
            resolve({ status: m ? Number(m[1]) : null, head,
                body: end < 0 ? '' : text.slice(end + 4), closed, sock });
        };
        const timer = setTimeout(() => finish(false), ms);
        sock.on('data', (d) => {
            buf = Buffer.concat([buf, d]);
            const text = buf.toString('latin1');
            const end = text.indexOf('\r\n\r\n');
            if (end < 0)
                return;
            const cl = text.slice(0, end).match(/\r\ncontent-length: (\d+)/i);
            if (cl && buf.length - (end + 4) >= Number(cl[1]))
                finish(false);
        });
        sock.on('error', () => finish(true));
        sock.on('close', () => finish(true));
        if (bytes !== null)
            sock.write(bytes);
    });
}

// The value of header name in a raw response head.
function header(head, name) {
    const m = head.match(new RegExp(`\r\n${name}: ([^\r]*)`, 'i'));
    return m ? m[1] : null;
}

// The server's resident memory in kB (Linux /proc).
function rssKb(pid) {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8')
        .match(/VmRSS:\s+(\d+) kB/);
    return Number(m[1]);
}

async function hello(srv) {
    const r = await fetch(`${srv.base}/api/v1/hello`);
    return r.status;
}

describe('requests that are not a path', () => {
    let ws, srv;
    before(async () => {
        ws = setup(null);
        srv = await startServer(null, ws.db, ['--web', ws.web]);
    });
    after(() => srv?.stop());

    for (const target of ['*', 'zzz', 'http://evil.example/',
        'api/v1/hello']) {
        test(`GET ${target} is 400 and the server lives on`, async () => {
            const r = await raw(srv.port,
                `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
            assert.equal(r.status, 400, r.head);
            assert.equal(srv.proc.exitCode, null, srv.stderr());
            assert.equal(await hello(srv), 200);
        });
    }

    test('a bare GET zzz (HTTP/0.9 shape) gets no crash', async () => {
        await raw(srv.port, 'GET zzz\r\n\r\n', { ms: 1500 });
        assert.equal(srv.proc.exitCode, null, srv.stderr());
        assert.equal(await hello(srv), 200);
    });

    test('invalid UTF-8 in the path is 400, raw or escaped', async () => {
        for (const p of ['/api/v1/\xff\xfe', '/api/v1/%FF%FE',
            '/api/v1/imports/%C3%28', '/%FF']) {
            const r = await raw(srv.port, Buffer.from(
                `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`, 'latin1'));
            assert.equal(r.status, 400, `${p}: ${r.head}`);
            assert.match(r.body, /UTF-8/);
        }
        const q = await raw(srv.port,
            'GET /api/v1/hello?x=%FF HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.equal(q.status, 400, q.head);
        assert.equal(await hello(srv), 200);
    });

    // Found by fuzz_http_target (tests/fuzz/crashes/http_target): some
    // 700 empty arguments filled libmicrohttpd's connection pool, and the
    // connection closed with no answer at all.
    test('a query of hundreds of arguments is 414, one of 128 is served',
        async () => {
            for (const q of ['&'.repeat(700), 'a=1;'.repeat(200),
                'x&'.repeat(3000)]) {
                const r = await raw(srv.port,
                    `GET /api/v1/hello?${q} HTTP/1.1\r\nHost: x\r\n\r\n`);
                assert.equal(r.status, 414, r.head);
                assert.match(r.body, /more than 128 arguments/);
            }
            const fine = await raw(srv.port, 'GET /api/v1/hello?' +
                Array.from({ length: 128 }, (_, i) => `k${i}=v`).join('&') +
                ' HTTP/1.1\r\nHost: x\r\n\r\n');
            assert.equal(fine.status, 200, fine.head);
            assert.equal(srv.proc.exitCode, null, srv.stderr());
        });

    test('Content-Length with Transfer-Encoding is 400', async () => {
        const r = await raw(srv.port,
            'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/json\r\nContent-Length: 4\r\n' +
            'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
        assert.equal(r.status, 400, r.head);
        assert.match(r.body, /Transfer-Encoding/);
    });

    test('two differing Content-Length headers are 400', async () => {
        const r = await raw(srv.port,
            'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/json\r\nContent-Length: 2\r\n' +
            'Content-Length: 40\r\n\r\n{}');
        assert.equal(r.status, 400, r.head);
        assert.match(r.body, /Content-Length/);
    });

    test('HTTP/1.1 without Host is 400; HTTP/1.0 needs none', async () => {
        const r = await raw(srv.port, 'GET /api/v1/hello HTTP/1.1\r\n\r\n');
        assert.equal(r.status, 400, r.head);
        assert.match(r.body, /Host/);
        const old = await raw(srv.port, 'GET /api/v1/hello HTTP/1.0\r\n\r\n');
        assert.equal(old.status, 200, old.head);
    });

    test('UI pages carry a CSP without inline script, and no framing',
        async () => {
            for (const p of ['/', '/accounts/a-1']) {
                const r = await fetch(srv.base + p);
                assert.equal(r.status, 200);
                const csp = r.headers.get('content-security-policy');
                assert.ok(csp, `${p}: no CSP`);
                const script = csp.split(';').map((s) => s.trim())
                    .find((s) => s.startsWith('script-src'));
                assert.equal(script, "script-src 'self'");
                assert.match(csp, /frame-ancestors 'none'/);
                assert.match(csp, /object-src 'none'/);
                assert.equal(r.headers.get('x-frame-options'), 'DENY');
                assert.equal(r.headers.get('referrer-policy'), 'same-origin');
                assert.equal(r.headers.get('x-content-type-options'),
                    'nosniff');
            }
        });

    test('API replies carry nosniff, no framing, no referrer', async () => {
        for (const p of ['/api/v1/hello', '/api/v1/me', '/api/v1/nope']) {
            const r = await fetch(srv.base + p);
            assert.equal(r.headers.get('x-content-type-options'), 'nosniff',
                p);
            assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
            assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
            assert.match(r.headers.get('content-security-policy'),
                /default-src 'none'; frame-ancestors 'none'/, p);
        }
    });

    test('the UI page loads no inline script', () => {
        const html = readFileSync(
            path.join(ROOT, 'web', 'src', 'index.html'), 'utf8');
        const tags = html.match(/<script\b[^>]*>/g) ?? [];
        assert.ok(tags.length > 0);
        for (const t of tags)
            assert.match(t, /\bsrc=/, t);
        assert.doesNotMatch(html, /\bon[a-z]+=/i);
    });

    test('the release bundle ships no source map',
        { skip: !process.env.CLOSELOOP_WEB && 'CLOSELOOP_WEB not set' },
        async () => {
            const web = process.env.CLOSELOOP_WEB;
            assert.equal(existsSync(path.join(web, 'app.js.map')), false);
            const js = await (await fetch(`${srv.base}/app.js`)).text();
            assert.doesNotMatch(js, /sourceMappingURL/);
        });
});

describe('bodies before signing in', () => {
    let ws, srv;
    before(async () => {
        ws = setup(null);
        srv = await startServer(null, ws.db, ['--web', ws.web]);
    });
    after(() => srv?.stop());

    // Declares a 20 MB import; with pump, sends it as fast as the server
    // reads.  Resolves with the reply (status null when the connection was
    // reset under the unread body), how it ended (reply, close, error, or
    // timeout: no answer in 30 s, however loaded the machine) and how much
    // of the body the client got to send.  What proves the body was not
    // read is what the server answered and that the client could not push
    // all of it, not how long it took: a loaded 2-core CI machine makes any
    // time bound a coin toss.
    function bigImport({ extra = '', pump = false } = {}) {
        return new Promise((resolve) => {
            const sock = net.connect({ host: '127.0.0.1', port: srv.port });
            let text = '';
            let sent = 0;
            let ended = false;
            const chunk = Buffer.alloc(64 << 10, 'a');
            const end = (how) => {
                if (ended)
                    return;
                ended = true;
                sock.destroy();
                const m = text.match(/^HTTP\/1\.1 (\d{3})/);
                resolve({ status: m ? Number(m[1]) : null, text, how, sent });
            };
            const more = () => {
                while (!ended && sent < 20_000_000) {
                    sent += chunk.length;
                    if (!sock.write(chunk))
                        return sock.once('drain', more);
                }
            };
            sock.setTimeout(30_000, () => end('timeout'));
            sock.on('data', (d) => {
                text += d.toString('latin1');
                if (/\r\n\r\n[^]*\}/.test(text))
                    end('reply');
            });
            sock.on('error', () => end('error'));
            sock.on('close', () => end('close'));
            // Without pump the client waits for 100 Continue, as curl does
            // for a large file: the server must answer instead.
            sock.write('POST /api/v1/imports/accounts HTTP/1.1\r\n' +
                'Host: x\r\nContent-Type: text/csv\r\n' +
                'Content-Length: 20000000\r\n' +
                (pump ? '' : 'Expect: 100-continue\r\n') + extra + '\r\n');
            if (pump)
                more();
        });
    }

    test('an unauthenticated 20 MB import is 401 before its body',
        async () => {
            const r = await bigImport();
            assert.equal(r.status, 401, r.text.slice(0, 200));
            assert.doesNotMatch(r.text, /100 Continue/);
        });

    test('40 clients pushing 20 MB imports unauthenticated: 401s, memory stays low',
        async () => {
            const before = rssKb(srv.proc.pid);
            const rs = await Promise.all(
                Array.from({ length: 40 }, () => bigImport({ pump: true })));
            // Each is refused at once: the reply, or a reset when the
            // server closes under the body it never read.
            for (const r of rs) {
                assert.ok(r.status === 401 ||
                    (r.status === null && r.how !== 'timeout'),
                `${r.how}: ${r.text.slice(0, 200)}`);
                assert.ok(r.sent < 20_000_000, `sent ${r.sent} bytes`);
            }
            const grown = rssKb(srv.proc.pid) - before;
            assert.ok(grown < 64 * 1024, `RSS grew ${grown} kB`);
            // The access log line comes after the reply: on a busy machine
            // some are still on their way when the last client is answered.
            const logged = () => (srv.stderr().match(
                /^POST \/api\/v1\/imports\/accounts 401 /gm) ?? []).length;
            for (let i = 0; i < 100 && logged() < 40; i++)
                await new Promise((ok) => setTimeout(ok, 50));
            assert.ok(logged() >= 40, `${logged()} 401s logged`);
            assert.equal(await hello(srv), 200);
        });

    test('a signed-in import without its CSRF token is 403 before the body',
        async () => {
            const login = await fetch(`${srv.base}/api/v1/auth/login`, {
                method: 'POST', headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ email: 'rev@example.test',
                    password: PASSWORD }) });
            assert.equal(login.status, 200);
            const cookie = login.headers.get('set-cookie').split(';')[0];
            const r = await bigImport({ extra: `Cookie: ${cookie}\r\n` });
            assert.equal(r.status, 403, r.text.slice(0, 200));
        });

    test('a CSM\'s 20 MB import is 403 before its body: the route\'s role ' +
        'check comes before the body', async () => {
        const r = await bigImport({ extra:
            `Authorization: Bearer ${ws.csmToken}\r\n` });
        assert.equal(r.status, 403, r.text.slice(0, 200));
        assert.match(r.text, /RevOps and admins import records/);
        assert.doesNotMatch(r.text, /100 Continue/);
    });

    test('a bearer import still streams and imports', async () => {
        let csv = 'id,name,industry,employees,region,status\n';
        for (let i = 0; i < 3000; i++)
            csv += `a-h-${i},Hostile Test Account ${i},software,50,EMEA,prospect\n`;
        const r = await fetch(`${srv.base}/api/v1/imports/accounts`, {
            method: 'POST', body: csv, headers: {
                'content-type': 'text/csv',
                authorization: `Bearer ${ws.token}` } });
        const j = await r.json();
        assert.equal(r.status, 200, JSON.stringify(j));
        assert.equal(j.inserted, 3000);
    });
});

describe('memory held by bodies', () => {
    let ws, srv;
    before(async () => {
        ws = setup(null);
        srv = await startServer(null, ws.db, ['--body-memory', '1']);
    });
    after(() => srv?.stop());

    test('past the budget a body is 503 with Retry-After', async () => {
        // Holds 900 KiB of the 1 MiB budget with a sign-in body that
        // never finishes.
        const hold = net.connect({ host: '127.0.0.1', port: srv.port });
        hold.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/json\r\n' +
            `Content-Length: ${900 << 10}\r\n\r\n{"email":"`);
        await new Promise((res) => setTimeout(res, 300));
        const r = await raw(srv.port,
            'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/json\r\n' +
            `Content-Length: ${200 << 10}\r\n\r\n`);
        assert.equal(r.status, 503, r.head);
        assert.match(header(r.head, 'retry-after') ?? '', /^\d+$/);
        hold.destroy();
        // The budget comes back when the holder goes.
        await new Promise((res) => setTimeout(res, 300));
        const l = await fetch(`${srv.base}/api/v1/auth/login`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'rev@example.test',
                password: PASSWORD, pad: 'x'.repeat(200 << 10) }) });
        assert.notEqual(l.status, 503);
    });
});

describe('one client cannot take every connection', () => {
    let ws, srv;
    before(async () => {
        ws = setup(null);
        srv = await startServer(null, ws.db, ['--client-connections', '4',
            '--read-timeout', '2']);
    });
    after(() => srv?.stop());

    test('the 5th connection from one address is refused, others are served',
        async () => {
            // 127.0.0.2 is the hostile client; the test's fetch comes from
            // 127.0.0.1, another address to the server.
            const open = [];
            for (let i = 0; i < 4; i++) {
                const s = net.connect({ host: '127.0.0.1', port: srv.port,
                    localAddress: '127.0.0.2' });
                s.on('error', () => {});
                s.write('GET /api/v1/hello HTTP/1.1\r\nHost: x\r\n');
                open.push(s);
            }
            await new Promise((res) => setTimeout(res, 200));
            const fifth = await raw(srv.port,
                'GET /api/v1/hello HTTP/1.1\r\nHost: x\r\n\r\n',
            { localAddress: '127.0.0.2', ms: 1500 });
            assert.equal(fifth.status, null, fifth.head);
            assert.equal(fifth.closed, true);
            assert.equal(await hello(srv), 200);
            for (const s of open)
                s.destroy();
        });

    test('a stalled request is closed after --read-timeout', async () => {
        const t0 = Date.now();
        const r = await raw(srv.port, 'GET /api/v1/hello HTTP/1.1\r\nHost: x',
            { ms: 6000 });
        assert.equal(r.closed, true);
        const s = (Date.now() - t0) / 1000;
        assert.ok(s >= 1.5 && s < 4.5, `closed after ${s} s`);
    });

    test('serve refuses limits out of range, naming the option', () => {
        for (const [opt, v] of [['--client-connections', '0'],
            ['--client-connections', '1001'], ['--read-timeout', '0'],
            ['--read-timeout', '3601'], ['--body-memory', '0'],
            ['--body-memory', '4097']]) {
            const r = ok(['serve', opt, v, '--db', ws.db], { code: 2 });
            assert.match(r.stderr, new RegExp(`^closeloop serve: ${opt}: `),
                r.stderr);
        }
    });
});
