// Issue 14, won-deal review: the kickoff gate compares dates on every path
// that writes kickoff_on (CLI, import; the API's are in api.test.mjs), and
// completion below the monthly target opens a RevOps investigation once a
// quarter (`closeloop tick --now`).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { exportKind, parseCsv, writeCsv } from './lib.mjs';
import {
    DEAL_HEAD, account, cli, cliRun, company, json, tasks, tick, wonDeal,
} from './engine_lib.mjs';

// The deals as exported (CSV), by id.
function deals(db) {
    const [head, ...rows] = parseCsv(exportKind(db, 'deals'));
    return Object.fromEntries(rows.map((r) =>
        [r[0], Object.fromEntries(head.map((h, i) => [h, r[i]]))]));
}

const REVIEW_HEAD = ['deal_id', 'held_on', 'q1', 'q2', 'q3', 'q4', 'q5',
    'q6', 'q7', 'gut_read'];

function review(db, deal, held) {
    cli(db, ['review', 'record', deal, '--held-on', held,
        '--q1', 'Board asked for a churn number by Q3',
        '--q2', 'Marco is up for promotion if churn drops below 8%',
        '--q3', 'Legal held the DPA for three weeks',
        '--q4', 'SSO with Okta live by 1 April',
        '--q5', 'Renews if logo churn falls from 14% to 10%',
        '--q6', 'No exec sponsor since the COO left in February',
        '--q7', 'Expands to 60 seats once EMEA joins in Q2',
        '--gut-read', 'positive', '--by', 'U6']);
}

test('kickoff gate: the review must be held on or before the kickoff date ' +
    '(closeloop kickoff)', (t) => {
    const { db } = company(t, {
        accounts: [account('A1')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000)],
    });
    review(db, 'D1', '2026-06-11');
    // A review exists, but it was held after the kickoff date: refused.
    const early = cliRun(db, ['kickoff', 'D1', '--held-on', '2026-06-10',
        '--by', 'U6']);
    assert.equal(early.code, 1);
    assert.equal(early.lines.length, 1);
    assert.match(early.stderr, /kickoff_on: 2026-06-10 is before the won-deal review of the deal with Account A1 \(held on 2026-06-11\)/);
    assert.equal(deals(db).D1.kickoff_on, '');
    // The same day as the review is allowed.
    cli(db, ['kickoff', 'D1', '--held-on', '2026-06-11', '--by', 'U6']);
    // Earlier again, with a reason: allowed and audited.
    cli(db, ['kickoff', 'D1', '--held-on', '2026-06-09', '--override-reason',
        'Customer started before the review', '--by', 'U5']);
    const hist = json(db, ['history', '--entity', 'deals', '--id', 'D1']);
    const ov = hist.find((h) => h.action === 'kickoff_override');
    assert.equal(ov.actor, 'U5');
    assert.equal(ov.new.reason, 'Customer started before the review');
});

test('kickoff gate on import: a deal whose kickoff_on precedes its review ' +
    'is a bad row (line and column); history without a review imports',
(t) => {
    const { db, dir } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000),
            wonDeal('D2', 'A2', 'U3', '2026-06-05', 20000)],
    });
    cli(db, ['import', 'reviews', writeCsv(dir, 'reviews.csv', [REVIEW_HEAD,
        ['D1', '2026-06-11', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'neutral']])]);
    const file = writeCsv(dir, 'deals2.csv', [DEAL_HEAD,
        wonDeal('D2', 'A2', 'U3', '2026-06-05', 20000, '2026-06-08'),
        wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000, '2026-06-10')]);
    const bad = cliRun(db, ['import', 'deals', file]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /deals2\.csv:3: kickoff_on: 2026-06-10 is before the won-deal review of this deal \(held on 2026-06-11\)/);
    // All or nothing: D2's kickoff (no review: history) was not applied.
    assert.equal(deals(db).D2.kickoff_on, '');
    // On the review's day, and without a review, both import.
    cli(db, ['import', 'deals', writeCsv(dir, 'deals3.csv', [DEAL_HEAD,
        wonDeal('D2', 'A2', 'U3', '2026-06-05', 20000, '2026-06-08'),
        wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000, '2026-06-11')])]);
    assert.equal(deals(db).D1.kickoff_on, '2026-06-11');
    assert.equal(deals(db).D2.kickoff_on, '2026-06-08');
    // Importing the same file again writes no new kickoff: still fine.
    cli(db, ['import', 'deals', writeCsv(dir, 'deals4.csv', [DEAL_HEAD,
        wonDeal('D1', 'A1', 'U3', '2026-06-05', 20000, '2026-06-11')])]);
});

test('review completion below the 80% monthly target opens one RevOps ' +
    'investigation task per quarter (closeloop tick --now)', (t) => {
    const july = ['D1', 'D2', 'D3', 'D4', 'D5'];
    const { db, dir } = company(t, {
        accounts: [account('A1')],
        deals: july.map((id, i) =>
            wonDeal(id, 'A1', 'U3', `2026-07-0${i + 1}`, 20000)),
    });
    tick(db, '2026-07-01T08:00');
    // Three of five on time (due 5 business days after close): 60%.
    for (const id of ['D1', 'D2', 'D3'])
        review(db, id, '2026-07-06');
    const investigations = () =>
        tasks(db, '--kind', 'review_completion_investigation');
    tick(db, '2026-07-31T09:00');
    assert.equal(investigations().length, 0);
    // August's first business day opens July's debrief and judges July.
    tick(db, '2026-08-03T09:00');
    let inv = investigations();
    assert.equal(inv.length, 1);
    assert.equal(inv[0].assignee_id, 'U7');
    assert.deepEqual(inv[0].subject, { quarter_id: '2026Q3' });
    assert.match(inv[0].title, /2026-07: 60% \(3 of 5 on time\), below the 80% target/);
    // August below target too (nothing reviewed): still the one task.
    cli(db, ['import', 'deals', writeCsv(dir, 'aug.csv', [DEAL_HEAD,
        wonDeal('D6', 'A1', 'U3', '2026-08-04', 20000)])]);
    tick(db, '2026-08-04T09:00');
    tick(db, '2026-09-01T09:00');
    tick(db, '2026-09-02T09:00');
    inv = investigations();
    assert.equal(inv.length, 1);
    // RevOps closes it; the quarter does not get it back.
    cli(db, ['tasks', 'done', String(inv[0].id), '--by', 'U7']);
    tick(db, '2026-09-03T09:00');
    inv = investigations();
    assert.equal(inv.length, 1);
    assert.equal(inv[0].status, 'done');
});
