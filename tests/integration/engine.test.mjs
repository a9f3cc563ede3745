// The loop engine from the CLI: a month of a company's life with a tick
// every day, the events people record, and what must come out of it once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, cli, cliRun, company, json, outbox, tasks, tick,
    wonDeal, DEAL_HEAD, USERS } from './engine_lib.mjs';
import { run } from './lib.mjs';

const day = (s, n) => new Date(Date.parse(s) + n * 86400000).toISOString()
    .slice(0, 10);
const zero = { tasks: 0, task_marks: 0, notifications: 0, sessions: 0,
    triggers: 0, coaching_items: 0, flags: 0, links: 0, fields_set: 0 };

function tagged(id, acct, deal, on, cause, taggedOn) {
    const r = churn(id, acct, deal, on);
    r[8] = cause;
    r[10] = 'U6';
    r[11] = taggedOn;
    return r;
}

// The starting state: three earlier won deals that churned this quarter
// (one untagged, one tagged over-promise on import, one business change), a
// lost deal whose account is back with a new open deal, a holiday.
function start(t) {
    const lost = ['D6', 'A6', 'U4', 'new', 'outbound', 'closed_lost',
        '2025-06-01', '2025-06-20', '2025-09-01', 30000, 'timing', 50,
        'manager', 12, 'true', 'reporting', ''];
    const back = ['D7', 'A6', 'U4', 'new', 'inbound', 'discovery',
        '2026-06-02', '', '', 35000, '', 60, 'director', 3, 'true',
        'reporting', ''];
    return company(t, {
        accounts: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map((a) => account(a)),
        deals: [wonDeal('D3', 'A3', 'U3', '2025-01-10', 20000),
            wonDeal('D4', 'A4', 'U3', '2025-02-10', 20000),
            wonDeal('D5', 'A5', 'U4', '2025-03-10', 20000), lost, back],
        churns: [churn('C1', 'A3', 'D3', '2026-06-01'),
            tagged('C2', 'A4', 'D4', '2026-05-15', 'feature_overpromise',
                '2026-05-20'),
            tagged('C3', 'A5', 'D5', '2026-04-10', 'business_change',
                '2026-04-15')],
        holidays: [['2026-06-08', 'Company day']],
        now: '2026-06-01T07:00',
    });
}

const byKind = (list, kind) => list.filter((x) => x.kind === kind);

test('a month of a company\'s life produces each task, session and ' +
    'notification once', (t) => {
    const { db, imp } = start(t);
    const events = {
        '2026-06-03': () => cli(db, ['churn', 'tag', 'C1', '--primary',
            'feature_overpromise', '--contributing', 'failed_adoption',
            '--stated', 'Promised SSO never shipped', '--by', 'U6',
            '--now', '2026-06-03T09:00']),
        '2026-06-05': () => imp('deals', [DEAL_HEAD,
            wonDeal('D1', 'A1', 'U3', '2026-06-05', 60000, '2026-06-30')],
        ['--now', '2026-06-05T09:00']),
        '2026-06-10': () => imp('deals', [DEAL_HEAD,
            wonDeal('D2', 'A2', 'U3', '2026-06-10', 20000, '2026-06-12')],
        ['--now', '2026-06-10T09:00']),
        '2026-06-11': () => {
            const r = cliRun(db, ['kickoff', 'D2', '--held-on',
                '2026-06-11', '--by', 'U6']);
            assert.equal(r.code, 1);
            assert.equal(r.lines.length, 1);
            assert.match(r.stderr, /review/);
            cli(db, ['kickoff', 'D2', '--held-on', '2026-06-11',
                '--override-reason', 'Customer go-live date', '--by', 'U6']);
        },
        '2026-06-12': () => cli(db, ['review', 'record', 'D1', '--held-on',
            '2026-06-12', '--q1', 'New VP of finance mandated a close tool',
            '--q2', 'seemed enthusiastic',
            '--q3', 'Security review nearly stalled it for a month',
            '--q4', 'SSO by August; weekly check-ins during rollout',
            '--q5', 'Close in five days by Q4, then roll out to the EU team',
            '--q6', 'The admin is leaving in the autumn',
            '--q7', 'Likely to expand if the EU entity signs',
            '--gut-read', 'positive', '--by', 'U6']),
        '2026-06-20': () => cli(db, ['recovery', 'classify', 'D7', '--type',
            'timing', '--intervention', 'Quarterly check-ins after the loss',
            '--what-changed', 'Budget freed up in the new fiscal year',
            '--by', 'U6', '--now', '2026-06-20T10:00']),
    };

    for (let i = 0; i <= 35; i++) {
        const d = day('2026-06-01', i);
        if (events[d]) events[d]();
        const first = tick(db, `${d}T08:00`);
        assert.ok(first, d);
        // The same tick again does nothing.
        assert.deepEqual(tick(db, `${d}T08:00`), zero, `repeat tick ${d}`);
        if (d === '2026-07-01') {
            assert.equal(first.sessions, 4);
            const debrief = JSON.parse(cli(db, ['session', 'list',
                '--format', 'json']).stdout)
                .find((s) => s.kind === 'monthly_debrief' &&
                    s.period === '2026-06');
            // A debrief cannot close without its one process change.
            const r = cliRun(db, ['session', 'close', String(debrief.id),
                '--by', 'U7']);
            assert.equal(r.code, 1);
            cli(db, ['change', 'record', String(debrief.id), '--owner', 'U2',
                '--description', 'Deal desk checks feature claims', '--by',
                'U7', '--now', '2026-07-01T10:00']);
            const again = cliRun(db, ['change', 'record', String(debrief.id),
                '--owner', 'U2', '--description', 'A second one', '--by',
                'U7']);
            assert.equal(again.code, 1);
            assert.equal(again.lines.length, 1);
            cli(db, ['session', 'decide', String(debrief.id), '--text',
                'Feature claims need a product sign-off', '--by', 'U7']);
            cli(db, ['session', 'close', String(debrief.id), '--by', 'U7',
                '--now', '2026-07-01T11:00']);
        }
    }

    const all = tasks(db);
    const review = byKind(all, 'won_deal_review');
    const d1 = review.find((x) => x.subject.deal_id === 'D1');
    const d2 = review.find((x) => x.subject.deal_id === 'D2');
    // Closed Friday 06-05; Monday 06-08 is a holiday: due Monday 06-15.
    assert.equal(d1.due_on, '2026-06-15');
    assert.equal(d1.assignee_id, 'U6');
    assert.equal(d1.attendees, 'U3;U5'); // ARR >= 50,000 adds the CS manager
    assert.equal(d1.status, 'done');
    assert.equal(d1.reminded, false);
    // Kickoff 06-12 is earlier than five business days: due the day before.
    assert.equal(d2.due_on, '2026-06-11');
    assert.equal(d2.status, 'open');
    assert.ok(d2.reminded && d2.escalated);

    const tagging = byKind(all, 'churn_tagging');
    assert.deepEqual(tagging.map((x) => [x.subject.churn_id, x.due_on,
        x.status]), [['C1', '2026-06-09', 'done']]);
    const debriefs = byKind(all, 'debrief');
    assert.deepEqual(debriefs.map((x) => `${x.subject.churn_id}:` +
        `${x.assignee_id}`).sort(), ['C1:U3', 'C1:U6', 'C2:U3', 'C2:U6']);
    assert.deepEqual(byKind(all, 'recovery_classification').map((x) =>
        [x.subject.deal_id, x.status]), [['D7', 'done']]);
    assert.deepEqual(byKind(all, 'qualification_review').map((x) =>
        x.assignee_id).sort(), ['U1', 'U7']);
    assert.equal(byKind(all, 'icp_review').length, 0);
    const checkin = byKind(all, 'process_change_checkin');
    assert.deepEqual(checkin.map((x) => [x.assignee_id, x.due_on]),
        [['U2', '2026-07-31']]);

    // Sessions: May's debrief and Q1's reviews on the first tick (06-01:
    // the cadence catches up on the previous period), June's and Q2's on
    // 07-01.
    const sessions = JSON.parse(cli(db, ['session', 'list', '--format',
        'json']).stdout);
    assert.deepEqual(sessions.map((s) => `${s.kind}:${s.period}:${s.status}`),
        ['monthly_debrief:2026-05:open', 'bad_fit_review:2026Q1:open',
            'icp_review:2026Q1:open', 'recovery_review:2026Q1:open',
            'monthly_debrief:2026-06:closed',
            'bad_fit_review:2026Q2:open', 'icp_review:2026Q2:open',
            'recovery_review:2026Q2:open']);
    assert.ok(sessions.every((s) => s.owner_id === 'U7'));
    // Each carries its report pack; team-facing packs name no AE.
    assert.ok(sessions.every((s) => s.has_pack), JSON.stringify(sessions));
    for (const s of sessions) {
        const text = cli(db, ['session', 'pack', String(s.id)]).stdout;
        const pack = JSON.parse(text);
        assert.equal(pack.period, s.period);
        if (s.kind !== 'monthly_debrief')
            for (const ae of ['U3', 'U4', 'Ann Exec', 'Bob Exec'])
                assert.ok(!text.includes(ae), `${s.kind} pack names ${ae}`);
    }

    const mail = outbox(db, '--channel', 'email');
    const count = (kind) => mail.filter((m) => m.kind === kind)
        .map((m) => m.recipient_id).sort();
    // C2 (tagged on import) and C1 (tagged by the CSM): AE and manager.
    assert.deepEqual(count('churn_flag'), ['U2', 'U2', 'U3', 'U3']);
    // D7's champion flag: one daily digest each to its AE and manager.
    assert.deepEqual(count('pipeline_digest'), ['U2', 'U4']);
    assert.deepEqual(count('pipeline_flag'), []);
    assert.deepEqual(count('coaching_item'), ['U2']);
    assert.deepEqual(count('what_changed'), ['U6']);
    const changed = mail.find((m) => m.kind === 'what_changed');
    assert.match(changed.body, /\(owner Sam Manager, check-in due 31 Jul 2026\)/);
    // Every overdue task reminded once and escalated once at most.
    const reminders = mail.filter((m) => m.kind === 'task_reminder');
    const escalations = mail.filter((m) => m.kind === 'task_escalation');
    assert.equal(new Set(reminders.map((m) => m.idempotency_key)).size,
        reminders.length);
    // The AE's answers task (issue 14) is its own: below.
    const isAsk = (m) => /review answers|review questions/.test(`${m.subject} ${m.body}`);
    const d2esc = escalations.filter((m) => !isAsk(m) &&
        (m.body.includes('Account A2') ||
            m.subject.includes('Won-deal review')));
    assert.deepEqual(d2esc.map((m) => [m.recipient_id,
        m.created_at.slice(0, 10)]), [['U5', '2026-06-15']]);
    // Bob (U4) never answered D2's questions: escalated to Sam (U2) once.
    const askEsc = escalations.filter((m) => isAsk(m) &&
        m.body.includes('Account A2'));
    assert.deepEqual(askEsc.map((m) => [m.recipient_id,
        m.created_at.slice(0, 10)]), [['U2', '2026-06-15']]);
    // Plain language (issue 16): the account and the person by name.
    assert.equal(askEsc[0].body, 'the deal with Account A2; assigned to Ann Exec');
    for (const m of [...reminders, ...escalations])
        assert.doesNotMatch(`${m.subject} ${m.body}`, /\b(D\d|C\d|U\d)\b/);
    const d2rem = reminders.filter((m) =>
        m.subject.includes('Won-deal review'));
    assert.deepEqual(d2rem.map((m) => m.created_at.slice(0, 10)),
        ['2026-06-11']);
    // Debrief tasks of C2, due 06-09, escalated to each assignee's manager.
    const debEsc = escalations.filter((m) => m.subject.includes('debrief'))
        .map((m) => `${m.recipient_id}@${m.created_at.slice(0, 10)}`).sort();
    assert.deepEqual(debEsc, ['U2@2026-06-11', 'U2@2026-06-15',
        'U5@2026-06-11', 'U5@2026-06-15']);
    // Each e-mail row has its in-app inbox copy, already delivered.
    const inbox = outbox(db, '--channel', 'inbox');
    assert.equal(inbox.length, mail.length);
    assert.ok(inbox.every((m) => m.status === 'sent'));
});

test('reviews flag generic answers and set the health score; kickoff ' +
    'overrides are audited', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 60000, '2026-06-30')],
    });
    tick(db, '2026-06-05T08:00');
    const bad = cliRun(db, ['review', 'record', 'D1', '--held-on',
        '2026-06-09', '--q1', 'x', '--by', 'U6']);
    assert.equal(bad.code, 1);
    assert.equal(bad.lines.length, 1);
    assert.match(bad.stderr, /q2/);
    cli(db, ['kickoff', 'D1', '--held-on', '2026-06-10', '--override-reason',
        'Customer insisted', '--by', 'U5', '--now', '2026-06-10T09:00']);
    const hist = JSON.parse(cli(db, ['history', '--entity', 'deals', '--id',
        'D1', '--format', 'json']).stdout);
    const ov = hist.find((h) => h.action === 'kickoff_override');
    assert.equal(ov.actor, 'U5');
    assert.equal(ov.new.reason, 'Customer insisted');
    cli(db, ['review', 'record', 'D1', '--held-on', '2026-06-11',
        '--q1', 'Board asked for faster closes', '--q2', 'n/a',
        '--q3', 'Price, until the CFO joined', '--q4', 'SSO in Q3',
        '--q5', 'tbd', '--q6', 'Thin admin bench', '--q7',
        'Expands to the EU entity within a year', '--gut-read', 'worried',
        '--by', 'U6']);
    const out = cli(db, ['review', 'flags', 'D1']).stdout;
    // 50 - 25 (worried) - 10 (q2) - 10 (q5) + 5 (q7) + 10 (ICP fit 70).
    assert.match(out, /^health_score 20$/m);
    assert.match(out, /generic_answer q2: stock phrase/);
    assert.match(out, /generic_answer q5: stock phrase/);
    assert.doesNotMatch(out, /q7/);
    assert.equal(tasks(db, '--kind', 'won_deal_review')[0].status, 'done');
});

test('a tag change is audited and notifies only once', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01')],
    });
    tick(db, '2026-06-01T08:00');
    const tagIt = (cause) => cli(db, ['churn', 'tag', 'C1', '--primary',
        cause, '--by', 'U6', '--now', '2026-06-02T09:00']);
    tagIt('icp_miss');
    tagIt('phantom_champion');
    tagIt('icp_miss');
    const hist = JSON.parse(cli(db, ['history', '--entity', 'churns', '--id',
        'C1', '--format', 'json']).stdout);
    assert.deepEqual(hist.map((h) => h.action).filter((a) =>
        a.startsWith('churn_tag')), ['churn_tagged', 'churn_tag_changed',
        'churn_tag_changed']);
    assert.equal(outbox(db, '--channel', 'email')
        .filter((m) => m.kind === 'churn_flag').length, 2);
    assert.equal(tasks(db, '--kind', 'debrief').length, 2);
    assert.equal(tasks(db, '--kind', 'churn_tagging', '--status', 'done')
        .length, 1);
});

test('bad input is refused in one line and changes nothing', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01')],
    });
    const before = cli(db, ['history', '--format', 'json']).stdout;
    const cases = [
        ['churn', 'tag', 'C1', '--primary', 'bogus', '--by', 'U6'],
        ['churn', 'tag', 'C1', '--primary', 'icp_miss', '--contributing',
            'nope', '--by', 'U6'],
        ['churn', 'tag', 'C9', '--primary', 'icp_miss', '--by', 'U6'],
        ['churn', 'tag', 'C1', '--primary', 'icp_miss', '--by', 'U99'],
        ['kickoff', 'D1', '--held-on', '2026-13-01', '--by', 'U6'],
        ['recovery', 'classify', 'D1', '--type', 'luck', '--intervention',
            'x', '--what-changed', 'y', '--by', 'U6'],
        ['recovery', 'classify', 'D1', '--type', 'timing', '--intervention',
            'x', '--what-changed', 'y', '--by', 'U6'],
        ['change', 'checkin', '7', '--note', 'done', '--by', 'U2'],
        ['session', 'close', '3', '--by', 'U7'],
    ];
    for (const args of cases) {
        const r = cliRun(db, args);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.lines.length, 1, r.stderr);
    }
    assert.equal(cli(db, ['history', '--format', 'json']).stdout, before);
    assert.deepEqual(outbox(db), []);
});

test('coaching items are seen only by the AE, their manager, vp_sales and ' +
    'revops', (t) => {
    const { db } = company(t, {
        accounts: ['A1', 'A2', 'A3'].map((a) => account(a)),
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
            wonDeal('D2', 'A2', 'U3', '2025-02-01', 20000),
            wonDeal('D3', 'A3', 'U4', '2025-02-01', 20000)],
        churns: [tagged('C1', 'A1', 'D1', '2026-07-10', 'timeline_overpromise',
            '2026-07-11'),
        tagged('C2', 'A2', 'D2', '2026-08-10', 'feature_overpromise',
            '2026-08-11'),
        tagged('C3', 'A3', 'D3', '2026-09-10', 'pricing', '2026-09-11')],
    });
    tick(db, '2026-10-01T08:00');
    const see = (u) => JSON.parse(cli(db, ['coaching', '--as', u, '--format',
        'json']).stdout);
    for (const u of ['U3', 'U2', 'U1', 'U7']) {
        const items = see(u);
        assert.equal(items.length, 1, u);
        assert.equal(items[0].ae_id, 'U3');
        assert.equal(items[0].period, '2026Q3');
    }
    for (const u of ['U4', 'U5', 'U6', 'U8'])
        assert.deepEqual(see(u), [], u);
    // Its notification goes to the AE's manager only: no team channel.
    const notes = outbox(db).filter((m) => m.kind === 'coaching_item');
    assert.deepEqual([...new Set(notes.map((m) => m.recipient_id))], ['U2']);
    const roles = Object.fromEntries(USERS.slice(1).map((u) => [u[0], u[3]]));
    for (const m of notes)
        assert.ok(['sales_manager'].includes(roles[m.recipient_id]));
    assert.equal(run(['coaching', '--as', 'U99', '--db', db]).code, 1);
});

// Issue 14, quarterly bad-fit review: over-promise above its threshold is
// also a private conversation of the VP Sales with the manager and a
// deal-approval process review; misaligned use case above its threshold is
// coaching for the AE involved, not only a team task.
test('rule: over-promise opens the VP-manager conversation and the ' +
    'deal-approval review; misaligned use case coaches its AE', (t) => {
    const { db } = company(t, {
        accounts: ['A1', 'A2', 'A3', 'A4'].map((a) => account(a)),
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
            wonDeal('D2', 'A2', 'U3', '2025-02-01', 20000),
            wonDeal('D3', 'A3', 'U4', '2025-02-01', 20000),
            wonDeal('D4', 'A4', 'U4', '2025-02-01', 20000)],
        churns: [tagged('C1', 'A1', 'D1', '2026-07-10', 'timeline_overpromise',
            '2026-07-11'),
        tagged('C2', 'A2', 'D2', '2026-08-10', 'feature_overpromise',
            '2026-08-11'),
        tagged('C3', 'A3', 'D3', '2026-09-10', 'misaligned_use_case',
            '2026-09-11'),
        tagged('C4', 'A4', 'D4', '2026-09-12', 'pricing', '2026-09-13')],
    });
    tick(db, '2026-10-01T08:00');
    const open = tasks(db);
    const of = (kind) => open.filter((x) => x.kind === kind)
        .map((x) => x.assignee_id).sort();
    // The VP Sales (U1) and Sam (U2), manager of U3, in private.
    assert.deepEqual(of('coaching_conversation'), ['U1', 'U2']);
    assert.deepEqual(of('deal_approval_review'), ['U1', 'U7']);
    assert.deepEqual(of('discovery_review'), ['U1', 'U7']);
    // Coaching: U3 for over-promise, U4 for the misaligned use case, each
    // seen by the AE, their manager, the VP Sales and RevOps only.
    const see = (u) => JSON.parse(cli(db, ['coaching', '--as', u, '--format',
        'json']).stdout).map((c) => `${c.ae_id}:${c.cause}`).sort();
    assert.deepEqual(see('U4'), ['U4:misaligned_use_case']);
    assert.deepEqual(see('U3'), ['U3:over_promise']);
    for (const u of ['U2', 'U1', 'U7'])
        assert.deepEqual(see(u), ['U3:over_promise',
            'U4:misaligned_use_case'], u);
    for (const u of ['U5', 'U6', 'U8'])
        assert.deepEqual(see(u), [], u);
    // A second tick adds nothing.
    const again = tick(db, '2026-10-01T09:00');
    assert.equal(again.tasks, 0);
    assert.equal(again.coaching_items, 0);
});

// Issue 14: the bad-fit review opens on the quarter's first business day,
// while its last churns are still in their tagging window; its thresholds
// are checked again on every tick until the session closes, and one that
// fires late fires then, once.
test('rule: a bad-fit threshold crossed by tags after the session opened ' +
    'fires at the next tick, once', (t) => {
    const { db } = company(t, {
        accounts: ['A1', 'A2', 'A3'].map((a) => account(a)),
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
            wonDeal('D2', 'A2', 'U3', '2025-02-01', 20000),
            wonDeal('D3', 'A3', 'U4', '2025-02-01', 20000)],
        churns: [tagged('C1', 'A1', 'D1', '2026-07-10', 'pricing',
            '2026-07-11'),
        churn('C2', 'A2', 'D2', '2026-09-28'),
        churn('C3', 'A3', 'D3', '2026-09-29')],
    });
    tick(db, '2026-10-01T08:00');
    const coached = () => JSON.parse(cli(db, ['coaching', '--as', 'U7',
        '--format', 'json']).stdout).map((c) => `${c.ae_id}:${c.cause}`);
    assert.deepEqual(coached(), []);
    for (const c of ['C2', 'C3'])
        cli(db, ['churn', 'tag', c, '--primary', 'feature_overpromise',
            '--by', 'U6', '--now', '2026-10-05T10:00']);
    const s = tick(db, '2026-10-06T08:00');
    assert.equal(s.coaching_items, 2);
    assert.deepEqual(coached().sort(), ['U3:over_promise', 'U4:over_promise']);
    assert.deepEqual(tasks(db).filter((x) => x.kind === 'deal_approval_review')
        .map((x) => x.assignee_id).sort(), ['U1', 'U7']);
    const fired = JSON.parse(cli(db, ['history', '--entity', 'triggers',
        '--format', 'json']).stdout).filter((h) => h.new && h.new.rule ===
        'coaching_share');
    assert.deepEqual(fired.map((h) => Number(h.new.fired)), [0, 1]);
    assert.deepEqual(tick(db, '2026-10-07T08:00'), zero);
});

test('imports trigger the engine: the import turns them into work, the ' +
    'next tick finishes it', (t) => {
    const { db, imp } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-01', 20000),
            wonDeal('D2', 'A2', 'U4', '2024-03-10', 20000)],
        churns: [churn('C1', 'A2', '', '2026-06-02')],
        now: '2026-06-02T07:00',
    });
    // The imports made the review of D1 and the tagging of C1 (issue 14);
    // D2 closed two years ago, outside the lookback.  The tick adds none.
    // With the review task, its AE's answers task (issue 14).
    assert.deepEqual(tasks(db).map((x) => x.kind).sort(),
        ['churn_tagging', 'review_answers', 'won_deal_review']);
    let s = tick(db, '2026-06-02T08:00');
    assert.equal(s.tasks, 0);
    // The review and the tag arrive by import, not through the CLI.
    imp('reviews', [['deal_id', 'held_on', 'q1', 'q2', 'q3', 'q4', 'q5',
        'q6', 'q7', 'gut_read'], ['D1', '2026-06-03', 'a', 'b', 'c', 'd',
        'e', 'f', 'g', 'neutral']]);
    const tagged = churn('C1', 'A2', '', '2026-06-02');
    tagged[8] = 'misaligned_use_case';
    tagged[10] = 'U6';
    tagged[11] = '2026-06-03';
    imp('churns', [['id', 'account_id', 'deal_id', 'churned_on', 'arr_lost',
        'stated_reason', 'diagnosis', 'predictive_behavior', 'primary_cause',
        'contributing_causes', 'tagged_by', 'tagged_on'], tagged],
    ['--now', '2026-06-03T07:00']);
    s = tick(db, '2026-06-03T08:00');
    // The import itself flagged the tag and finished its tagging task
    // (issue 14); the tick finishes the review task and the AE's.
    assert.equal(s.task_marks, 2);
    assert.ok(tasks(db).filter((x) => ['won_deal_review', 'churn_tagging',
        'review_answers'].includes(x.kind)).every((x) => x.status === 'done'));
    // The churn's deal is the account's first won deal: Bob (U4) and Sam.
    assert.deepEqual(outbox(db, '--channel', 'email')
        .filter((m) => m.kind === 'churn_flag').map((m) => m.recipient_id)
        .sort(), ['U2', 'U4']);
    assert.deepEqual(tick(db, '2026-06-03T08:00'), zero);
    // Nothing overdue is chased afterwards.
    tick(db, '2026-06-20T08:00');
    assert.equal(outbox(db).filter((m) => m.kind === 'task_reminder' &&
        !m.subject.includes('debrief')).length, 0);
});

test('an imported review gets its initial health score at the next tick, ' +
    'whatever its age, and no flag or message', (t) => {
    const { db, imp } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-01', 20000),
            wonDeal('D2', 'A2', 'U4', '2024-03-10', 20000)],
    });
    tick(db, '2026-06-02T08:00');
    const messages = outbox(db).length;
    // D1: the answers the CLI test above records (score 20 there); D2 closed
    // two years ago, far outside the engine's lookback.
    imp('reviews', [['deal_id', 'held_on', 'q1', 'q2', 'q3', 'q4', 'q5',
        'q6', 'q7', 'gut_read'],
    ['D1', '2026-06-03', 'Board asked for faster closes', 'n/a',
        'Price, until the CFO joined', 'SSO in Q3', 'tbd', 'Thin admin bench',
        'Expands to the EU entity within a year', 'worried'],
    ['D2', '2024-03-15', 'New CFO mandated consolidation of tools',
        'Champion\'s bonus depends on cutting close time',
        'Security review nearly stalled it', 'SSO by Q3, onboarding lead',
        'Close time under 5 days by month 4', 'Champion may move on',
        'Renews if the EMEA rollout lands', 'positive']]);
    assert.equal(cli(db, ['review', 'flags', 'D1']).stdout,
        'health_score -1\n');
    const s = tick(db, '2026-06-03T08:00');
    assert.equal(s.fields_set, 2);
    assert.equal(s.flags, 0);
    assert.equal(s.notifications, 0);
    // The score of the same answers recorded in closeloop, without their
    // generic-answer flags.
    assert.equal(cli(db, ['review', 'flags', 'D1']).stdout,
        'health_score 20\n');
    // 50 + 20 (positive) + 3 x 5 (specific) + 10 (ICP fit 70).
    assert.equal(cli(db, ['review', 'flags', 'D2']).stdout,
        'health_score 95\n');
    const hist = JSON.parse(cli(db, ['history', '--entity', 'deals', '--id',
        'D2', '--format', 'json']).stdout);
    const set = hist.filter((h) => h.action === 'health_score_set');
    assert.equal(set.length, 1);
    assert.equal(set[0].actor, 'engine');
    assert.equal(set[0].new.health_score, 95);
    assert.equal(outbox(db).length, messages);
    assert.deepEqual(tick(db, '2026-06-03T09:00'), zero);
});

test('a recovery record imported with its type finishes the recovery task; ' +
    'a renewal after a loss is no recovery', (t) => {
    const lost = ['D6', 'A6', 'U4', 'new', 'outbound', 'closed_lost',
        '2026-01-05', '2026-01-20', '2026-02-02', 30000, 'timing', 50,
        'manager', 12, 'true', 'reporting', ''];
    const back = ['D7', 'A6', 'U4', 'new', 'inbound', 'discovery',
        '2026-06-01', '', '', 35000, '', 60, 'director', 3, 'true',
        'reporting', ''];
    const renewal = ['D8', 'A1', 'U3', 'renewal', 'inbound', 'proposal',
        '2026-06-01', '', '', 20000, '', 60, 'director', 3, 'true',
        'reporting', ''];
    const lostExpansion = ['D9', 'A1', 'U3', 'expansion', 'inbound',
        'closed_lost', '2026-03-01', '', '2026-04-01', 5000, 'budget', 60,
        'director', 3, 'true', 'reporting', ''];
    const { db, imp } = company(t, {
        accounts: [account('A1'), account('A6')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-01-10', 20000), lostExpansion,
            renewal, lost, back],
    });
    tick(db, '2026-06-02T08:00');
    const rec = byKind(tasks(db), 'recovery_classification');
    assert.deepEqual(rec.map((x) => [x.subject.deal_id, x.status]),
        [['D7', 'open']]);
    imp('recoveries', [['id', 'original_deal_id', 'new_deal_id',
        'recovery_type', 'cs_intervention', 'what_changed', 'csm_id',
        'logged_on'], ['R1', 'D6', 'D7', 'timing', 'kept in touch',
        'budget approved', 'U6', '2026-06-03']]);
    const s = tick(db, '2026-06-03T08:00');
    assert.equal(s.task_marks, 1);
    assert.deepEqual(byKind(tasks(db), 'recovery_classification')
        .map((x) => [x.subject.deal_id, x.status]), [['D7', 'done']]);
});

test('the reports read the engine: days to the AE notification, the ' +
    'process change, a re-tag after the notification', (t) => {
    const { db } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2025-02-01', 20000),
            wonDeal('D2', 'A2', 'U4', '2025-03-01', 30000)],
        churns: [churn('C1', 'A1', 'D1', '2026-06-01'),
            churn('C2', 'A2', 'D2', '2026-06-10')],
    });
    const report = (name, period, ...extra) => JSON.parse(cli(db, ['report',
        name, '--period', period, '--now', '2026-07-15', '--format', 'json',
        ...extra]).stdout);
    tick(db, '2026-06-01T08:00');
    // Before any tag: no deal-attributable churn, so no figure.
    assert.equal(report('monthly', '2026-06').days_to_ae_notification, null);

    // C1 is tagged deal-attributably on 06-04: the flag to its AE (U3) is
    // queued at once, 3 days after the churn.  C2's cause is not Sales'.
    cli(db, ['churn', 'tag', 'C1', '--primary', 'icp_miss', '--by', 'U6',
        '--now', '2026-06-04T09:00']);
    cli(db, ['churn', 'tag', 'C2', '--primary', 'pricing', '--by', 'U6',
        '--now', '2026-06-11T09:00']);
    tick(db, '2026-06-12T08:00');
    let m = report('monthly', '2026-06');
    assert.deepEqual(m.days_to_ae_notification, { attributable: 1,
        notified: 1, not_notified: 0, median: 3, max: 3,
        median_from_tag: 0 });
    assert.equal(m.process_change, null);
    let audit = report('audit', '2026Q2');
    assert.equal(audit.tags_changed_after_notification.notified, 1);
    assert.equal(audit.tags_changed_after_notification.changes, 0);

    // The CSM re-tags C1 the next day, after the AE was told.
    cli(db, ['churn', 'tag', 'C1', '--primary', 'phantom_champion',
        '--contributing', 'icp_miss', '--by', 'U6', '--now',
        '2026-06-05T10:00']);
    audit = report('audit', '2026Q2');
    const changed = audit.tags_changed_after_notification;
    assert.equal(changed.changes, 1);
    assert.equal(changed.churns, 1);
    assert.equal(changed.primary_changed, 1);
    assert.deepEqual(changed.items.map((i) => [i.churn_id, i.notified_at,
        i.changed_at, i.primary_before, i.primary_after,
        i.contributing_after, i.changed_by && i.changed_by.id]),
    [['C1', '2026-06-04T09:00:00Z', '2026-06-05T10:00:00Z', 'icp_miss',
        'phantom_champion', ['icp_miss'], 'U6']]);
    const text = JSON.stringify(audit);
    for (const ae of ['U3', 'Ann Exec', 'U4', 'Bob Exec'])
        assert.ok(!text.includes(ae), `${ae} named in the audit`);

    // July's tick opens June's debrief; its process change is June's.
    tick(db, '2026-07-01T08:00');
    const sessions = json(db, ['session', 'list']);
    const debrief = sessions.find((s) => s.kind === 'monthly_debrief' &&
        s.period === '2026-06');
    assert.ok(debrief, 'June\'s debrief is open');
    cli(db, ['change', 'record', String(debrief.id), '--owner', 'U2',
        '--description', 'Qualify team size in discovery', '--by', 'U7',
        '--now', '2026-07-02T10:00']);
    m = report('monthly', '2026-06');
    assert.equal(m.process_change.description,
        'Qualify team size in discovery');
    assert.deepEqual(m.process_change.owner, { id: 'U2',
        name: 'Sam Manager' });
    assert.equal(m.process_change.checked_in_on, null);
    assert.equal(m.process_change.checkin_status, 'pending');
    assert.equal(m.process_change.late, false);
});
