// Issue 14, churn tagging: a tag or a won deal written through the record
// API or an import applies its routing at once, in the write's transaction,
// as `closeloop churn tag` does, and the next tick does not repeat it; a
// non-sales cause reaches the owner role its setting names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACCOUNT_HEAD, CHURN_HEAD, DEAL_HEAD, USERS, account, churn, cli,
    company, outbox, tasks, tick, wonDeal } from './engine_lib.mjs';
import { Client, startServer } from './api_lib.mjs';
import { TEST_NOW, writeCsv } from './lib.mjs';

// TEST_NOW is Wednesday 2026-11-18: 5 business days later is 11-25.
const DUE = '2026-11-25';
const PEOPLE = [...USERS,
    ['U9', 'Val Success', 'val@example.com', 'vp_cs', '', 'CS']];

// A1's deal D1 was won by U3 (manager U2); A1 churned last week, untagged.
function shop(t) {
    const c = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-01-10', 20000)],
        churns: [churn('C1', 'A1', 'D1', '2026-11-10')],
    });
    c.imp('users', PEOPLE);
    return c;
}

async function api(t, db, user = 'U7') {
    const srv = await startServer(t, db);
    const token = cli(db, ['token', 'create', '--user', user]).stdout.trim();
    return { srv, client: new Client(srv, { token }) };
}

async function patch(client, p, body) {
    const got = await client.get(p);
    assert.equal(got.status, 200, got.text);
    return client.patch(p, body, { headers: { 'if-match':
        got.headers.get('etag') } });
}

// Tasks name their subject as {churn_id: ...}, the outbox in its subject
// line, the inbox API as subject_id.
const about = (x, id) => x.subject_id === id ||
    (typeof x.subject === 'object' && Object.values(x.subject).includes(id)) ||
    (typeof x.subject === 'string' && (x.subject.includes(` ${id} `) ||
        // Messages name the churn by its account (issue 16): Cn is An's.
        x.subject.startsWith(`Account A${id.slice(1)} churned`)));
const of = (list, kind, subject) =>
    list.filter((x) => x.kind === kind && (!subject || about(x, subject)));

// What the flag to Sales must leave, before any tick.
function assertFlagged(db) {
    const flags = of(outbox(db), 'churn_flag');
    const to = [...new Set(flags.map((m) => m.recipient_id))].sort();
    assert.deepEqual(to, ['U2', 'U3'], JSON.stringify(flags));
    const debriefs = of(tasks(db), 'debrief', 'C1');
    assert.deepEqual(debriefs.map((x) => x.assignee_id).sort(), ['U3', 'U6']);
    for (const d of debriefs)
        assert.equal(d.due_on, DUE);
}

// The tick at the same instant finds nothing left to do.
function assertTickIdle(db) {
    const s = tick(db, TEST_NOW);
    assert.equal(s.notifications, 0, JSON.stringify(s));
    assert.equal(s.tasks, 0, JSON.stringify(s));
}

test('issue 14 rule 1: a PATCH of a churn\'s cause to feature_overpromise ' +
    'flags the AE and manager and opens the debrief at once', async (t) => {
    const { db } = shop(t);
    const { srv, client } = await api(t, db);
    const r = await patch(client, '/api/v1/churns/C1',
        { primary_cause: 'feature_overpromise' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.tagged_by, 'U7');
    assert.equal(r.json.tagged_on, TEST_NOW.slice(0, 10));
    assertFlagged(db);
    // The AE's inbox holds the flag now, without a tick.
    const ae = new Client(srv, { token: cli(db, ['token', 'create',
        '--user', 'U3']).stdout.trim() });
    const inbox = await ae.get('/api/v1/inbox');
    assert.equal(inbox.status, 200, inbox.text);
    assert.equal(of(inbox.json.items, 'churn_flag', 'C1').length, 1,
        inbox.text);
    assertTickIdle(db);
});

test('issue 14 rule 1: a churn tagged by `closeloop import churns` is ' +
    'flagged in the import itself', (t) => {
    const { db, imp } = shop(t);
    const row = churn('C1', 'A1', 'D1', '2026-11-10');
    row[8] = 'feature_overpromise';
    row[10] = 'U6';
    row[11] = '2026-11-17';
    imp('churns', [CHURN_HEAD, row]);
    assertFlagged(db);
    assertTickIdle(db);
});

test('issue 14 rule 1: a churn tagged by the HTTP import route is flagged ' +
    'in the import itself', async (t) => {
    const { db, dir } = shop(t);
    const { srv } = await api(t, db);
    const token = cli(db, ['token', 'create', '--user', 'U7']).stdout.trim();
    const row = churn('C1', 'A1', 'D1', '2026-11-10');
    row[8] = 'feature_overpromise';
    row[10] = 'U6';
    row[11] = '2026-11-17';
    const file = writeCsv(dir, 'tag.csv', [CHURN_HEAD, row]);
    const res = await fetch(`${srv.base}/api/v1/imports/churns`, {
        method: 'POST', body: readFileSync(file),
        headers: { authorization: `Bearer ${token}`,
            'content-type': 'text/csv' } });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assertFlagged(db);
    assertTickIdle(db);
});

test('issue 14 rule 1: a closed_won deal POSTed or PATCHed to closed_won ' +
    'gets its review task at once', async (t) => {
    const { db, imp } = shop(t);
    imp('deals', [DEAL_HEAD, ['D3', 'A2', 'U4', 'new', 'inbound',
        'proposal', '2026-09-01', '2026-09-10', '', 15000, '', 60, 'vp', 12,
        'true', 'reporting', '']]);
    const { client } = await api(t, db);
    const body = Object.fromEntries(DEAL_HEAD.map((k, i) =>
        [k, wonDeal('D2', 'A2', 'U4', '2026-11-17', 30000)[i]]));
    for (const k of Object.keys(body))
        if (body[k] === '') delete body[k];
    body.exec_sponsor = true;
    const r = await client.post('/api/v1/deals', body);
    assert.equal(r.status, 201, r.text + JSON.stringify(body));
    assert.equal(of(tasks(db), 'won_deal_review', 'D2').length, 1);
    const p = await patch(client, '/api/v1/deals/D3',
        { stage: 'closed_won', closed_on: '2026-11-18' });
    assert.equal(p.status, 200, p.text);
    const review = of(tasks(db), 'won_deal_review', 'D3');
    assert.equal(review.length, 1);
    assert.equal(review[0].assignee_id, 'U6');
    assertTickIdle(db);
});

test('issue 14 rule 2: non-sales causes route to the owner role of their ' +
    'setting, with a task due in business days', async (t) => {
    const { db, imp } = shop(t);
    imp('accounts', [ACCOUNT_HEAD, account('A3'), account('A4')]);
    imp('deals', [DEAL_HEAD, wonDeal('D4', 'A3', 'U3', '2025-02-10', 9000),
        wonDeal('D5', 'A4', 'U3', '2025-03-10', 9000)]);
    imp('churns', [CHURN_HEAD, churn('C3', 'A3', 'D4', '2026-11-11'),
        churn('C4', 'A4', 'D5', '2026-11-12')]);
    const { client } = await api(t, db);
    // failed_adoption -> vp_cs (U9), by default.
    let r = await patch(client, '/api/v1/churns/C1',
        { primary_cause: 'failed_adoption' });
    assert.equal(r.status, 200, r.text);
    let follow = of(tasks(db), 'cause_followup', 'C1');
    assert.deepEqual(follow.map((x) => [x.assignee_id, x.due_on]),
        [['U9', DUE]]);
    // One message to U9 (its inbox and e-mail rows).
    assert.deepEqual([...new Set(of(outbox(db), 'cause_route', 'C1')
        .map((m) => m.recipient_id))], ['U9']);
    assert.equal(of(outbox(db), 'churn_flag').length, 0);
    // business_change routes to nobody (monitored).
    r = await patch(client, '/api/v1/churns/C3',
        { primary_cause: 'business_change' });
    assert.equal(r.status, 200, r.text);
    assert.equal(of(tasks(db), 'cause_followup', 'C3').length, 0);
    // A setting with an unknown role is refused, naming the setting.
    const cfg = await client.get('/api/v1/settings/config');
    const bad = await client.patch('/api/v1/settings/config',
        { route_product_deficiency: 'ceo' },
        { headers: { 'if-match': cfg.headers.get('etag') } });
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.text, /route_product_deficiency/);
    const due = await client.patch('/api/v1/settings/config',
        { route_due_business_days: '0' },
        { headers: { 'if-match': cfg.headers.get('etag') } });
    assert.equal(due.status, 400, due.text);
    assert.match(due.text, /route_due_business_days/);
    const good = await client.patch('/api/v1/settings/config',
        { route_product_deficiency: 'vp_cs', route_due_business_days: '2' },
        { headers: { 'if-match': cfg.headers.get('etag') } });
    assert.equal(good.status, 200, good.text);
    r = await patch(client, '/api/v1/churns/C4',
        { primary_cause: 'product_deficiency' });
    assert.equal(r.status, 200, r.text);
    follow = of(tasks(db), 'cause_followup', 'C4');
    assert.deepEqual(follow.map((x) => [x.assignee_id, x.due_on]),
        [['U9', '2026-11-20']]);
    assertTickIdle(db);
});

test('issue 14: a churn tagged with a non-sales cause by import finishes ' +
    'its tagging task in the import', (t) => {
    const { db, imp } = shop(t);
    imp('accounts', [ACCOUNT_HEAD, account('A3')]);
    imp('deals', [DEAL_HEAD, wonDeal('D4', 'A3', 'U3', '2025-02-10', 9000)]);
    imp('churns', [CHURN_HEAD, churn('C3', 'A3', 'D4', '2026-11-11')]);
    assert.deepEqual(of(tasks(db), 'churn_tagging').map((x) =>
        [x.subject.churn_id, x.status]).sort(),
    [['C1', 'open'], ['C3', 'open']]);
    // C1: routed (failed_adoption -> vp_cs); C3: monitored only.
    const c1 = churn('C1', 'A1', 'D1', '2026-11-10');
    c1[8] = 'failed_adoption';
    c1[10] = 'U6';
    c1[11] = '2026-11-17';
    const c3 = churn('C3', 'A3', 'D4', '2026-11-11');
    c3[8] = 'business_change';
    c3[10] = 'U6';
    c3[11] = '2026-11-17';
    imp('churns', [CHURN_HEAD, c1, c3]);
    assert.deepEqual(of(tasks(db), 'churn_tagging').map((x) =>
        [x.subject.churn_id, x.status]).sort(),
    [['C1', 'done'], ['C3', 'done']]);
    assert.deepEqual(of(tasks(db), 'cause_followup').map((x) =>
        [x.subject.churn_id, x.assignee_id]), [['C1', 'U9']]);
    const s = tick(db, TEST_NOW);
    assert.equal(s.task_marks, 0, JSON.stringify(s));
    assertTickIdle(db);
});

test('issue 14: a re-tag to another non-sales cause hands the follow-up to ' +
    'the new owner, closing the first owner\'s task, audited', async (t) => {
    const { db } = shop(t);
    const { client } = await api(t, db);
    // failed_adoption -> vp_cs (U9).
    let r = await patch(client, '/api/v1/churns/C1',
        { primary_cause: 'failed_adoption' });
    assert.equal(r.status, 200, r.text);
    // competitive_loss -> marketing (U8): U9's task closes, U8 gets one.
    r = await patch(client, '/api/v1/churns/C1',
        { primary_cause: 'competitive_loss' });
    assert.equal(r.status, 200, r.text);
    const follow = () => of(tasks(db), 'cause_followup',
        'C1').map((x) => [x.assignee_id, x.status]).sort();
    assert.deepEqual(follow(), [['U8', 'open'], ['U9', 'done']]);
    assert.deepEqual([...new Set(of(outbox(db), 'cause_route', 'C1')
        .map((m) => m.recipient_id))].sort(), ['U8', 'U9']);
    const trail = await client.get('/api/v1/audit/churns/C1');
    assert.equal(trail.status, 200, trail.text);
    const moved = trail.json.items.filter((a) =>
        a.action === 'cause_followup_superseded');
    assert.equal(moved.length, 1, trail.text);
    assert.equal(moved[0].old.value, 'failed_adoption:U9');
    assert.equal(moved[0].new.value, 'competitive_loss:U8');
    assert.equal(moved[0].new.by, 'U7');
    // business_change is monitored only: U8's task closes too.
    r = await patch(client, '/api/v1/churns/C1',
        { primary_cause: 'business_change' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(follow(), [['U8', 'done'], ['U9', 'done']]);
    assertTickIdle(db);
});
