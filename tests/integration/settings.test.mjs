// settings.test.mjs - every threshold and delivery setting has a range,
// checked in one place: the API answers 400 naming the setting and its
// range, `closeloop config` one line and a non-zero exit, nothing changes;
// a value stored before ranges existed is read as the nearest bound.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { as, demoWorkspace, sql, startServer } from './api_lib.mjs';
import { account, churn, cli, cliRun, company, tasks, wonDeal } from
    './engine_lib.mjs';

describe('the settings API', () => {
    let ws, srv, revops;
    before(async () => {
        ws = demoWorkspace(null);
        srv = await startServer(null, ws.db);
        revops = await as(srv, ws, 'revops');
    });
    after(() => srv?.stop());

    const item = async (key) => (await revops.get(
        '/api/v1/settings/thresholds')).json.items.find((x) => x.key === key);

    test('GET shows each threshold with its range, unit and rule', async () => {
        const items = (await revops.get('/api/v1/settings/thresholds')).json
            .items;
        assert.equal(items.length, 18);
        for (const x of items) {
            for (const k of ['key', 'value', 'min', 'max', 'unit',
                'description', 'etag'])
                assert.ok(k in x, `${x.key}: ${k}`);
            assert.ok(x.min <= x.value && x.value <= x.max, x.key);
        }
        const d = items.find((x) => x.key === 'debrief_due_business_days');
        assert.deepEqual([d.value, d.min, d.max, d.unit, d.whole],
            [5, 1, 366, 'business_days', true]);
        const s = items.find((x) => x.key === 'icp_review_share');
        assert.deepEqual([s.min, s.max, s.unit], [0, 1, 'share']);
    });

    test('1e308 business days is a 400 naming the setting and its range',
        async () => {
            const before = await item('debrief_due_business_days');
            const t0 = Date.now();
            const r = await revops.patch(
                '/api/v1/settings/thresholds/debrief_due_business_days',
                { value: 1e308 }, { headers: { 'if-match': before.etag } });
            assert.equal(r.status, 400, r.text);
            assert.equal(r.json.error.field, 'value');
            assert.match(r.json.error.message,
                /^debrief_due_business_days: expected a whole number from 1 to 366 \(business_days\), got 1e\+308$/);
            assert.ok(Date.now() - t0 < 5000);
            for (const [key, value] of [['debrief_due_business_days', 0],
                ['debrief_due_business_days', 2.5],
                ['icp_review_share', 1.5], ['icp_review_share', -0.1],
                ['review_senior_arr', 1e12], ['stale_icp_days', 99999]]) {
                const b = await item(key);
                const x = await revops.patch(
                    `/api/v1/settings/thresholds/${key}`, { value },
                    { headers: { 'if-match': b.etag } });
                assert.equal(x.status, 400, `${key}=${value}: ${x.text}`);
                assert.match(x.json.error.message, new RegExp(`^${key}: `));
            }
            assert.deepEqual(await item('debrief_due_business_days'), before);
            const good = await revops.patch(
                '/api/v1/settings/thresholds/debrief_due_business_days',
                { value: 366 }, { headers: { 'if-match': before.etag } });
            assert.equal(good.status, 200, good.text);
            assert.equal(good.json.value, 366);
        });

    test('a report reads a threshold changed a moment ago', async () => {
        const share = async () => (await revops.get(
            '/api/v1/reports/bad-fit')).json.categories
            .find((c) => c.threshold_key === 'icp_review_share').threshold;
        const b = await item('icp_review_share');
        assert.equal(await share(), b.value);
        const r = await revops.patch(
            '/api/v1/settings/thresholds/icp_review_share',
            { value: 0.55 }, { headers: { 'if-match': b.etag } });
        assert.equal(r.status, 200, r.text);
        assert.equal(await share(), 0.55);
    });

    test('delivery settings out of range are a 400 naming the key', async () => {
        const cfg = await revops.get('/api/v1/settings/config');
        for (const [k, v] of [['max_attempts', '1000000'],
            ['retry_base_seconds', '0'], ['engine_lookback_days', '1e9']]) {
            const r = await revops.patch('/api/v1/settings/config', { [k]: v },
                { headers: { 'if-match': cfg.headers.get('etag') } });
            assert.equal(r.status, 400, r.text);
            assert.equal(r.json.error.field, k);
            assert.match(r.json.error.message,
                new RegExp(`^${k}: expected a whole number from 1 to \\d+`));
        }
    });
});

// A churn on a deal Ann (U3) closed, ready to be tagged.
function churned(t) {
    return company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-03-02', 30000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01')],
    });
}

const tag = (db) => cli(db, ['churn', 'tag', 'C1', '--primary',
    'feature_overpromise', '--stated', 'It never did what we were told',
    '--by', 'U6', '--now', '2026-06-03T10:00']);

test('closeloop config refuses a threshold out of range in one line',
    (t) => {
        const { db } = churned(t);
        for (const [k, v] of [['debrief_due_business_days', '1e308'],
            ['debrief_due_business_days', 'soon'],
            ['icp_review_share', '2'], ['max_attempts', '1000000']]) {
            const r = cliRun(db, ['config', 'set', k, v]);
            assert.equal(r.code, 1, r.stderr);
            assert.equal(r.lines.length, 1, r.stderr);
            assert.match(r.lines[0], new RegExp(`${k}: expected .* from `));
        }
        assert.equal(cli(db, ['config', 'get', 'debrief_due_business_days'])
            .stdout, '5\n');
        cli(db, ['config', 'set', 'debrief_due_business_days', '2']);
        assert.equal(cli(db, ['config', 'get', 'debrief_due_business_days'])
            .stdout, '2\n');
        // Tagged on Wed 2026-06-03: two business days is Friday.
        tag(db);
        assert.deepEqual(tasks(db).filter((x) => x.kind === 'debrief')
            .map((x) => x.due_on), ['2026-06-05', '2026-06-05']);
    });

test('a value stored before ranges existed is read as the nearest bound',
    (t) => {
        const { db } = churned(t);
        sql(db, "UPDATE thresholds SET value = 1e308 " +
            "WHERE key = 'debrief_due_business_days'");
        assert.equal(cli(db, ['config', 'get', 'debrief_due_business_days'])
            .stdout, '366\n');
        const t0 = Date.now();
        tag(db);
        assert.ok(Date.now() - t0 < 10000, 'tagging took too long');
        const due = tasks(db).filter((x) => x.kind === 'debrief')
            .map((x) => x.due_on);
        assert.equal(due.length, 2);
        assert.ok(due.every((d) => d > '2027-06-01' && d < '2028-01-01'), due);
    });
