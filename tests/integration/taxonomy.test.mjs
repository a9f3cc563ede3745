// taxonomy.test.mjs - RevOps adds a cause, re-routes it and retires it
// through the API (issue 16): every change needs If-Match and is audited; a
// retired cause takes no new tag (one line naming the field) while the tags
// that have it keep their label; bad input is a 400 naming its field and
// changes nothing; only RevOps and admins may change the taxonomy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { as, demoWorkspace, sql, startServer } from './api_lib.mjs';
import { ok, run } from './lib.mjs';

describe('the taxonomy API', () => {
    let ws, srv, revops, csm, admin;
    before(async () => {
        ws = demoWorkspace(null);
        srv = await startServer(null, ws.db);
        revops = await as(srv, ws, 'revops');
        csm = await as(srv, ws, 'csm');
        admin = await as(srv, ws, 'admin');
    });
    after(() => srv?.stop());

    const causes = async (c = revops) =>
        (await c.get('/api/v1/settings/taxonomy')).json.items;
    const cause = async (code) => (await causes()).find((x) => x.code === code);
    const untagged = (n) => sql(ws.db, 'SELECT id FROM churns WHERE ' +
        `primary_cause IS NULL ORDER BY id LIMIT 1 OFFSET ${n}`);
    const audit = (code) => sql(ws.db, "SELECT action FROM audit WHERE " +
        `entity = 'taxonomy' AND entity_id = '${code}' ORDER BY id`);
    const newCause = {
        label: 'Late invoicing',
        definition: 'Invoices reached the customer late or wrong, and ' +
            'finance stopped the renewal.',
        sales_attributable: false,
        owner_role: 'vp_cs',
    };

    test('each cause shows its category, owner role and whether retired',
        async () => {
            const all = await causes();
            assert.equal(all.length, 13);
            const icp = all.find((x) => x.code === 'icp_miss');
            assert.deepEqual([icp.category, icp.owner_role, icp.retired],
                ['wrong_icp', null, false]);
            const pricing = all.find((x) => x.code === 'pricing');
            assert.deepEqual([pricing.category, pricing.owner_role],
                [null, 'revops']);
        });

    test('RevOps adds a cause; its code comes from the label', async () => {
        const r = await revops.post('/api/v1/settings/taxonomy', newCause);
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.code, 'late_invoicing');
        assert.deepEqual([r.json.label, r.json.owner_role, r.json.retired,
            r.json.sales_attributable, r.json.category],
        ['Late invoicing', 'vp_cs', false, false, null]);
        assert.ok(r.json.etag);
        const all = await causes(csm);
        assert.equal(all.at(-1).code, 'late_invoicing', 'added at the end');
        // Every role's /me names causes by the taxonomy, the UI's labels.
        const me = (await csm.get('/api/v1/me')).json;
        assert.equal(me.cause_labels.late_invoicing, 'Late invoicing');
        assert.equal(me.cause_labels.icp_miss, 'Wrong ICP');
        assert.equal(audit('late_invoicing'), 'insert');
        const again = await revops.post('/api/v1/settings/taxonomy', newCause);
        assert.equal(again.status, 409, again.text);
        assert.equal(again.json.error.field, 'code');
    });

    test('a deal-attributable cause with an entered code and category',
        async () => {
            const r = await revops.post('/api/v1/settings/taxonomy', {
                code: 'scope_creep', label: 'Scope promised away',
                definition: 'The AE sold a scope services could not deliver.',
                sales_attributable: true, category: 'over_promised',
            });
            assert.equal(r.status, 201, r.text);
            assert.deepEqual([r.json.code, r.json.category, r.json.owner_role],
                ['scope_creep', 'over_promised', null]);
        });

    test('bad input is a 400 naming the field, and adds nothing', async () => {
        const n = (await causes()).length;
        for (const [body, field] of [
            [{ ...newCause, code: 'Bad Code' }, 'code'],
            [{ ...newCause, label: '!!!' }, 'code'],
            [{ ...newCause, label: 'x'.repeat(81) }, 'label'],
            [{ ...newCause, label: '' }, 'label'],
            [{ ...newCause, label: 'Other', definition: '' }, 'definition'],
            [{ ...newCause, label: 'Other', owner_role: 'boss' },
                'owner_role'],
            [{ ...newCause, label: 'Other', owner_role: undefined },
                'owner_role'],
            [{ ...newCause, label: 'Other', category: 'wrong_icp' },
                'category'],
            [{ ...newCause, label: 'Other', sales_attributable: true,
                category: 'nonsense' }, 'category'],
        ]) {
            const r = await revops.post('/api/v1/settings/taxonomy', body);
            assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
            assert.equal(r.json.error.field, field, r.text);
            assert.ok(!r.json.error.message.includes('\n'));
            assert.match(r.json.error.message, new RegExp(`^${field}: `));
        }
        assert.equal((await causes()).length, n);
    });

    test('other roles may read the taxonomy but not change it', async () => {
        const r = await csm.post('/api/v1/settings/taxonomy',
            { ...newCause, label: 'Mine' });
        assert.equal(r.status, 403, r.text);
        const c = await cause('late_invoicing');
        const p = await csm.patch('/api/v1/settings/taxonomy/late_invoicing',
            { retired: true }, { headers: { 'if-match': c.etag } });
        assert.equal(p.status, 403, p.text);
        const a = await admin.post('/api/v1/settings/taxonomy',
            { ...newCause, label: 'Billing disputes' });
        assert.equal(a.status, 201, a.text);
    });

    test('a CSM tags a churn with the added cause; it is routed to its role',
        async () => {
            const churn = untagged(0);
            const r = await csm.post(`/api/v1/churns/${churn}/tag`,
                { primary_cause: 'late_invoicing',
                    stated_reason: 'Your invoices were wrong three times.' });
            assert.equal(r.status, 200, r.text);
            const vpcs = ws.users.find((u) => u.role === 'vp_cs').id;
            assert.equal(sql(ws.db, "SELECT assignee_id FROM tasks WHERE " +
                `kind = 'cause_followup' AND subject_id = '${churn}'`), vpcs);
            const page = await revops.get(
                `/api/v1/accounts/${sql(ws.db, 'SELECT account_id FROM ' +
                    `churns WHERE id = '${churn}'`)}/page`);
            assert.equal(page.json.churn.tag.label, 'Late invoicing');
        });

    test('RevOps re-routes a cause with If-Match; a deal cause has no role',
        async () => {
            const c = await cause('late_invoicing');
            const none = await revops.patch(
                '/api/v1/settings/taxonomy/late_invoicing',
                { owner_role: 'marketing' });
            assert.equal(none.status, 428);
            const r = await revops.patch(
                '/api/v1/settings/taxonomy/late_invoicing',
                { owner_role: 'marketing' }, { headers: { 'if-match': c.etag } });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.owner_role, 'marketing');
            assert.equal(sql(ws.db, "SELECT value FROM config WHERE key = " +
                "'route_late_invoicing'"), 'marketing');
            const stale = await revops.patch(
                '/api/v1/settings/taxonomy/late_invoicing',
                { owner_role: 'vp_cs' }, { headers: { 'if-match': c.etag } });
            assert.equal(stale.status, 412);
            const icp = await cause('icp_miss');
            const bad = await revops.patch('/api/v1/settings/taxonomy/icp_miss',
                { owner_role: 'marketing' }, { headers: { 'if-match': icp.etag } });
            assert.equal(bad.status, 400, bad.text);
            assert.equal(bad.json.error.field, 'owner_role');
            // The next tag's follow-up goes to Marketing.
            const churn = untagged(0);
            assert.equal((await csm.post(`/api/v1/churns/${churn}/tag`,
                { primary_cause: 'late_invoicing' })).status, 200);
            const mkt = ws.users.find((u) => u.role === 'marketing').id;
            assert.equal(sql(ws.db, "SELECT assignee_id FROM tasks WHERE " +
                `kind = 'cause_followup' AND subject_id = '${churn}'`), mkt);
        });

    test('closeloop config set route_CODE re-routes an added cause, checked as the API',
        async () => {
            const set = (key, value) =>
                run(['config', 'set', key, value, '--db', ws.db]);
            const r = set('route_late_invoicing', 'revops');
            assert.equal(r.code, 0, r.stderr);
            assert.equal((await cause('late_invoicing')).owner_role, 'revops');
            assert.equal(ok(['config', 'get', 'route_late_invoicing', '--db',
                ws.db]).stdout, 'revops\n');
            // Refused with one line naming the key, and nothing changes.
            for (const [key, value, why] of [
                ['route_late_invoicing', 'boss', /expected a role \(csm, .*\) or none, got 'boss'/],
                ['route_scope_creep', 'vp_cs', /deal-attributable cause goes to the deal's AE/],
                ['route_icp_miss', 'marketing', /deal-attributable cause goes to the deal's AE/],
                ['route_bad_luck', 'vp_cs', /no cause 'bad_luck' in the workspace's taxonomy/],
            ]) {
                const no = set(key, value);
                assert.notEqual(no.code, 0, `${key} ${value}`);
                assert.equal(no.lines.length, 1, no.stderr);
                assert.match(no.stderr, new RegExp(`${key}: `));
                assert.match(no.stderr, why);
            }
            assert.equal((await cause('late_invoicing')).owner_role, 'revops');
            assert.equal((await cause('scope_creep')).owner_role, null);
            // Back to Marketing for the tests that follow.
            assert.equal(set('route_late_invoicing', 'marketing').code, 0);
            assert.equal((await cause('late_invoicing')).owner_role,
                'marketing');
        });

    test('a retired cause takes no new tag; old tags keep it and its label',
        async () => {
            const tagged = sql(ws.db, "SELECT id FROM churns WHERE " +
                "primary_cause = 'late_invoicing' ORDER BY id LIMIT 1");
            const c = await cause('late_invoicing');
            const r = await revops.patch(
                '/api/v1/settings/taxonomy/late_invoicing',
                { retired: true }, { headers: { 'if-match': c.etag } });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.retired, true);
            assert.deepEqual(audit('late_invoicing').split('\n'),
                ['insert', 'update']);
            // Still listed (for old tags' labels), marked retired.
            assert.equal((await causes(csm)).find((x) =>
                x.code === 'late_invoicing').retired, true);
            const churn = untagged(0);
            for (const body of [{ primary_cause: 'late_invoicing' },
                { primary_cause: 'pricing',
                    contributing_causes: ['late_invoicing'] }]) {
                const no = await csm.post(`/api/v1/churns/${churn}/tag`, body);
                assert.equal(no.status, 400, no.text);
                assert.match(no.json.error.message,
                    /^(primary_cause|contributing_causes): 'Late invoicing' is retired/);
                assert.ok(!no.json.error.message.includes('\n'));
            }
            assert.equal(sql(ws.db, 'SELECT primary_cause IS NULL FROM ' +
                `churns WHERE id = '${churn}'`), '1'.replace('1',
                ws.db.startsWith('postgres') ? 't' : '1'));
            // The churn tagged before keeps its tag and may be edited.
            const keep = await csm.post(`/api/v1/churns/${tagged}/tag`, {
                primary_cause: 'late_invoicing',
                diagnosis: 'Finance escalated after the third wrong invoice.',
            });
            assert.equal(keep.status, 200, keep.text);
            const page = await revops.get(
                `/api/v1/accounts/${sql(ws.db, 'SELECT account_id FROM ' +
                    `churns WHERE id = '${tagged}'`)}/page`);
            assert.equal(page.json.churn.tag.label, 'Late invoicing');
            // The monthly report of its month counts it under its label.
            const month = sql(ws.db, 'SELECT churned_on FROM churns WHERE ' +
                `id = '${tagged}'`).slice(0, 7);
            const monthly = await revops.get(
                `/api/v1/reports/monthly?period=${month}`);
            assert.equal(monthly.status, 200, monthly.text);
            const row = monthly.json.causes.find((x) =>
                x.code === 'late_invoicing');
            assert.ok(row, JSON.stringify(monthly.json.causes));
            assert.equal(row.label, 'Late invoicing');
            assert.ok(row.count >= 1);
            const report = await revops.get('/api/v1/reports/audit');
            assert.equal(report.status, 200, report.text);
        });

    test('a record written through the API and an import take an added cause',
        async () => {
            const acct = sql(ws.db, 'SELECT id FROM accounts ORDER BY id LIMIT 1');
            const rec = (id, primary) => ({ id, account_id: acct,
                churned_on: '2026-10-01', primary_cause: primary,
                contributing_causes: 'pricing' });
            const r = await revops.post('/api/v1/churns',
                rec('c-added-1', 'scope_creep'));
            assert.ok(r.status === 201 || r.status === 200, r.text);
            const bad = await revops.post('/api/v1/churns',
                rec('c-added-2', 'bad_luck'));
            assert.equal(bad.status, 400, bad.text);
            assert.equal(bad.json.error.field, 'primary_cause');
            // Retired: a new record may not take it, an import of history
            // may (it was tagged before the cause was retired).
            const c = await cause('scope_creep');
            assert.equal((await revops.patch('/api/v1/settings/taxonomy/scope_creep',
                { retired: true }, { headers: { 'if-match': c.etag } })).status,
            200);
            const no = await revops.post('/api/v1/churns',
                rec('c-added-3', 'scope_creep'));
            assert.equal(no.status, 400, no.text);
            assert.match(no.json.error.message, /^primary_cause: 'Scope promised away' is retired/);
            const file = path.join(ws.dir, 'history.csv');
            writeFileSync(file, 'id,account_id,churned_on,primary_cause,' +
                'tagged_by,tagged_on\n' + `c-added-4,${acct},2025-02-03,` +
                `scope_creep,${csm.user.id},2025-02-10\n`);
            ok(['import', 'churns', file, '--db', ws.db]);
            assert.equal(sql(ws.db, "SELECT primary_cause FROM churns WHERE " +
                "id = 'c-added-4'"), 'scope_creep');
        });

    test('the taxonomy holds at most 32 causes', async () => {
        let n = (await causes()).length;
        for (; n < 32; n++) {
            const r = await revops.post('/api/v1/settings/taxonomy',
                { ...newCause, label: `Filler ${n}` });
            assert.equal(r.status, 201, r.text);
        }
        const r = await revops.post('/api/v1/settings/taxonomy',
            { ...newCause, label: 'One too many' });
        assert.equal(r.status, 409, r.text);
        assert.equal(r.json.error.field, 'code');
        // Reports still load every cause.
        assert.equal((await revops.get('/api/v1/reports/monthly')).status, 200);
    });

    test('an un-retired cause is taken again', async () => {
        const c = await cause('late_invoicing');
        const r = await revops.patch('/api/v1/settings/taxonomy/late_invoicing',
            { retired: false }, { headers: { 'if-match': c.etag } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.retired, false);
        const churn = untagged(0);
        const t = await csm.post(`/api/v1/churns/${churn}/tag`,
            { primary_cause: 'late_invoicing' });
        assert.equal(t.status, 200, t.text);
    });
});
