// report_trend.test.mjs - GET /api/v1/reports/{name}/trend: the bad-fit
// shares and the loop-health verdicts over the last N quarters, each
// quarter the same figures as that quarter's report from the CLI; N in
// its range; read as the report is, never as a private view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { as, demoWorkspace, startServer } from './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv, revops, ae;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    ae = await as(srv, ws, 'ae');
});
after(() => srv?.stop());

const cli = (args) => JSON.parse(ok(['report', ...args, '--db', ws.db]).stdout);

test('the bad-fit trend: one point per quarter, each the report of that quarter', async () => {
    const r = await revops.get('/api/v1/reports/bad-fit/trend?quarters=4&period=2026Q3');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.quarters.map((q) => q.period),
        ['2025Q4', '2026Q1', '2026Q2', '2026Q3']);
    for (const q of r.json.quarters) {
        const want = cli(['bad-fit', '--period', q.period]);
        assert.equal(q.cohort_size, want.cohort_size, q.period);
        assert.deepEqual(q.categories.map((c) => [c.category, c.share, c.ci_low, c.ci_high]),
            want.categories.map((c) => [c.category, c.share, c.ci_low, c.ci_high]), q.period);
    }
    // Without a period: the report's own default, the last full quarter.
    const d = await revops.get('/api/v1/reports/bad-fit/trend');
    assert.equal(d.json.quarters.length, 8);
    assert.equal(d.json.quarters.at(-1).period, cli(['bad-fit']).period);
});

test('the loop-health trend: each quarter as the report read after it ended', async () => {
    const r = await revops.get('/api/v1/reports/health/trend?quarters=6');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.quarters.length, 6);
    const now = cli(['health']);
    // The report's four quarters are the trend's last four, verdict for verdict.
    const last = r.json.quarters.at(-1);
    assert.equal(last.period, now.summary.period);
    assert.equal(last.passed, now.summary.passed);
    assert.equal(last.failed, now.summary.failed);
    assert.deepEqual(last.checks, now.quarters.at(-1).checks);
    const periods = r.json.quarters.map((q) => q.period);
    assert.deepEqual(periods.slice(-4), now.quarters.map((q) => q.period));
});

test('quarters out of range, a report without a trend, a period for health; no AE named', async () => {
    for (const n of ['1', '13', 'x', '']) {
        const r = await revops.get(`/api/v1/reports/bad-fit/trend?quarters=${n}`);
        assert.equal(r.status, 400, n);
        assert.equal(r.json.error.field, 'quarters');
        assert.match(r.json.error.message, /2 to 12/);
    }
    let r = await revops.get('/api/v1/reports/monthly/trend');
    assert.equal(r.status, 404);
    r = await revops.get('/api/v1/reports/health/trend?period=2026Q1');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'period');
    // Every role reads both reports, and the trend is never a private
    // view: an AE reads the same figures as RevOps, naming nobody.
    const mine = await ae.get('/api/v1/reports/bad-fit/trend?quarters=3&period=2026Q3');
    assert.equal(mine.status, 200);
    const theirs = await revops.get('/api/v1/reports/bad-fit/trend?quarters=3&period=2026Q3');
    assert.deepEqual(mine.json, theirs.json);
    for (const u of ws.users.filter((x) => x.role === 'ae'))
        assert.ok(!mine.text.includes(u.id), u.id);
});
