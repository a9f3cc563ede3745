// api_import.test.mjs - POST /api/v1/imports/{kind}: the CSV body goes
// through the importer of `closeloop import`, all or nothing, and answers
// the CLI's counts or its LINE: COLUMN: message errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { as, demoWorkspace, startServer } from './api_lib.mjs';
import { BIN } from './lib.mjs';

let ws, srv, revops, admin, csm, marketing;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    admin = await as(srv, ws, 'admin');
    csm = await as(srv, ws, 'csm');
    marketing = await as(srv, ws, 'marketing');
});

after(async () => {
    await srv?.stop();
    if (ws)
        rmSync(ws.dir, { recursive: true, force: true });
});

// Uploads csv as text/csv (the browser's way: cookie + CSRF).
async function upload(c, kind, csv, query = '') {
    const headers = { 'content-type': 'text/csv' };
    if (c) {
        headers.cookie = c.cookie;
        headers['x-csrf-token'] = c.csrf;
    }
    const res = await fetch(`${srv.base}/api/v1/imports/${kind}${query}`,
        { method: 'POST', headers, body: csv });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        json = null;
    }
    return { status: res.status, json, text };
}

function cli(args, input) {
    return spawnSync(BIN, [...args, '--db', ws.db], { input, encoding: 'utf8',
        maxBuffer: 64 << 20 });
}

const exported = (kind) => cli(['export', kind]).stdout;

test('RevOps imports accounts: counts as the CLI prints them, then a re-import changes nothing',
    async () => {
        const csv = 'id,name,industry,employees,region,status\n' +
            'a-api-1,Upload One Ltd,software,120,EMEA,prospect\n' +
            'a-api-2,Upload Two Inc,retail,40,NA,prospect\n';
        let r = await upload(revops, 'accounts', csv);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(
            { rows: r.json.rows, inserted: r.json.inserted, updated: r.json.updated,
                unchanged: r.json.unchanged, skipped: r.json.skipped, applied: r.json.applied },
            { rows: 2, inserted: 2, updated: 0, unchanged: 0, skipped: 0, applied: true });
        assert.match(exported('accounts'), /a-api-1,Upload One Ltd,software,120,EMEA/);
        // The API reads it back; the audit names who imported it.
        const one = await revops.get('/api/v1/accounts/a-api-1');
        assert.equal(one.status, 200);
        assert.equal(one.json.name, 'Upload One Ltd');
        const trail = await revops.get('/api/v1/audit/accounts/a-api-1');
        assert.equal(trail.status, 200);
        assert.ok(JSON.stringify(trail.json).includes(revops.user.id), 'audit names the importer');

        // The same file again: all unchanged, as the CLI would say.
        r = await upload(revops, 'accounts', csv);
        assert.equal(r.status, 200);
        assert.equal(r.json.unchanged, 2);
        assert.equal(r.json.inserted, 0);
        // The CLI on the same file agrees: nothing new.
        const f = path.join(ws.dir, 'same.csv');
        writeFileSync(f, csv);
        const c = cli(['import', 'accounts', f]);
        assert.equal(c.status, 0, c.stderr);
        assert.match(c.stdout, /2 rows: 0 inserted, 0 updated, 2 unchanged, 0 bad/);

        // One changed row is an update.
        r = await upload(admin, 'accounts', csv.replace('120,EMEA', '150,EMEA'));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.updated, 1);
        assert.equal(r.json.unchanged, 1);
    });

test('a bad row: 400 with its line and column, the CLI\'s message, and nothing applied',
    async () => {
        const csv = 'on,name\n2033-01-02,Good day\n2033-13-01,Bad month\n2033-01-04,\n';
        const before = exported('holidays');
        const r = await upload(revops, 'holidays', csv);
        assert.equal(r.status, 400, r.text);
        assert.equal(r.json.applied, false);
        assert.equal(r.json.error.code, 'invalid');
        assert.match(r.json.error.message, /2 bad rows; nothing imported/);
        assert.deepEqual(r.json.errors.map((e) => [e.line, e.column]), [[3, 'on'], [4, 'name']]);
        assert.equal(exported('holidays'), before, 'nothing of the file is applied');
        assert.ok(!before.includes('2033-01-02'));
        // Word for word the CLI's lines, less the file name.
        const f = path.join(ws.dir, 'bad.csv');
        writeFileSync(f, csv);
        const c = cli(['import', 'holidays', f]);
        assert.notEqual(c.status, 0);
        const lines = c.stderr.split('\n').filter((l) => l.startsWith(f + ':'))
            .map((l) => l.slice(f.length + 1));
        assert.deepEqual(r.json.errors.map((e) => e.text), lines);
    });

test('skip_bad=true applies the good rows and lists the bad', async () => {
    const csv = 'on,name\n2034-01-02,Kept day\n2034-02-30,No such day\n';
    const r = await upload(revops, 'holidays', csv, '?skip_bad=true');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.inserted, 1);
    assert.equal(r.json.skipped, 1);
    assert.deepEqual(r.json.errors.map((e) => [e.line, e.column]), [[3, 'on']]);
    assert.match(exported('holidays'), /2034-01-02,Kept day/);
    assert.doesNotMatch(exported('holidays'), /No such day/);
});

test('a bad header is line 1 with the column', async () => {
    const r = await upload(revops, 'holidays', 'on,nam\n2035-01-02,X\n');
    assert.equal(r.status, 400);
    assert.deepEqual([r.json.errors[0].line, r.json.errors[0].column], [1, 'nam']);
    assert.doesNotMatch(exported('holidays'), /2035-01-02/);
});

test('only RevOps and admins import; the kind and mapping are checked', async () => {
    const csv = 'on,name\n2036-01-02,Nope\n';
    assert.equal((await upload(null, 'holidays', csv)).status, 401);
    for (const c of [csm, marketing]) {
        const r = await upload(c, 'holidays', csv);
        assert.equal(r.status, 403, r.text);
    }
    let r = await upload(revops, 'widgets', csv);
    assert.equal(r.status, 404);
    assert.equal(r.json.error.field, 'kind');
    r = await upload(revops, 'holidays', csv, '?mapping=hubspot');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'mapping');
    r = await upload(revops, 'holidays', csv, '?skip_bad=maybe');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'skip_bad');
    r = await upload(revops, 'holidays', '');
    assert.equal(r.status, 400);
    assert.doesNotMatch(exported('holidays'), /Nope/);
});

test('a file over the JSON body limit (1 MiB) imports; over 20 MiB is 413', async () => {
    let csv = 'id,name,industry,employees,region,status\n';
    for (let i = 0; i < 20000; i++)
        csv += `a-big-${String(i).padStart(6, '0')},Bulk Account Number ${i} Limited,software,${50 + (i % 500)},EMEA,prospect\n`;
    assert.ok(csv.length > (1 << 20), `${csv.length} bytes`);
    let r = await upload(revops, 'accounts', csv);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.equal(r.json.inserted, 20000);
    const big = 'x'.repeat(21 << 20);
    r = await upload(revops, 'holidays', big);
    assert.equal(r.status, 413);
});

test('the report cache sees an import at once', async () => {
    const q = (await revops.get('/api/v1/reports/monthly')).json;
    const period = q.period;
    const customer = exported('accounts').split('\n')
        .find((l) => l.endsWith(',customer')).split(',')[0];
    const r = await upload(revops, 'churns',
        `id,account_id,churned_on,arr_lost,stated_reason\nc-api-1,${customer},${period}-15,12345,Budget moved\n`);
    assert.equal(r.status, 200, r.text);
    const after = (await revops.get(`/api/v1/reports/monthly?period=${period}`)).json;
    assert.equal(after.churns, q.churns + 1);
    assert.equal(after.arr_lost, q.arr_lost + 12345);
    const viaCli = JSON.parse(cli(['report', 'monthly', '--period', period, '--format', 'json']).stdout);
    assert.equal(after.churns, viaCli.churns);
    assert.equal(after.arr_lost, viaCli.arr_lost);
});

test('the OpenAPI document describes the upload', async () => {
    const doc = (await revops.get('/api/v1/openapi.json')).json;
    const op = doc.paths['/api/v1/imports/{kind}'].post;
    assert.ok(op.requestBody.content['text/csv']);
    assert.deepEqual(op.parameters.map((p) => p.name).sort(), ['kind', 'mapping', 'skip_bad']);
});

test('the server stops cleanly after the uploads (no leak, no sanitizer report)', async () => {
    const { code, signal } = await srv.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, srv.stderr().slice(-2000));
    assert.doesNotMatch(srv.stderr(), /Sanitizer|runtime error/);
});
