// Pipeline flags (DESIGN 2, item 11; issue 14): outside-ICP, churn-pattern,
// champion-stability and slow-to-demo flags reach the AE and the AE's
// manager as one digest a day per person, ranked by evidence, never one
// message per deal; the pipeline report pages, sorts and filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { account, cli, company, outbox, tick, DEAL_HEAD } from
    './engine_lib.mjs';
import { as, demoWorkspace, startServer } from './api_lib.mjs';

// An open deal: id, account, AE, created, first demo ('' none), ARR, ICP
// fit, champion tenure in months, executive sponsor.
function openDeal(id, acct, ae, created, demo, arr, fit, tenure, sponsor) {
    return [id, acct, ae, 'new', 'inbound', 'discovery', created, demo, '',
        arr, '', fit, 'director', tenure, sponsor, 'reporting', ''];
}

const ICP = [['version', 'effective_on', 'criteria', 'owner_id', 'rationale'],
    [1, '2026-01-01', 'employees >= 50', 'U8', 'Teams of 50 and more adopt']];

test('a tick sends one digest per person a day, ranked by evidence, and ' +
    'never the same flag twice', (t) => {
    // Ann (U3) and Bob (U4) report to Sam (U2).  A2 is a 20-person team:
    // outside the ICP.
    const small = account('A2');
    small[3] = 20;
    const { db, imp } = company(t, {
        accounts: [account('A1'), small, account('A3'), account('A4')],
        deals: [
            // champion 3 months in the role
            openDeal('P1', 'A1', 'U3', '2026-05-20', '2026-05-25', 30000, 80,
                3, 'true'),
            // outside the ICP, and no executive sponsor
            openDeal('P2', 'A2', 'U3', '2026-05-20', '2026-05-22', 20000, 40,
                24, 'false'),
            // no demo after 92 days
            openDeal('P3', 'A3', 'U4', '2026-03-01', '', 10000, 80, 24,
                'true'),
            // nothing to flag
            openDeal('P4', 'A4', 'U4', '2026-05-20', '2026-05-21', 10000, 80,
                24, 'true'),
        ],
        now: '2026-06-01T07:00',
    });
    imp('icp', ICP);

    const first = tick(db, '2026-06-01T08:00');
    assert.equal(first.flags, 4);
    const mail = () => outbox(db, '--channel', 'email');
    const digests = (m) => m.filter((x) => x.kind === 'pipeline_digest');
    assert.deepEqual(mail().filter((x) => x.kind === 'pipeline_flag'), []);
    let sent = digests(mail());
    assert.deepEqual(sent.map((x) => x.recipient_id).sort(),
        ['U2', 'U3', 'U4']);
    const to = (who) => sent.find((x) => x.recipient_id === who);

    // Ann's own deals, strongest evidence first: outside the ICP before
    // champion stability; within champion stability, 3 months in the
    // role before no executive sponsor.
    const ann = to('U3');
    assert.equal(ann.subject, 'Pipeline digest 1 Jun 2026: 3 new flags on ' +
        '2 deals');
    const lines = ann.body.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.deepEqual(lines, [
        '1. Deal with Account A2: outside the ICP: outside ICP version 1, ' +
            'which needs: employees at least 50',
        '2. Deal with Account A1: champion stability: champion in the ' +
            'role 3 months (under 6)',
        '3. Deal with Account A2: champion stability: no executive sponsor',
    ]);
    assert.ok(!ann.body.includes('P3'), 'Bob\'s deal is not in Ann\'s digest');
    assert.match(to('U4').body, /^1\. Deal with Account A3: slow to demo: no demo after 92 days/m);
    // Sam reads his team's four flags in one message, each with its AE
    // by name.
    const sam = to('U2');
    assert.equal(sam.subject, 'Pipeline digest 1 Jun 2026: 4 new flags on ' +
        '3 deals');
    assert.match(sam.body, /^1\. Deal with Account A2 \(AE Ann Exec\): outside the ICP/m);
    assert.match(sam.body, /^4\. Deal with Account A3 \(AE Bob Exec\): slow to demo/m);
    // The in-app inbox has the same one message each.
    assert.equal(digests(outbox(db, '--channel', 'inbox')).length, 3);

    // A deal imported after the day's digest went out waits for
    // tomorrow's: nothing is raised that nobody is told of.
    imp('deals', [DEAL_HEAD, openDeal('P5', 'A2', 'U4', '2026-05-30',
        '2026-05-31', 15000, 50, 24, 'true')], ['--now', '2026-06-01T10:00']);
    const later = tick(db, '2026-06-01T11:00');
    assert.equal(later.flags, 0);
    assert.equal(digests(mail()).length, 3);

    const next = tick(db, '2026-06-02T08:00');
    assert.equal(next.flags, 1);
    sent = digests(mail()).filter((x) => x.subject.includes('2 Jun 2026'));
    assert.deepEqual(sent.map((x) => x.recipient_id).sort(), ['U2', 'U4']);
    for (const m of sent) {
        assert.match(m.subject, /1 new flag on 1 deal$/);
        assert.match(m.body, /Deal with Account A2.*: outside the ICP/);
        assert.ok(!m.body.includes('P3'), 'P3 was told yesterday');
    }

    // Nothing new: no message at all.
    assert.equal(tick(db, '2026-06-03T08:00').notifications, 0);
    assert.equal(digests(mail()).length, 5);

    // The report lists what the digests said, ranked the same way.
    const rep = JSON.parse(cli(db, ['report', 'pipeline', '--format', 'json',
        '--now', '2026-06-03T09:00']).stdout);
    assert.deepEqual(rep.deals.map((d) => d.deal_id), ['P2', 'P5', 'P1', 'P3']);
    assert.deepEqual(rep.deals.map((d) => d.rank), [1, 2, 3, 4]);
    assert.equal(rep.deals[0].flags[0].flag, 'outside_icp');
    assert.equal(rep.deals[0].flags[0].evidence, 1.6);
});

// The report through the API, on the demo workspace.
let ws, srv;

before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
});

after(() => srv?.stop());

test('the pipeline report pages, sorts and filters; unpaged it is the ' +
    'whole report', async () => {
    const vp = await as(srv, ws, 'vp_sales');
    const get = async (q) => {
        const r = await vp.get(`/api/v1/reports/pipeline${q}`);
        assert.equal(r.status, 200, r.text);
        return r.json;
    };
    const all = await get('');
    assert.ok(all.deals.length > 10, 'the demo has flagged deals');
    assert.equal(all.deals.length, all.summary.flagged);
    assert.deepEqual(all.deals.map((d) => d.rank),
        all.deals.map((_, i) => i + 1));

    // Pages of the evidence order, with the count of the whole list.
    const p1 = await get('?limit=5');
    const p2 = await get('?limit=5&offset=5');
    assert.equal(p1.total, all.deals.length);
    assert.deepEqual([...p1.deals, ...p2.deals].map((d) => d.deal_id),
        all.deals.slice(0, 10).map((d) => d.deal_id));
    assert.equal(p1.summary.flagged, all.summary.flagged);

    // Sorted by ARR, largest first.
    const byArr = await get('?sort=-arr&limit=50');
    const arr = byArr.deals.map((d) => d.arr ?? -1);
    assert.deepEqual(arr, [...arr].sort((a, b) => b - a));

    // One flag kind; one AE.
    const pat = await get('?flag=churn_pattern&limit=1000');
    assert.equal(pat.total, all.summary.churn_pattern);
    assert.ok(pat.deals.every((d) => d.flags.some((f) => f.flag ===
        'churn_pattern')));
    const ae = all.deals[0].ae_id;
    const mine = await get(`?ae_id=${encodeURIComponent(ae)}&limit=1000`);
    assert.ok(mine.total > 0);
    assert.ok(mine.deals.every((d) => d.ae_id === ae));
    assert.equal(mine.total, all.deals.filter((d) => d.ae_id === ae).length);

    // Bad input names its field.
    let r = await vp.get('/api/v1/reports/pipeline?sort=health_score');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'sort');
    r = await vp.get('/api/v1/reports/pipeline?flag=generic_answer');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'flag');
    r = await vp.get('/api/v1/reports/pipeline?limit=-1');
    assert.equal(r.status, 400);

    // The OpenAPI document names the query.
    const doc = (await vp.get('/api/v1/openapi.json')).json;
    const names = doc.paths['/api/v1/reports/{name}'].get.parameters
        .filter((x) => x.in === 'query').map((x) => x.name);
    for (const n of ['flag', 'ae_id', 'sort', 'limit', 'offset'])
        assert.ok(names.includes(n), n);

    // Marketing reads no AE's deals: no report, so no filter on AEs.
    const mk = await as(srv, ws, 'marketing');
    r = await mk.get(`/api/v1/reports/pipeline?ae_id=${encodeURIComponent(ae)}`);
    assert.equal(r.status, 403);
});
