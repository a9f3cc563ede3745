// The workspace's time zone and business days (issue 15): the engine's
// "today" is the zone's day, and the 5-business-day deadlines count the
// workspace's working weekdays.  Without the settings: UTC, Monday to
// Friday, as before.  On SQLite, and on PostgreSQL with CLOSELOOP_TEST_PG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, cliRun, company, tasks,
    wonDeal } from './engine_lib.mjs';
import { as, demoWorkspace, startServer } from './api_lib.mjs';

// Thursday 4 June 2026, 23:30 UTC: Friday 09:30 in Sydney.
const LATE_THURSDAY = '2026-06-04T23:30';

function setup(t, settings = {}) {
    const { db, imp } = company(t, { now: '2026-06-01T09:00' });
    for (const [k, v] of Object.entries(settings))
        cli(db, ['config', 'set', k, v]);
    imp('accounts', [['id', 'name', 'industry', 'employees', 'region',
        'has_ops_function', 'csm_id', 'customer_since', 'status'],
    account('A1')], ['--now', '2026-06-01T09:00']);
    return { db, imp };
}

function tagLate(db, imp) {
    imp('deals', [['id', 'account_id', 'ae_id', 'type', 'source', 'stage',
        'created_on', 'first_demo_on', 'closed_on', 'arr', 'loss_reason',
        'icp_fit_score', 'champion_level', 'champion_tenure_months',
        'exec_sponsor', 'use_case', 'kickoff_on'],
    wonDeal('D1', 'A1', 'U3', '2025-03-02', 30000)],
    ['--now', '2026-06-01T09:00']);
    imp('churns', [['id', 'account_id', 'deal_id', 'churned_on', 'arr_lost',
        'stated_reason', 'diagnosis', 'predictive_behavior', 'primary_cause',
        'contributing_causes', 'tagged_by', 'tagged_on'],
    churn('C1', 'A1', 'D1', '2026-06-01')], ['--now', '2026-06-01T09:00']);
    cli(db, ['churn', 'tag', 'C1', '--primary', 'feature_overpromise',
        '--by', 'U6', '--now', LATE_THURSDAY]);
    const debriefs = tasks(db).filter((x) => x.kind === 'debrief');
    assert.ok(debriefs.length > 0, 'debrief tasks');
    return [...new Set(debriefs.map((x) => x.due_on))];
}

const tagged = (db) => {
    const r = cli(db, ['export', 'churns']).stdout.trim().split('\n');
    const head = r[0].split(',');
    return r[1].split(',')[head.indexOf('tagged_on')];
};

test('without the settings: UTC and Monday to Friday, as before',
    (t) => {
        const { db, imp } = setup(t);
        // Thursday in UTC: five business days later is next Thursday.
        assert.deepEqual(tagLate(db, imp), ['2026-06-11']);
        assert.equal(tagged(db), '2026-06-04');
    });

test('in Sydney the late-Thursday tag is Friday\'s, and so is its deadline',
    (t) => {
        const { db, imp } = setup(t, { timezone: 'Australia/Sydney' });
        assert.deepEqual(tagLate(db, imp), ['2026-06-12']);
        assert.equal(tagged(db), '2026-06-05');
    });

test('in New York a Friday-morning UTC tag is still Thursday', (t) => {
    const { db, imp } = setup(t, { timezone: 'America/New_York' });
    // 23:30 UTC Thursday is 19:30 Thursday in New York (summer time).
    assert.deepEqual(tagLate(db, imp), ['2026-06-11']);
    assert.equal(tagged(db), '2026-06-04');
});

test('a Sunday-to-Thursday week counts Sunday, not Friday or Saturday',
    (t) => {
        const { db, imp } = setup(t, { timezone: 'Asia/Jerusalem',
            business_days: 'sun-thu' });
        // Friday 02:30 in Jerusalem: not a working day; the five are Sunday
        // 7 to Thursday 11 June.
        assert.deepEqual(tagLate(db, imp), ['2026-06-11']);
        assert.equal(tagged(db), '2026-06-05');
        // A won deal closed on Friday 5 June: its review is due Thursday
        // 11 June, not Friday 12 June as in a Monday-to-Friday week.
        imp('deals', [['id', 'account_id', 'ae_id', 'type', 'source',
            'stage', 'created_on', 'first_demo_on', 'closed_on', 'arr',
            'loss_reason', 'icp_fit_score', 'champion_level',
            'champion_tenure_months', 'exec_sponsor', 'use_case',
            'kickoff_on'], wonDeal('D2', 'A1', 'U3', '2026-06-05', 20000)],
        ['--now', '2026-06-05T08:00']);
        const review = tasks(db).find((x) => x.kind === 'won_deal_review' &&
            x.subject.deal_id === 'D2');
        assert.equal(review.due_on, '2026-06-11');
    });

test('the settings are checked: a zone this server has, working weekdays',
    (t) => {
        const { db } = setup(t);
        for (const [key, value, msg] of [
            ['timezone', 'Mars/Olympus', /not a time zone this server knows/],
            ['timezone', '../../etc/passwd', /expected an IANA zone name/],
            ['business_days', 'mon-fry', /expected day names/],
            ['business_days', '', /expected day names/]]) {
            const r = cliRun(db, ['config', 'set', key, value]);
            assert.equal(r.code, 1, `${key}=${value}`);
            assert.match(r.stderr, msg);
        }
        cli(db, ['config', 'set', 'timezone', 'UTC']);
        cli(db, ['config', 'set', 'timezone', 'Europe/Berlin']);
    });

test('API: the server\'s today is the workspace\'s day', async (t) => {
    const ws = demoWorkspace(t);
    cli(ws.db, ['config', 'set', 'timezone', 'Australia/Sydney']);
    const srv = await startServer(t, ws.db, ['--now', LATE_THURSDAY]);
    const revops = await as(srv, ws, 'revops');
    const r = await revops.get('/api/v1/me');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.today, '2026-06-05');
    const tasksPage = await revops.get('/api/v1/tasks');
    assert.equal(tasksPage.status, 200);
});
