// Issue 16: sessions opened now or scheduled by hand.  RevOps opens an extra
// bad-fit review for a finished quarter (once, however often asked, with
// its pack and an audit entry), schedules the month's debrief for a day of
// its choosing (the cadence leaves it to that day, the tick opens it then),
// and everyone who reads sessions sees what opens next.  Each input has its
// range; other roles are refused.  Today is 2026-11-18 (lib.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { as, demoWorkspace, sql, startServer } from './api_lib.mjs';
import { ok } from './lib.mjs';

let ws, srv, revops, csm, vpcs;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
    csm = await as(srv, ws, 'csm');
    vpcs = await as(srv, ws, 'vp_cs');
});

after(() => srv?.stop());

const find = (items, kind, period) =>
    items.find((n) => n.kind === kind && n.period === period);

test('what opens next: the cadence\'s debrief and reviews, with their days',
    async () => {
        const r = await vpcs.get('/api/v1/sessions/next');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.today, '2026-11-18');
        const d = find(r.json.items, 'monthly_debrief', '2026-11');
        assert.equal(d.open_on, '2026-12-01');
        assert.equal(d.scheduled, false);
        for (const k of ['bad_fit_review', 'icp_review', 'recovery_review'])
            assert.ok(find(r.json.items, k, '2026Q4'), k);
    });

test('RevOps opens an extra bad-fit review for a finished quarter, once',
    async () => {
        let r = await revops.post('/api/v1/sessions',
            { kind: 'bad_fit_review', period: '2026Q2' });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.opened, true);
        assert.equal(r.json.kind, 'bad_fit_review');
        assert.equal(r.json.period, '2026Q2');
        assert.equal(r.json.status, 'open');
        assert.equal(r.json.has_pack, true, 'the pack as the cadence builds it');
        const id = r.json.id;
        const got = await revops.get(`/api/v1/sessions/${id}`);
        assert.equal(got.json.pack.period, '2026Q2');
        r = await revops.post('/api/v1/sessions',
            { kind: 'bad_fit_review', period: '2026Q2' });
        assert.equal(r.status, 200);
        assert.equal(r.json.opened, false);
        assert.equal(r.json.id, id);
        const list = await revops.get('/api/v1/sessions');
        assert.equal(list.json.items.filter((s) => s.kind === 'bad_fit_review' &&
            s.period === '2026Q2').length, 1);
        const audit = sql(ws.db, "SELECT actor || ' ' || action FROM audit " +
            `WHERE entity = 'sessions' AND entity_id = '${id}' AND ` +
            "action = 'session_open'");
        assert.equal(audit, `${revops.user.id} session_open`);
    });

test('opening is refused outside its range, naming the field', async () => {
    const cases = [
        [{ kind: 'bad_fit_review', period: '2026Q4' }, 'period', /not over/],
        [{ kind: 'weekly_review', period: '2026Q2' }, 'kind', /expected/],
        [{ kind: 'bad_fit_review', period: '2026-05' }, 'period', /quarter/],
        [{ kind: 'monthly_debrief', period: '2026Q2' }, 'period', /month/],
        [{ kind: 'icp_review', period: '2020Q1' }, 'period', /five years/],
    ];
    for (const [body, field, msg] of cases) {
        const r = await revops.post('/api/v1/sessions', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.json.error.field, field);
        assert.match(r.json.error.message, msg);
    }
    const r = await csm.post('/api/v1/sessions',
        { kind: 'bad_fit_review', period: '2026Q1' });
    assert.equal(r.status, 403);
});

test('a debrief scheduled for a day opens that day, not the cadence\'s',
    async () => {
        const bad = [
            [{ open_on: '2026-11-17' }, 'open_on', /2026-11-18 to 2027-11-18/],
            [{ open_on: '2027-11-19' }, 'open_on', /2026-11-18 to 2027-11-18/],
            [{ open_on: '2026-11-20' }, 'period', /not over/],
            [{ open_on: 'soon' }, 'open_on', /YYYY-MM-DD/],
        ];
        for (const [b, field, msg] of bad) {
            const r = await revops.post('/api/v1/sessions/schedule',
                { kind: 'monthly_debrief', period: '2026-11', ...b });
            assert.equal(r.status, 400, JSON.stringify(b));
            assert.equal(r.json.error.field, field);
            assert.match(r.json.error.message, msg);
        }
        assert.equal((await csm.post('/api/v1/sessions/schedule',
            { kind: 'monthly_debrief', period: '2026-11',
                open_on: '2026-12-10' })).status, 403);
        let r = await revops.post('/api/v1/sessions/schedule',
            { kind: 'monthly_debrief', period: '2026-11', open_on: '2026-12-09' });
        assert.equal(r.status, 200, r.text);
        // Again: the day moves.
        r = await revops.post('/api/v1/sessions/schedule',
            { kind: 'monthly_debrief', period: '2026-11', open_on: '2026-12-10' });
        assert.equal(r.status, 200, r.text);
        const next = (await revops.get('/api/v1/sessions/next')).json.items;
        const d = next.filter((n) => n.kind === 'monthly_debrief' &&
            n.period === '2026-11');
        assert.deepEqual(d, [{ kind: 'monthly_debrief', period: '2026-11',
            open_on: '2026-12-10', scheduled: true }]);

        const debrief = async () => (await revops.get('/api/v1/sessions'))
            .json.items.find((s) => s.kind === 'monthly_debrief' &&
                s.period === '2026-11');
        ok(['tick', '--db', ws.db, '--now', '2026-12-01T10:00']);
        assert.equal(await debrief(), undefined,
            'the cadence leaves a scheduled session to its day');
        ok(['tick', '--db', ws.db, '--now', '2026-12-10T10:00']);
        const s = await debrief();
        assert.ok(s, 'opened on its day');
        assert.equal(s.has_pack, true);
        assert.match(s.opened_at, /^2026-12-10/);
        // Opened: no longer coming next, and it cannot be scheduled again.
        r = await revops.post('/api/v1/sessions/schedule',
            { kind: 'monthly_debrief', period: '2026-11', open_on: '2026-12-20' });
        assert.equal(r.status, 409);
    });

test('the CLI opens, schedules and lists what opens next', () => {
    const out = ok(['session', 'open', 'recovery_review', '2026Q1', '--by',
        revops.user.id, '--db', ws.db]).stdout;
    assert.match(out, /opened: recovery_review 2026Q1/);
    const again = ok(['session', 'open', 'recovery_review', '2026Q1', '--by',
        revops.user.id, '--db', ws.db]).stdout;
    assert.match(again, /was open already/);
    ok(['session', 'schedule', 'icp_review', '2026Q4', '--on', '2027-01-15',
        '--by', revops.user.id, '--db', ws.db]);
    const next = ok(['session', 'next', '--db', ws.db]).stdout;
    assert.match(next, /icp_review\s+2026Q4\s+2027-01-15 scheduled/);
});
