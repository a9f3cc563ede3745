// mapping.test.mjs - CRM exports through `closeloop import --mapping` and
// POST /api/v1/imports/{kind}?mapping=: Salesforce and HubSpot presets and
// mapping files land as canonical records, and a bad value is reported on
// the source file's line under the source column's header.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { as, demoWorkspace, startServer } from './api_lib.mjs';
import {
    ROOT, exportKind, importFile, parseCsv, parseSummary, tempDir, workspace,
    writeCsv,
} from './lib.mjs';

const CRM = path.join(ROOT, 'tests', 'data', 'crm');
const crm = (name) => path.join(CRM, name);

// The exported records of kind as objects keyed by id.
function records(db, kind) {
    const [hdr, ...rows] = parseCsv(exportKind(db, kind));
    return Object.fromEntries(rows.map((r) =>
        [r[0], Object.fromEntries(hdr.map((h, i) => [h, r[i]]))]));
}

function importSalesforce(db) {
    for (const [kind, file] of [['users', 'sf_users.csv'],
        ['accounts', 'sf_accounts.csv'], ['deals', 'sf_opportunities.csv']]) {
        const r = importFile(db, kind, crm(file), ['--mapping', 'salesforce']);
        assert.equal(r.code, 0, r.stderr);
    }
}

test('a Salesforce users, accounts and opportunities export imports through the preset', (t) => {
    const db = workspace(t);
    importSalesforce(db);
    const users = records(db, 'users');
    assert.equal(users['0058d000001AbcfAAA'].role, 'ae'); // "Account Executive"
    assert.equal(users['0058d000001AbceAAA'].role, 'sales_manager');
    assert.equal(users['0058d000001AbcfAAA'].manager_id, '0058d000001AbceAAA');
    assert.equal(users['0058d000001AbcgAAA'].team, 'Customer Success');
    const accounts = records(db, 'accounts');
    assert.equal(accounts['0018d00000QxAaAAAV'].status, 'customer'); // Customer - Direct
    assert.equal(accounts['0018d00000QxAbAAAV'].status, 'churned'); // Former Customer
    assert.equal(accounts['0018d00000QxAdAAAV'].status, 'prospect'); // a partner
    assert.equal(accounts['0018d00000QxAcAAAV'].employees, '1250');
    assert.equal(accounts['0018d00000QxAbAAAV'].name, 'Brightside Dental, LLC');
    const deals = records(db, 'deals');
    const won = deals['0068d00000Zz01AAAQ'];
    assert.deepEqual([won.type, won.stage, won.created_on, won.closed_on, won.arr, won.ae_id,
        won.source], ['new', 'closed_won', '2022-12-01', '2023-02-10', '48000',
        '0058d000001AbcfAAA', 'partner_referral']);
    assert.equal(deals['0068d00000Zz02AAAQ'].arr, '9600.5');
    assert.equal(deals['0068d00000Zz03AAAQ'].type, 'expansion'); // Existing Business
    assert.equal(deals['0068d00000Zz03AAAQ'].closed_on, '2025-03-14'); // ISO as well
    assert.equal(deals['0068d00000Zz05AAAQ'].type, 'renewal');
    // An open opportunity's Close Date is only expected: canonically none.
    const open = deals['0068d00000Zz04AAAQ'];
    assert.deepEqual([open.stage, open.closed_on], ['proposal_price_quote', '']);
    // The same export again changes nothing.
    const again = parseSummary(importFile(db, 'deals', crm('sf_opportunities.csv'),
        ['--mapping', 'salesforce']).stdout);
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 5]);
});

test('a bad value names the source line and the source column; nothing is applied', (t) => {
    const db = workspace(t);
    importSalesforce(db);
    const r = importFile(db, 'deals', crm('sf_opportunities_bad.csv'), ['--mapping', 'salesforce']);
    assert.equal(r.code, 1);
    const file = crm('sf_opportunities_bad.csv');
    assert.deepEqual(r.lines.slice(0, 3), [
        `${file}:3: Close Date (closed_on): not a date '02/31/2026' (expected MM/DD/YYYY)`,
        `${file}:4: Amount (arr): not an amount 'about 5k'`,
        `${file}:5: Type (type): expected one of new, expansion, renewal, got 'partnership'`,
    ]);
    assert.equal(records(db, 'deals')['0068d00000Zz11AAAQ'], undefined);
    // A required source column missing is a header error naming it.
    const h = importFile(db, 'deals', crm('hs_deals.csv'), ['--mapping', 'salesforce']);
    assert.equal(h.code, 1);
    assert.match(h.stderr, /hs_deals\.csv:1: Opportunity ID \(id\): required column missing/);
    // Kinds a CRM does not export have no preset.
    const c = importFile(db, 'churns', crm('hs_deals.csv'), ['--mapping', 'hubspot']);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /hubspot preset maps users, accounts and deals, not churns/);
});

test('a mapping file maps a CRM export; a bad mapping file names its line', (t) => {
    const db = workspace(t);
    importSalesforce(db);
    const dir = tempDir(t);
    // Only some columns: the rest of what is stored is kept.
    const r = importFile(db, 'deals', crm('sf_opportunities.csv'),
        ['--mapping', crm('sf_opportunities.map.csv')]);
    assert.equal(r.code, 0, r.stderr);
    const deals = records(db, 'deals');
    assert.equal(deals['0068d00000Zz01AAAQ'].source, 'partner referral'); // lower, not slug
    assert.equal(deals['0068d00000Zz01AAAQ'].ae_id, '0058d000001AbcfAAA'); // kept
    const bad = importFile(db, 'deals', crm('sf_opportunities.csv'), ['--mapping', crm('bad.map.csv')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.map\.csv:4: transform: unknown transform 'slugify'/);
    const map2 = writeCsv(dir, 'm.csv', 'column,source,transform\nid,Opportunity ID,\nwidget,Stage,\n');
    const b2 = importFile(db, 'deals', crm('sf_opportunities.csv'), ['--mapping', map2]);
    assert.equal(b2.code, 1);
    assert.match(b2.stderr, /m\.csv:3: column: 'widget' is not a deals column/);
    const map3 = writeCsv(dir, 'm3.csv', 'col,src\n');
    assert.match(importFile(db, 'deals', crm('sf_opportunities.csv'), ['--mapping', map3]).stderr,
        /m3\.csv:1: header: expected column,source,transform/);
    // A required canonical column the file does not map.
    const map4 = writeCsv(dir, 'm4.csv', 'column,source,transform\nid,Opportunity ID,\n');
    assert.match(importFile(db, 'deals', crm('sf_opportunities.csv'), ['--mapping', map4]).stderr,
        /sf_opportunities\.csv:1: account_id: required column; the mapping gives it no source/);
});

let ws, srv, revops;
before(async () => {
    ws = demoWorkspace(null);
    srv = await startServer(null, ws.db);
    revops = await as(srv, ws, 'revops');
});
after(async () => {
    await srv?.stop();
    if (ws)
        rmSync(ws.dir, { recursive: true, force: true });
});

async function upload(kind, csv, query) {
    const res = await fetch(`${srv.base}/api/v1/imports/${kind}${query}`, {
        method: 'POST', body: csv,
        headers: { 'content-type': 'text/csv', cookie: revops.cookie,
            'x-csrf-token': revops.csrf },
    });
    return { status: res.status, json: await res.json() };
}

test('the API imports a HubSpot companies and deals export with ?mapping=hubspot', async () => {
    let r = await upload('accounts', readFileSync(crm('hs_companies.csv')), '?mapping=hubspot');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.inserted, 3);
    r = await upload('deals', readFileSync(crm('hs_deals.csv')), '?mapping=hubspot');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.inserted, 4);
    const accounts = records(ws.db, 'accounts');
    assert.deepEqual([accounts['18331200001'].status, accounts['18331200001'].customer_since],
        ['customer', '2023-02-10']);
    assert.equal(accounts['18331200002'].employees, '51'); // "51-200": the lower bound
    assert.equal(accounts['18331200003'].employees, '1001');
    assert.equal(accounts['18331200003'].status, 'prospect'); // Lead
    const deals = records(ws.db, 'deals');
    assert.deepEqual([deals['9001001'].type, deals['9001001'].stage, deals['9001001'].closed_on,
        deals['9001001'].created_on, deals['9001001'].arr],
    ['expansion', 'closed_won', '2024-06-28', '2024-04-02', '24000']);
    assert.deepEqual([deals['9001002'].stage, deals['9001002'].closed_on], ['contract_sent', '']);
    assert.equal(deals['9001003'].account_id, '18331200003'); // the first associated company
    assert.equal(deals['9001004'].created_on, '2022-12-01'); // ISO with a time

    // A bad value: the source header and the field in the error's column.
    const bad = 'Record ID,Deal Name,Deal Stage,Close Date,Amount,Create Date,Deal Type,Associated Company IDs\n' +
        '9002001,X,Closed Won,2024-13-01 10:00,"1,000",2024-01-01 10:00,New Business,18331200001\n';
    r = await upload('deals', bad, '?mapping=hubspot');
    assert.equal(r.status, 400);
    assert.deepEqual([r.json.errors[0].line, r.json.errors[0].column], [2, 'Close Date (closed_on)']);
    assert.match(r.json.errors[0].message, /not a date '2024-13-01 10:00'/);
    // A required source column missing: the header's line, the same label.
    r = await upload('deals', bad, '?mapping=salesforce');
    assert.equal(r.status, 400);
    assert.deepEqual([r.json.errors[0].line, r.json.errors[0].column,
        r.json.errors[0].message], [1, 'Opportunity ID (id)', 'required column missing']);
    r = await upload('churns', bad, '?mapping=hubspot');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'mapping');
    r = await upload('deals', bad, '?mapping=pipedrive');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'mapping');
});
