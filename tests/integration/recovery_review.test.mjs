// Issue 14, recoveries: a re-won account marked not CS-led stays on record
// and leaves the recovery review's figures; at the review, trust recoveries
// clustering on one AE open a private coaching item, champion-change
// recoveries a deal-brief template task, trust recoveries a handoff-SLA
// task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, cli, company, outbox, tasks, tick } from './engine_lib.mjs';

const RECOVERY_HEAD = ['id', 'original_deal_id', 'new_deal_id',
    'recovery_type', 'cs_intervention', 'what_changed', 'csm_id',
    'logged_on', 'cs_led'];

// A deal lost in 2025 (by ae) and the new deal of its account in 2026Q3.
function lostAndBack(n, ae, loss, demo) {
    return [
        [`O${n}`, `A${n}`, ae, 'new', 'outbound', 'closed_lost', '2025-01-01',
            demo, '2025-06-01', 10000, loss, 50, 'manager', 12, 'true',
            'reporting', ''],
        [`N${n}`, `A${n}`, ae, 'new', 'inbound', 'discovery', '2026-07-01',
            '', '', 12000, '', 60, 'director', 3, 'true', 'reporting', ''],
    ];
}

// Ann (U3, managed by Sam U2) lost O1 and O2, Bob (U4, Sam's too) O3-O5.
function setUp(t) {
    const { db, imp } = company(t, {
        accounts: ['A1', 'A2', 'A3', 'A4', 'A5'].map((a) => account(a)),
        deals: [...lostAndBack(1, 'U3', 'relationship', '2025-01-10'),
            ...lostAndBack(2, 'U3', 'relationship', '2025-02-20'),
            ...lostAndBack(3, 'U4', 'budget', ''),
            ...lostAndBack(4, 'U4', 'champion', '2025-02-01'),
            ...lostAndBack(5, 'U4', 'timing', '2025-04-15')],
        now: '2026-07-02T07:00',
    });
    imp('recoveries', [RECOVERY_HEAD,
        ['R1', 'O1', 'N1', 'trust', 'kept in touch', 'new sponsor', 'U6',
            '2026-07-10', ''],
        ['R2', 'O2', 'N2', 'trust', 'reference call', 'heard a peer', 'U6',
            '2026-08-10', 'true'],
        ['R3', 'O3', 'N3', 'trust', 'exec dinner', 'apology', 'U6',
            '2026-08-12', ''],
        ['R4', 'O4', 'N4', 'champion_change', 'met the new VP',
            'new champion', 'U6', '2026-09-01', ''],
        ['R5', 'O5', 'N5', 'timing', '', 'budget came', 'U6', '2026-09-02',
            '']], ['--now', '2026-09-03T07:00']);
    return db;
}

const report = (db, ...extra) => JSON.parse(cli(db, ['report', 'recovery',
    '--period', '2026Q3', '--now', '2026-10-15', '--format', 'json',
    ...extra]).stdout);

test('rule: a recovery marked not CS-led stays on record and leaves the ' +
    'recovery review', (t) => {
    const db = setUp(t);
    let r = report(db);
    assert.equal(r.recoveries, 5);
    assert.equal(r.not_cs_led, 0);
    cli(db, ['recovery', 'classify', 'R5', '--type', 'timing',
        '--intervention', 'none', '--what-changed', 'their budget year',
        '--not-cs-led', '--by', 'U6', '--now', '2026-09-20T10:00']);
    r = report(db);
    assert.equal(r.recoveries, 4);
    assert.equal(r.not_cs_led, 1);
    assert.equal(r.by_type.find((x) => x.type === 'timing').count, 0);
    assert.ok(!r.clusters.some((c) => c.value === 'timing'));
    // Still on record, with its mark.
    const csv = cli(db, ['export', 'recoveries']).stdout;
    assert.match(csv, /^R5,O5,N5,timing,none,their budget year,U6,2026-09-20,false$/m);
    // Classifying again without the flag keeps the mark; --cs-led undoes it.
    cli(db, ['recovery', 'classify', 'R5', '--type', 'timing',
        '--intervention', 'none', '--what-changed', 'their budget year',
        '--by', 'U6', '--now', '2026-09-21T10:00']);
    assert.equal(report(db).not_cs_led, 1);
    cli(db, ['recovery', 'classify', 'R5', '--type', 'timing',
        '--intervention', 'none', '--what-changed', 'their budget year',
        '--cs-led', '--by', 'U6', '--now', '2026-09-21T10:00']);
    assert.equal(report(db).not_cs_led, 0);
    // The stage cluster is the original loss reason, and days to the first
    // demo are a distribution: O3 no demo; 9, 31, 50 and 104 days.
    r = report(db);
    assert.ok(!r.clusters.some((c) => c.dimension === 'stage'));
    assert.deepEqual(r.clusters.filter((c) =>
        c.dimension === 'original_loss_reason').map((c) =>
        `${c.value}:${c.count}`), ['relationship:2', 'budget:1', 'champion:1',
        'timing:1']);
    const d = r.days_to_first_demo;
    assert.deepEqual(d.bins.map((b) => `${b.bin}:${b.count}`), ['0-14:1',
        '15-30:0', '31-45:1', '46-60:1', '61-90:0', 'over 90:1', 'no demo:1',
        'unknown:0']);
    assert.equal(d.median, 40.5);
});

test('rule: trust recoveries clustering on one AE open private coaching at ' +
    'the recovery review; champion change and trust open their tasks',
(t) => {
    const db = setUp(t);
    // R3 (Bob's trust recovery) was not CS-led: Ann holds 2 of 2.
    cli(db, ['recovery', 'classify', 'R3', '--type', 'trust',
        '--intervention', 'none', '--what-changed', 'their CEO called',
        '--not-cs-led', '--by', 'U6', '--now', '2026-09-20T10:00']);
    tick(db, '2026-10-01T08:00');
    const see = (u) => JSON.parse(cli(db, ['coaching', '--as', u, '--format',
        'json']).stdout).map((c) => `${c.ae_id}:${c.cause}`);
    // Ann, her manager, the VP Sales and RevOps; not Bob, CS or Marketing.
    for (const u of ['U3', 'U2', 'U1', 'U7'])
        assert.deepEqual(see(u), ['U3:trust_breakdown'], u);
    for (const u of ['U4', 'U5', 'U6', 'U8'])
        assert.deepEqual(see(u), [], u);
    // Told to her manager only.
    const notes = outbox(db).filter((m) => m.kind === 'coaching_item');
    assert.deepEqual([...new Set(notes.map((m) => m.recipient_id))], ['U2']);
    const of = (kind) => tasks(db).filter((x) =>
        x.kind === kind).map((x) => x.assignee_id).sort();
    assert.deepEqual(of('coaching_conversation'), ['U1', 'U2']);
    assert.deepEqual(of('deal_brief_template'), ['U1', 'U7']);
    assert.deepEqual(of('handoff_sla_review'), ['U1', 'U7']);
    // Team tasks name no AE.
    for (const x of tasks(db).filter((x) =>
        ['deal_brief_template', 'handoff_sla_review'].includes(x.kind))) {
        assert.doesNotMatch(x.title, /U3|U4|Ann|Bob/);
    }
    const fired = JSON.parse(cli(db, ['history', '--entity', 'triggers',
        '--format', 'json']).stdout).filter((h) => h.new).map((h) =>
        `${h.new.rule}:${Number(h.new.fired)}`).filter((s) =>
        /trust|champion/.test(s)).sort();
    assert.deepEqual(fired, ['champion_change_recoveries:1',
        'trust_cluster_share:1', 'trust_recoveries:1']);
    // Once: the next tick adds nothing.
    const again = tick(db, '2026-10-01T09:00');
    assert.equal(again.tasks, 0);
    assert.equal(again.coaching_items, 0);
});

test('rule: a recovery without logged_on counts at the review in the quarter ' +
    'of its new deal, as in the recovery report', (t) => {
    const { db, imp } = company(t, {
        accounts: ['A1', 'A2'].map((a) => account(a)),
        deals: [...lostAndBack(1, 'U3', 'relationship', '2025-01-10'),
            ...lostAndBack(2, 'U4', 'budget', '')],
        now: '2026-07-02T07:00',
    });
    // Both new deals were created on 2026-07-01, in 2026Q3.
    imp('recoveries', [RECOVERY_HEAD,
        ['R1', 'O1', 'N1', 'trust', 'kept in touch', 'new sponsor', 'U6', '',
            ''],
        ['R2', 'O2', 'N2', 'trust', 'exec dinner', 'apology', 'U6', '', '']],
    ['--now', '2026-09-03T07:00']);
    assert.equal(report(db).recoveries, 2);
    tick(db, '2026-10-01T08:00');
    const fired = JSON.parse(cli(db, ['history', '--entity', 'triggers',
        '--format', 'json']).stdout).filter((h) => h.new).map((h) =>
        `${h.new.rule}:${Number(h.new.fired)}`).filter((s) =>
        /trust_recoveries/.test(s));
    assert.deepEqual(fired, ['trust_recoveries:1']);
    assert.deepEqual(tasks(db).filter((x) => x.kind ===
        'handoff_sla_review').map((x) => x.assignee_id).sort(), ['U1', 'U7']);
});
