// The CRM write-back in the settings (issue 15), at desktop and phone
// widths: RevOps turns it on for HubSpot with a token (write-only: the page
// only says one is set), a CSM tags a churn of an account that came from
// HubSpot, and RevOps sees the pending write-back as the request it would
// be (the company's URL and the root cause's label), with nothing sent and
// the token nowhere on the page.  axe on the tab.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, cli, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const TOKEN = 'pat-na1-0a1b2c3d-4e5f-6789-abcd-ef0123456789';

for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
    test(`RevOps turns the HubSpot write-back on and checks what would be written (${label})`,
        { timeout: TEST_TIMEOUT }, async (t) => {
            const ctx = await startWorkspace(t, {
                prepare: (c) => {
                    c.revops = c.users.find((u) => u.role === 'revops').id;
                    c.csm = c.users.find((u) => u.role === 'csm').id;
                    c.passwords = [c.revops, c.csm];
                    // A company from HubSpot (its Record ID) that churned.
                    const a = join(c.dir, 'crm-accounts.csv');
                    writeFileSync(a, 'id,name,industry,employees,region,has_ops_function,' +
                        `csm_id,customer_since,status\n4711,Hub Co,Software,120,EMEA,true,${c.csm},` +
                        '2025-01-01,customer\n');
                    cli(c.db, ['import', 'accounts', a]);
                    const ch = join(c.dir, 'crm-churns.csv');
                    writeFileSync(ch, 'id,account_id,deal_id,churned_on,arr_lost,stated_reason,' +
                        'diagnosis,predictive_behavior,primary_cause,contributing_causes,' +
                        'tagged_by,tagged_on\nC-hub,4711,,2026-11-02,12000,,,,,,,\n');
                    cli(c.db, ['import', 'churns', ch]);
                },
            });
            const { page, errors } = await browser(t, { width, height });
            await signIn(page, ctx, ctx.revops, '/settings/crm');
            await page.getByRole('heading', { name: 'Write decisions back to the CRM' }).waitFor();
            await page.getByText('Nothing is waiting to be written: the write-back is off').waitFor();
            assert.deepEqual(await axeViolations(page), []);

            const form = page.getByRole('form', { name: 'CRM write-back' });
            await form.getByLabel('Write back to').selectOption({ label: 'HubSpot' });
            await form.getByLabel('Access token').fill(TOKEN);
            await form.getByRole('button', { name: 'Save the write-back' }).click();
            await form.getByText('Saved').waitFor();
            // Once the settings are read again, the token is only said to be set.
            await form.locator('input[placeholder="A token is set; type to replace it"]').waitFor();
            assert.equal(await form.getByLabel('Access token').inputValue(), '');

            // A bad address is refused beside its field, with what it takes.
            await form.getByLabel('CRM API address').fill('api.hubapi.com');
            await form.getByRole('button', { name: 'Save the write-back' }).click();
            await form.getByText(/expected an http:\/\/ or https:\/\/ address/).waitFor();
            await form.getByLabel('CRM API address').fill('');

            const csm = await apiAs(ctx, ctx.csm);
            const r = await csm.post('/churns/C-hub/tag', { primary_cause: 'icp_miss',
                stated_reason: 'We were never the right fit' });
            assert.equal(r.status, 200, JSON.stringify(r.body));

            await page.reload();
            const item = page.locator('.crm-pending li');
            await item.first().waitFor();
            assert.equal(await item.count(), 1);
            const text = await item.innerText();
            assert.match(text, /Churn root cause of account 4711 to HubSpot/);
            assert.match(text, /PATCH https:\/\/api\.hubapi\.com\/crm\/v3\/objects\/companies\/4711/);
            assert.match(text, /closeloop_churn_root_cause\s+Wrong ICP/);
            assert.doesNotMatch(await page.content(), new RegExp(TOKEN));
            assert.deepEqual(await axeViolations(page), []);
            if (label === 'phone')
                assert.ok(await page.evaluate(() =>
                    document.documentElement.scrollWidth <= innerWidth), 'no sideways scroll');
            await shot(page, `settings-crm-${label}`);
            assert.deepEqual(errors, []);
        });
}
