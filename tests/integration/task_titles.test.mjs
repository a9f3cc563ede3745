// Issue 16: open tasks created before their titles named the account keep
// no id wording: schema v12 rewrites them as the rules now write them.
// Done tasks are history and stay as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { account, churn, company, tasks, wonDeal } from './engine_lib.mjs';
import { sql } from './api_lib.mjs';

const NOW = '2026-11-18T10:00';

test('schema v12 rewrites the id wording of open tasks\' titles', (t) => {
    const { db } = company(t, {
        accounts: [account('A1'), account('A2')],
        deals: [wonDeal('D1', 'A1', 'U3', '2026-11-16', 20000)],
        churns: [churn('C1', 'A2', '', '2026-11-17')],
        now: NOW,
    });
    const find = (list, kind) => list.find((x) => x.kind === kind);
    const before = tasks(db);
    assert.ok(find(before, 'won_deal_review') && find(before, 'review_answers') &&
        find(before, 'churn_tagging'), JSON.stringify(before));
    // The workspace as an older closeloop left it: version 11, ids in titles.
    const old = {
        won_deal_review: 'Won-deal review for deal D1',
        review_answers: 'Answer the won-deal review questions for deal D1',
        churn_tagging: 'Tag the root cause of churn C1',
    };
    for (const [kind, title] of Object.entries(old))
        sql(db, `UPDATE tasks SET title = '${title}' WHERE kind = '${kind}'`);
    sql(db, "UPDATE tasks SET status = 'done' WHERE kind = 'review_answers'");
    // The older forms of a check-in, a recovery record and a routed cause.
    const more = [
        [101, 'review_checkin_1', 'deal', 'D1', '30-day check-in: A1 (deal D1)'],
        [102, 'recovery_classification', 'deal', 'D1',
            'Recovery record: deal D1 returns after lost deal D0 (7 months)'],
        [103, 'cause_followup', 'churn', 'C1',
            'Churn C1 tagged Poor service: for Cid Success'],
    ];
    for (const [id, kind, sk, sid, title] of more)
        sql(db, 'INSERT INTO tasks (workspace_id, id, kind, assignee_id, ' +
            'due_on, status, subject_kind, subject_id, title, created_at) ' +
            `SELECT workspace_id, ${id}, '${kind}', 'U6', due_on, 'open', ` +
            `'${sk}', '${sid}', '${title}', created_at FROM tasks ` +
            "WHERE kind = 'won_deal_review'");
    sql(db, 'DELETE FROM schema_migrations WHERE version = 12');

    const after = tasks(db);
    assert.equal(find(after, 'won_deal_review').title,
        'Won-deal review for the deal with Account A1');
    assert.equal(find(after, 'churn_tagging').title,
        'Tag the root cause of the churn of Account A2');
    assert.equal(find(after, 'review_checkin_1').title,
        '30-day check-in: Account A1');
    assert.equal(find(after, 'recovery_classification').title,
        'Recovery record: Account A1 returns after a lost deal (7 months)');
    assert.equal(find(after, 'cause_followup').title,
        'Account A2 churned: tagged Poor service, for Cid Success');
    assert.equal(find(after, 'review_answers').title, old.review_answers,
        'a done task is history');
    assert.equal(sql(db, 'SELECT max(version) FROM schema_migrations'), '12');
});
