// Issue 14, won-deal review, the asynchronous half: the AE answers its
// questions (Q1-Q4, Q7) before the CSM holds the review, the CSM's own
// flags are kept with the review, and 30/60/90-day check-ins move the
// health score with its history kept.  The API's side (visibility, the
// account page) is at the end; the UI's is tests/browser/review_async.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { exportKind, parseCsv, ok } from './lib.mjs';
import {
    account, cli, cliRun, company, json, tasks, tick, wonDeal,
} from './engine_lib.mjs';
import { Client, as, demoWorkspace, sql, startServer } from './api_lib.mjs';

const AE_ANSWERS = {
    q1: 'Board asked for a churn number by Q3',
    q2: 'Marco is up for promotion if churn drops below 8%',
    q3: 'Legal held the DPA for three weeks',
    q4: 'SSO with Okta live by 1 April',
    q7: 'Expands to 60 seats once EMEA joins in Q2',
};

function answer(db, deal, by, answers, now = '2026-06-08T09:00') {
    const args = ['review', 'answer', deal, '--by', by, '--now', now];
    for (const [k, v] of Object.entries(answers))
        args.push(`--${k}`, v);
    return cliRun(db, args);
}

function reviews(db) {
    const [head, ...rows] = parseCsv(exportKind(db, 'reviews'));
    return Object.fromEntries(rows.map((r) =>
        [r[0], Object.fromEntries(head.map((h, i) => [h, r[i]]))]));
}

test('AE answers asynchronously: the review task gives the AE a task at ' +
    'once; only the deal\'s AE answers, only its own questions; the CSM ' +
    'holds the review with the AE\'s answers', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000)],
        now: '2026-06-05T10:00',
    });
    const mine = tasks(db, '--assignee', 'U3');
    const ask = mine.find((x) => x.kind === 'review_answers');
    assert.ok(ask, 'the AE has a review_answers task as soon as the deal is won');
    assert.equal(ask.subject.deal_id, 'D1');
    const csmTask = tasks(db, '--assignee', 'U6').find((x) => x.kind === 'won_deal_review');
    assert.equal(ask.due_on, csmTask.due_on);

    // Another AE, the CSM, RevOps: refused, one line naming who.
    for (const who of ['U4', 'U6', 'U7']) {
        const r = answer(db, 'D1', who, { q1: AE_ANSWERS.q1 });
        assert.equal(r.code, 1, who);
        assert.equal(r.lines.length, 1);
        assert.match(r.stderr, /may not answer this deal's review questions/);
    }
    // Q5 and Q6 are the CSM's; not an AE option at all.
    assert.notEqual(answer(db, 'D1', 'U3', { q5: 'x' }).code, 0);

    // Part now, the rest later: the task closes when all five are in.
    assert.equal(answer(db, 'D1', 'U3', { q1: AE_ANSWERS.q1, q2: AE_ANSWERS.q2 }).code, 0);
    assert.equal(tasks(db, '--assignee', 'U3').find((x) => x.kind === 'review_answers').status, 'open');
    const { q3, q4, q7 } = AE_ANSWERS;
    assert.equal(answer(db, 'D1', 'U3', { q3, q4, q7 }).code, 0);
    assert.equal(tasks(db, '--assignee', 'U3', '--status', 'done')
        .find((x) => x.kind === 'review_answers').status, 'done');
    const hist = json(db, ['history', '--entity', 'reviews', '--id', 'D1']);
    const saved = hist.filter((h) => h.action === 'review_answers');
    assert.equal(saved.length, 2, 'each save is audited');
    assert.equal(saved[1].actor, 'U3');
    assert.equal(saved[1].new.value, 'q3;q4;q7');

    // The CSM holds it giving only Q5, Q6: the AE's answers stand in.
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q5', 'Renews if logo churn falls from 14% to 10%',
        '--q6', 'No exec sponsor since the COO left in February',
        '--gut-read', 'positive', '--by', 'U6', '--now', '2026-06-09T10:00']);
    const rv = reviews(db).D1;
    assert.equal(rv.q1, AE_ANSWERS.q1);
    assert.equal(rv.q7, AE_ANSWERS.q7);
    assert.equal(rv.q5, 'Renews if logo churn falls from 14% to 10%');
    // Held: the CSM owns the answers now, the AE's are closed.
    const late = answer(db, 'D1', 'U3', { q1: 'changed my mind' }, '2026-06-10T09:00');
    assert.equal(late.code, 1);
    assert.match(late.stderr, /already held; its CSM owns the answers now/);
    // An AE may not record the review (the CSM owns it).
    const rec = cliRun(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q5', 'a', '--q6', 'b', '--by', 'U3']);
    assert.equal(rec.code, 1);
    assert.match(rec.stderr, /may not record a won-deal review/);
});

test('AE answers: the AE\'s review_answers task closes when the CSM holds ' +
    'the review first', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000)],
        now: '2026-06-05T10:00',
    });
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q1', 'a board mandate from the CFO in March', '--q2', 'b', '--q3', 'c',
        '--q4', 'd', '--q5', 'e', '--q6', 'f', '--q7', 'g', '--by', 'U6',
        '--now', '2026-06-09T10:00']);
    assert.deepEqual(tasks(db, '--assignee', 'U3').filter((x) => x.kind === 'review_answers')
        .map((x) => x.status), ['done']);
});

test('CSM flags as fields: implementation risk, capacity, context gaps and ' +
    'a note are kept with the review and round-trip through the reviews CSV',
(t) => {
    const { db, imp } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000),
            wonDeal('D2', 'A2', 'U3', '2026-06-05', 20000)],
        now: '2026-06-05T10:00',
    });
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q1', 'a', '--q2', 'b', '--q3', 'c', '--q4', 'd', '--q5', 'e',
        '--q6', 'f', '--q7', 'g', '--implementation-risk', 'true',
        '--capacity-risk', 'false', '--context-gaps', 'true',
        '--csm-note', 'Two admins, both contractors until March', '--by', 'U6']);
    const bad = cliRun(db, ['review', 'record', 'D2', '--held-on', '2026-06-09',
        '--q1', 'a', '--q2', 'b', '--q3', 'c', '--q4', 'd', '--q5', 'e',
        '--q6', 'f', '--q7', 'g', '--capacity-risk', 'maybe', '--by', 'U6']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^closeloop: --capacity-risk: expected true or false, got 'maybe'/);
    let rv = reviews(db).D1;
    assert.equal(rv.implementation_risk, 'true');
    assert.equal(rv.capacity_risk, 'false');
    assert.equal(rv.context_gaps, 'true');
    assert.equal(rv.csm_note, 'Two admins, both contractors until March');
    // The old ten columns still import, and keep the flags.
    imp('reviews', [['deal_id', 'held_on', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6',
        'q7', 'gut_read'], ['D1', '2026-06-09', 'a', 'b', 'c', 'd', 'e', 'f',
        'g', 'neutral']]);
    rv = reviews(db).D1;
    assert.equal(rv.gut_read, 'neutral');
    assert.equal(rv.implementation_risk, 'true');
    // The new columns, at the end, import.
    imp('reviews', [['deal_id', 'held_on', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6',
        'q7', 'gut_read', 'implementation_risk', 'capacity_risk',
        'context_gaps', 'csm_note'], ['D2', '2026-06-09', 'a', 'b', 'c', 'd',
        'e', 'f', 'g', 'worried', 'false', 'true', 'false', 'Half a team']]);
    assert.equal(reviews(db).D2.capacity_risk, 'true');
});

test('30/60/90-day check-ins: opened by tick a week before each is due ' +
    '(after kickoff), once each; recording one moves the health score and ' +
    'keeps every reading', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000)],
        now: '2026-06-05T10:00',
    });
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q1', 'Board asked for a churn number by Q3',
        '--q2', 'Marco is up for promotion if churn drops below 8%',
        '--q3', 'Legal held the DPA for three weeks',
        '--q4', 'SSO with Okta live by 1 April',
        '--q5', 'Renews if logo churn falls from 14% to 10%',
        '--q6', 'No exec sponsor since the COO left in February',
        '--q7', 'Expands to 60 seats once EMEA joins in Q2',
        '--gut-read', 'positive', '--by', 'U6', '--now', '2026-06-09T10:00']);
    cli(db, ['kickoff', 'D1', '--held-on', '2026-06-15', '--by', 'U6',
        '--now', '2026-06-15T10:00']);
    const checkins = () => tasks(db, '--assignee', 'U6', '--status', 'open')
        .concat(tasks(db, '--assignee', 'U6', '--status', 'done'))
        .filter((x) => x.kind.startsWith('review_checkin_'));
    tick(db, '2026-07-06T08:00');
    assert.equal(checkins().length, 0, 'not yet: due 2026-07-15, opens a week before');
    tick(db, '2026-07-08T08:00');
    let c = checkins();
    assert.equal(c.length, 1);
    assert.equal(c[0].kind, 'review_checkin_1');
    assert.equal(c[0].due_on, '2026-07-15');
    assert.equal(c[0].subject.deal_id, 'D1');
    assert.match(c[0].title, /30-day check-in/);
    tick(db, '2026-07-09T08:00');
    assert.equal(checkins().length, 1, 'a re-tick opens none again');

    // A check-in is recorded with its reading, not closed alone.
    const plain = cliRun(db, ['tasks', 'done', String(c[0].id), '--by', 'U6']);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /is a check-in: record it with its health reading/);
    for (const [args, re] of [
        [['--score', '101', '--note', 'x'], /--score: expected a whole number from 0 to 100/],
        [['--score', '60', '--note', '  '], /note: say what the check-in found/],
    ]) {
        const r = cliRun(db, ['review', 'checkin', String(c[0].id), ...args, '--by', 'U6']);
        assert.equal(r.code, 1);
        assert.equal(r.lines.length, 1);
        assert.match(r.stderr, re);
    }
    // Not the assignee (another AE): refused.
    assert.equal(cliRun(db, ['review', 'checkin', String(c[0].id), '--score', '40',
        '--note', 'x', '--by', 'U4']).code, 1);
    const initial = Number(/health_score (\d+)/.exec(cli(db, ['review', 'flags', 'D1']).stdout)[1]);
    cli(db, ['review', 'checkin', String(c[0].id), '--score', '55', '--note',
        'SSO slipped to May; Marco still engaged', '--by', 'U6',
        '--now', '2026-07-14T10:00']);
    assert.match(cli(db, ['review', 'flags', 'D1']).stdout, /health_score 55/);
    const again = cliRun(db, ['review', 'checkin', String(c[0].id), '--score', '70',
        '--note', 'x', '--by', 'U6']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already recorded/);
    assert.ok(initial !== 55);

    // 60 and 90 days after kickoff, not after close.
    tick(db, '2026-08-06T08:00');
    assert.equal(checkins().length, 1);
    tick(db, '2026-08-07T08:00');
    c = checkins().filter((x) => x.status === 'open');
    assert.deepEqual(c.map((x) => [x.kind, x.due_on]), [['review_checkin_2', '2026-08-14']]);
    cli(db, ['review', 'checkin', String(c[0].id), '--score', '72', '--note',
        'SSO live; 40 seats active', '--by', 'U6', '--now', '2026-08-13T10:00']);
    tick(db, '2026-09-07T08:00');
    c = checkins().filter((x) => x.status === 'open');
    assert.deepEqual(c.map((x) => [x.kind, x.due_on]), [['review_checkin_3', '2026-09-13']]);
    tick(db, '2026-12-01T08:00');
    assert.equal(checkins().length, 3, 'three check-ins, never a fourth');
    const audit = json(db, ['history', '--entity', 'deals', '--id', 'D1'])
        .filter((h) => h.action === 'health_checkin');
    assert.deepEqual(audit.map((h) => [h.actor, h.new.value]), [['U6', '55'], ['U6', '72']]);
});

test('check-in days are settings with ranges', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000)],
        now: '2026-06-05T10:00',
    });
    const bad = cliRun(db, ['config', 'set', 'checkin_first_days', '0']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /checkin_first_days: expected a whole number from 1 to 540/);
    cli(db, ['config', 'set', 'checkin_first_days', '14']);
    cli(db, ['config', 'set', 'checkin_notice_days', '0']);
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-09',
        '--q1', 'a', '--q2', 'b', '--q3', 'c', '--q4', 'd', '--q5', 'e',
        '--q6', 'f', '--q7', 'g', '--by', 'U6', '--now', '2026-06-09T10:00']);
    // No kickoff recorded: counted from the close, 2026-06-05 + 14.
    tick(db, '2026-06-18T08:00');
    assert.equal(tasks(db, '--assignee', 'U6').filter((x) => x.kind === 'review_checkin_1').length, 0);
    tick(db, '2026-06-19T08:00');
    const c = tasks(db, '--assignee', 'U6').filter((x) => x.kind === 'review_checkin_1');
    assert.deepEqual(c.map((x) => x.due_on), ['2026-06-19']);
});

test('API: the deal\'s AE answers (PUT /deals/{id}/review/answers), each ' +
    'role reads back what section 6 lets it, the CSM holds the review with ' +
    'them and its flags; a check-in (POST /tasks/{id}/checkin) moves the ' +
    'health score and the account page keeps its history', async (t) => {
    const ws = demoWorkspace(t);
    const [deal, ae, csm, acct, closed] = sql(ws.db,
        "SELECT t.subject_id, t.assignee_id, a.csm_id, d.account_id, d.closed_on " +
        "FROM tasks t JOIN deals d ON d.workspace_id = t.workspace_id AND " +
        "d.id = t.subject_id JOIN accounts a ON a.workspace_id = d.workspace_id " +
        "AND a.id = d.account_id WHERE t.kind = 'review_answers' AND " +
        "t.status = 'open' AND a.csm_id IS NOT NULL AND d.type = 'new' " +
        // The account page's health is its first won new deal's.
        "AND NOT EXISTS (SELECT 1 FROM deals o WHERE o.workspace_id = " +
        "d.workspace_id AND o.account_id = d.account_id AND o.type = 'new' " +
        "AND o.stage = 'closed_won' AND (o.closed_on < d.closed_on OR " +
        "(o.closed_on = d.closed_on AND o.id < d.id))) " +
        "ORDER BY t.id LIMIT 1").split('|');
    assert.ok(deal, 'the demo\'s tick asked an AE for answers');
    const srv = await startServer(t, ws.db);
    const login = async (id) => {
        const u = ws.users.find((x) => x.id === id);
        const c = new Client(srv);
        assert.equal((await c.login(u.email)).status, 200);
        return c;
    };
    const aeC = await login(ae);
    const csmC = await login(csm);
    const otherAe = await login(ws.users.find((u) => u.role === 'ae' && u.id !== ae).id);
    const mkt = await as(srv, ws, 'marketing');
    const path = `/api/v1/deals/${deal}/review/answers`;

    let r = await aeC.put(path, AE_ANSWERS);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.q2, AE_ANSWERS.q2);
    for (const c of [otherAe, csmC]) {
        r = await c.put(path, { q1: 'mine' });
        assert.equal(r.status, 403, r.text);
        assert.equal(r.json.error.code, 'forbidden');
    }
    r = await aeC.put(path, { q5: 'the CSM\'s' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'q5');

    // What each reads back: the private answers (Q2, Q7) only the CS side
    // and the deal's own AE; Q1, Q3, Q4 every internal role.
    r = await csmC.get(path);
    assert.equal(r.json.q7, AE_ANSWERS.q7);
    for (const c of [otherAe, mkt]) {
        r = await c.get(path);
        assert.equal(r.status, 200);
        assert.equal(r.json.q1, AE_ANSWERS.q1);
        assert.equal(r.json.q4, AE_ANSWERS.q4);
        assert.equal('q2' in r.json, false);
        assert.equal('q7' in r.json, false);
    }

    // The AE may not hold the review; the CSM holds it with Q5, Q6 and
    // its flags, the AE's answers standing in for the rest.
    const held = {
        q5: 'Renews if logo churn falls from 14% to 10%',
        q6: 'No exec sponsor since the COO left in February',
        gut_read: 'positive', implementation_risk: true, capacity_risk: false,
        context_gaps: true, csm_note: 'Two admins, both contractors until March',
    };
    assert.equal((await aeC.post(`/api/v1/deals/${deal}/review`, held)).status, 403);
    r = await csmC.post(`/api/v1/deals/${deal}/review`, held);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.q1, AE_ANSWERS.q1);
    assert.equal(r.json.implementation_risk, true);
    assert.equal(r.json.csm_note, held.csm_note);
    // Flags are internal, like Q6: every internal role reads them.
    r = await mkt.get(`/api/v1/reviews/${deal}`);
    assert.equal(r.json.context_gaps, true);
    assert.equal('q2' in r.json, false);
    assert.equal((await aeC.put(path, { q1: 'late' })).status, 409);

    let page = (await csmC.get(`/api/v1/accounts/${acct}/page`)).json;
    assert.equal(page.health.deal_id, deal);
    assert.equal(page.health.history.length, 1);
    assert.equal(page.health.history[0].source, 'review');
    assert.equal(page.health.history[0].by, csm);
    assert.equal(page.health.history[0].score, page.health.score);

    // Thirty days on, the tick opens the first check-in for the CSM.
    const d = new Date(`${closed}T08:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 30);
    ok(['tick', '--db', ws.db, '--now', d.toISOString().slice(0, 16)]);
    const task = Number(sql(ws.db, "SELECT id FROM tasks WHERE kind = " +
        `'review_checkin_1' AND subject_id = '${deal}'`));
    assert.ok(task > 0);
    assert.equal((await csmC.post(`/api/v1/tasks/${task}/done`)).status, 409);
    r = await csmC.post(`/api/v1/tasks/${task}/checkin`, { score: 140, note: 'x' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'score');
    assert.equal((await otherAe.post(`/api/v1/tasks/${task}/checkin`,
        { score: 40, note: 'x' })).status, 403);
    r = await csmC.post(`/api/v1/tasks/${task}/checkin`,
        { score: 61, note: 'SSO slipped to May; Marco still engaged' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done');
    assert.equal(Number(sql(ws.db, `SELECT health_score FROM deals WHERE id = '${deal}'`)), 61);

    page = (await csmC.get(`/api/v1/accounts/${acct}/page`)).json;
    assert.equal(page.health.score, 61);
    assert.deepEqual(page.health.history.map((h) => [h.source, h.score, h.note]),
        [['review', page.health.history[0].score, null],
            ['checkin', 61, 'SSO slipped to May; Marco still engaged']]);
    // The health score and its history: the deal's AE yes, another AE and
    // marketing no.
    assert.equal((await aeC.get(`/api/v1/accounts/${acct}/page`)).json.health.score, 61);
    assert.equal((await otherAe.get(`/api/v1/accounts/${acct}/page`)).json.health, null);
    assert.equal((await mkt.get(`/api/v1/accounts/${acct}/page`)).json.health, null);
});
