// Re-importing is a no-op; a changed cell is one update with one audit
// entry; a churn without a deal links to the account's first won new deal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    KINDS, exportKind, fixture, fixturePath, importCanonical, info, ok,
    parseCsv, parseSummary, tempDir, workspace, writeCsv,
} from './lib.mjs';

test('importing the same files again changes nothing', (t) => {
    const db = workspace(t);
    importCanonical(db);
    const before = info(db);
    assert.ok(before.counts.audit > 0, 'imports are audited');
    for (const kind of KINDS) {
        const n = parseCsv(fixture(kind)).length - 1;
        const r = ok(['import', kind, fixturePath(kind), '--db', db]);
        assert.deepEqual(parseSummary(r.stdout), { kind, rows: n, inserted: 0,
            updated: 0, unchanged: n, bad: 0 }, r.stdout);
    }
    assert.deepEqual(info(db).counts, before.counts);
    for (const kind of KINDS)
        assert.equal(exportKind(db, kind), fixture(kind), kind);
});

test('changing one cell gives one update and one audit entry', (t) => {
    const db = workspace(t);
    importCanonical(db);
    const history = (id) => JSON.parse(ok(['history', '--entity', 'deals',
        '--id', id, '--format', 'json', '--db', db]).stdout);
    const h0 = history('D003');
    const audit0 = info(db).counts.audit;

    const text = fixture('deals').replace(
        'D003,A003,U003,new,partner,closed_won,2022-09-12,2022-10-03,2022-11-25,60000,',
        'D003,A003,U003,new,partner,closed_won,2022-09-12,2022-10-03,2022-11-25,64500.5,');
    assert.notEqual(text, fixture('deals'));
    const file = writeCsv(tempDir(t), 'deals.csv', text);
    const r = ok(['import', 'deals', file, '--db', db, '--actor', 'U008']);
    assert.deepEqual(parseSummary(r.stdout), { kind: 'deals', rows: 8,
        inserted: 0, updated: 1, unchanged: 7, bad: 0 });
    assert.equal(info(db).counts.audit, audit0 + 1);

    const h1 = history('D003');
    assert.equal(h1.length, h0.length + 1);
    const e = h1[h1.length - 1];
    assert.equal(e.entity, 'deals');
    assert.equal(e.entity_id, 'D003');
    assert.equal(e.actor, 'U008');
    assert.equal(Number(e.old.arr), 60000);
    assert.equal(Number(e.new.arr), 64500.5);
    assert.equal(e.old.account_id, e.new.account_id);
    for (const k of ['id', 'at', 'actor', 'entity', 'entity_id', 'action',
        'old', 'new'])
        assert.ok(k in e, `history entry has ${k}`);
    // The first entry is the insert: nothing before it.
    assert.equal(h1[0].old, null);
    assert.equal(Number(h1[0].new.arr), 60000);
    assert.ok(h1[0].id < e.id, 'oldest first');
    // Other deals were not touched.
    assert.equal(history('D001').length, h0.length);

    const row = parseCsv(exportKind(db, 'deals')).find((x) => x[0] === 'D003');
    assert.equal(row[9], '64500.5');
});

test('a churn without a deal links to the earliest won new deal', (t) => {
    const db = workspace(t);
    ok(['import', 'users', fixturePath('users'), '--db', db]);
    const dir = tempDir(t);
    ok(['import', 'accounts', writeCsv(dir, 'accounts.csv', [
        'id,name,industry,employees,region,has_ops_function,csm_id,customer_since,status',
        'A1,Harbor Freight Co,Logistics,60,NA,true,U007,2022-03-01,churned',
    ].join('\n') + '\n'), '--db', db]);
    const H = 'id,account_id,ae_id,type,source,stage,created_on,first_demo_on,' +
        'closed_on,arr,loss_reason,icp_fit_score,champion_level,' +
        'champion_tenure_months,exec_sponsor,use_case,kickoff_on';
    ok(['import', 'deals', writeCsv(dir, 'deals.csv', [
        H,
        // Lost earlier: not the original deal.
        'X1,A1,U003,new,outbound,closed_lost,2021-01-05,,2021-02-01,20000,budget,,,,,,',
        // Won earlier but an expansion: not it either.
        'X2,A1,U003,expansion,outbound,closed_won,2021-06-01,,2021-07-01,5000,,,,,,,',
        // Won later: not it.
        'X3,A1,U003,new,outbound,closed_won,2023-01-01,,2023-02-01,30000,,,,,,,',
        // The earliest won new deal.
        'X4,A1,U004,new,inbound,closed_won,2022-01-10,,2022-02-20,24000,,,,,,,',
        // An open one.
        'X5,A1,U004,new,inbound,proposal,2020-01-10,,,24000,,,,,,,',
    ].join('\n') + '\n'), '--db', db]);
    ok(['import', 'churns', writeCsv(dir, 'churns.csv', [
        'id,account_id,deal_id,churned_on,arr_lost,stated_reason,diagnosis,' +
            'predictive_behavior,primary_cause,contributing_causes,tagged_by,tagged_on',
        'K1,A1,,2024-05-31,24000,Moved to a cheaper tool,,,pricing,,U007,2024-06-03',
        'K2,A1,X3,2024-06-30,30000,,,,,,,',
    ].join('\n') + '\n'), '--db', db]);
    const rows = parseCsv(exportKind(db, 'churns')).slice(1);
    assert.deepEqual(rows.map((r) => [r[0], r[2]]), [['K1', 'X4'], ['K2', 'X3']]);
});
