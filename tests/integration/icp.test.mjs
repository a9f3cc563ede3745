// Issue 14: the ICP definition as docs/design.md states it.  Versions are
// immutable, each with an owner (a user) and a rationale; a review may
// record "reviewed, no change" instead, and loop health counts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, cliRun, company, json, wonDeal } from
    './engine_lib.mjs';
import { Client, PASSWORD, startServer } from './api_lib.mjs';
import { writeCsv } from './lib.mjs';

const HEAD = ['version', 'effective_on', 'criteria', 'owner_id', 'rationale'];
const V1 = [1, '2025-01-01', 'employees >= 50', 'U8', 'First definition'];

// A company whose churns were tagged in 2026Q3, with ICP version 1 only
// (effective 2025-01-01: stale by 2026Q3).
function loop(t) {
    const tagged = (id, acct, deal, on) => {
        const r = churn(id, acct, deal, on);
        r[8] = 'pricing';
        r[10] = 'U6';
        r[11] = on;
        return r;
    };
    const c = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
            wonDeal('D2', 'A2', 'U4', '2025-02-01', 20000)],
        churns: [tagged('C1', 'A1', 'D1', '2026-07-10'),
            tagged('C2', 'A2', 'D2', '2026-08-10')],
    });
    c.imp('icp', [HEAD, V1]);
    return c;
}

const icpFile = (dir, rows) =>
    writeCsv(dir, `icp-${Math.random()}.csv`, [HEAD, ...rows]);
const versions = (db) => cli(db, ['export', 'icp']).stdout;

function staleIcp(db, now = '2026-11-18') {
    const h = json(db, ['report', 'health', '--now', now]);
    const q = h.quarters.find((x) => JSON.stringify(x).includes('2026Q3'));
    return (q.checks ?? []).find((c) => c.check === 'stale_icp');
}

test('ICP versions are immutable: a changed re-import is a bad row, nothing ' +
    'applied; the identical row changes nothing', (t) => {
    const { db, dir } = loop(t);
    const before = versions(db);
    // Row 3 re-states version 1 with other criteria; row 2 is a good new
    // version that must not be applied either.
    const V2 = [2, '2026-01-01', 'employees >= 80', 'U8', 'Mid-size churned'];
    for (const [field, changed] of [['criteria', 'employees >= 10'],
        ['effective_on', '2025-02-01'], ['owner_id', 'U7'],
        ['rationale', 'Another reason']]) {
        const row = [...V1];
        row[HEAD.indexOf(field)] = changed;
        const r = cliRun(db, ['import', 'icp', icpFile(dir, [V2, row])]);
        assert.equal(r.code, 1, field);
        assert.match(r.stderr, new RegExp(`:3: ${field}: .*immutable`), field);
        assert.match(r.stderr, /nothing imported/);
        assert.equal(versions(db), before, field);
    }
    const same = cliRun(db, ['import', 'icp', icpFile(dir, [V1])]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /0 inserted, 0 updated, 1 unchanged/);
    assert.equal(versions(db), before);
});

test('ICP versions need an owner who is a user and a non-blank rationale',
    (t) => {
    const { db, dir } = loop(t);
    const before = versions(db);
    for (const [row, re] of [
        [[2, '2026-01-01', 'employees >= 80', '', 'Why'], /:2: owner_id: required/],
        [[2, '2026-01-01', 'employees >= 80', 'U99', 'Why'],
            /:2: owner_id: no users record with id 'U99'/],
        [[2, '2026-01-01', 'employees >= 80', 'U8', ''], /:2: rationale: required/],
        [[2, '2026-01-01', 'employees >= 80', 'U8', '   '],
            /:2: rationale: required/]]) {
        const r = cliRun(db, ['import', 'icp', icpFile(dir, [row])]);
        assert.equal(r.code, 1, JSON.stringify(row));
        assert.match(r.stderr, re);
        assert.equal(versions(db), before);
    }
});

test('ICP "reviewed, no change" from the CLI clears the stale-ICP check ' +
    'and is audited', (t) => {
    const { db } = loop(t);
    assert.equal(staleIcp(db).pass, false);
    // A rationale and an owner are required; nothing is recorded without.
    let r = cliRun(db, ['icp', 'decide', '--no-change', '--by', 'U8',
        '--rationale', ' ', '--now', '2026-09-20']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /rationale: required/);
    r = cliRun(db, ['icp', 'decide', '--no-change', '--by', 'U99',
        '--rationale', 'Keep it', '--now', '2026-09-20']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /owner: no user 'U99'/);
    assert.equal(staleIcp(db).pass, false);

    r = cli(db, ['icp', 'decide', '--no-change', '--by', 'U8', '--rationale',
        'Rate ratios by segment are within their intervals', '--now',
        '2026-09-20T09:00']);
    assert.match(r.stdout, /ICP version 1 reviewed: no change/);
    const check = staleIcp(db);
    assert.equal(check.pass, true, JSON.stringify(check));
    assert.equal(check.value, 10); // 2026-09-20 .. 2026-09-30
    assert.match(check.note, /decided not to change/);
    // Audited on the version, with who, when and why.
    const trail = cli(db, ['history', '--entity', 'icp_versions', '--id', '1',
        '--format', 'json']).stdout;
    assert.match(trail, /icp_reviewed_no_change/);
    assert.match(trail, /Rate ratios by segment/);
    assert.match(trail, /2026-09-20/);
    // A decision after the quarter does not clear that quarter.
    const { db: db2 } = loop(t);
    cli(db2, ['icp', 'decide', '--no-change', '--by', 'U8', '--rationale',
        'Later', '--now', '2026-10-02']);
    assert.equal(staleIcp(db2).pass, false);
});

test('ICP through the API: marketing and revops add versions, nobody ' +
    'changes or deletes one, a review records "no change"', async (t) => {
    const { db } = loop(t);
    for (const u of ['U8', 'U7', 'U6'])
        cli(db, ['user', 'passwd', u], { input: PASSWORD + '\n' });
    const srv = await startServer(t, db);
    const login = async (email) => {
        const c = new Client(srv);
        assert.equal((await c.login(email)).status, 200);
        return c;
    };
    const mkt = await login('mo@example.com');
    const ops = await login('rita@example.com');
    const csm = await login('cid@example.com');

    const v2 = { version: 2, effective_on: '2026-09-01',
        criteria: 'employees >= 80', owner_id: 'U8',
        rationale: 'Teams under 80 churned at twice the base rate' };
    let r = await csm.post('/api/v1/icp', v2);
    assert.equal(r.status, 403);
    r = await mkt.post('/api/v1/icp', { ...v2, rationale: '  ' });
    assert.equal(r.status, 400);
    assert.match(r.text, /rationale/);
    r = await mkt.post('/api/v1/icp', { ...v2, owner_id: undefined });
    assert.equal(r.status, 400);
    assert.match(r.text, /owner_id/);
    r = await mkt.post('/api/v1/icp', v2);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.criteria, 'employees >= 80');
    r = await ops.post('/api/v1/icp', { ...v2, criteria: 'employees >= 5' });
    assert.equal(r.status, 409);
    assert.match(r.text, /immutable/);
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
        r = await ops.req(m, '/api/v1/icp/2', { body: { rationale: 'x' } });
        assert.equal(r.status, 405, m);
        assert.match(r.text, /immutable/, m);
    }
    r = await ops.get('/api/v1/icp/2');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.criteria, 'employees >= 80');
    assert.equal(r.json.criteria_words, 'employees at least 80');
    r = await csm.get('/api/v1/icp');
    assert.equal(r.status, 200);
    assert.equal(JSON.stringify(r.json).match(/"version":/g).length, 2,
        r.text);
    // Issue 16: every version has its rule in words beside the text.
    const listed = r.json.items.find((x) => x.version === 2);
    assert.equal(listed.criteria, 'employees >= 80');
    assert.equal(listed.criteria_words, 'employees at least 80');
    for (const x of r.json.items)
        assert.equal(typeof x.criteria_words, 'string', JSON.stringify(x));

    r = await csm.post('/api/v1/icp/no-change', { rationale: 'Keep' });
    assert.equal(r.status, 403);
    r = await ops.post('/api/v1/icp/no-change', { rationale: '' });
    assert.equal(r.status, 400);
    r = await ops.post('/api/v1/icp/no-change', { owner_id: 'U8',
        rationale: 'Within the intervals' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.version, 2);
    assert.equal(r.json.owner_id, 'U8');
    const trail = cli(db, ['history', '--entity', 'icp_versions', '--id', '2',
        '--format', 'json']).stdout;
    assert.match(trail, /icp_reviewed_no_change/);
    assert.match(trail, /Within the intervals/);
});
