// Settings (issue 16), at desktop and phone widths: RevOps adds a cause to
// the taxonomy (its code made from the label), re-routes it to another
// owner role and retires it, after which the churn tagging form no longer
// offers it; RevOps saves a threshold entered as a percentage, and a value
// out of range is refused next to its field with the range; a CSM opening
// the settings gets a plain "Not allowed" page with no form and no data.
// Every page passes the axe check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

const CAUSE = {
    label: 'Late invoicing',
    definition: 'Invoices reached the customer late or wrong, and finance stopped the renewal.',
};
const ICP_SHARE = "Wrong-ICP share of the quarter's churn cohort above which an ICP review opens";

async function noAxe(page, what) {
    const v = await axeViolations(page);
    assert.deepEqual(v, [], `axe on ${what}:\n${v.join('\n')}`);
}

async function noSidewaysScroll(page, label, what) {
    if (label === 'phone')
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
            `${what} does not scroll sideways`);
}

for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
    test(`RevOps adds, re-routes and retires a cause and saves a threshold as a percentage; a CSM is not allowed (${label})`,
        { timeout: TEST_TIMEOUT }, async (t) => {
            const ctx = await startWorkspace(t, {
                prepare: (c) => {
                    c.revops = c.users.find((u) => u.role === 'revops').id;
                    c.csm = c.users.find((u) => u.role === 'csm').id;
                    c.passwords = [c.revops, c.csm];
                },
            });
            const api = await apiAs(ctx, ctx.revops);
            const cause = async (code) => (await api.get('/settings/taxonomy')).body.items
                .find((x) => x.code === code);
            const { page, errors } = await browser(t, { width, height });
            await signIn(page, ctx, ctx.revops, '/settings/taxonomy');
            await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
            await page.getByRole('heading', { name: 'Add a cause' }).waitFor();
            await noAxe(page, 'the taxonomy');

            // Add: label, definition, not deal-attributable, owner VP CS.
            const add = page.getByRole('form', { name: 'Add a cause' });
            await add.getByLabel('Label', { exact: true }).fill(CAUSE.label);
            await add.getByLabel('Definition', { exact: true }).fill(CAUSE.definition);
            await add.getByLabel('Owner role').selectOption({ label: 'VP CS' });
            await add.getByRole('button', { name: 'Add the cause' }).click();
            await add.getByText('Cause added').waitFor();
            const card = page.getByRole('form', { name: /^Late invoicing/ });
            await card.waitFor();
            let c = await cause('late_invoicing');
            assert.ok(c, 'the code is made from the label');
            assert.deepEqual([c.label, c.owner_role, c.retired], [CAUSE.label, 'vp_cs', false]);
            // The same label again: refused next to the code field.
            await add.getByLabel('Label', { exact: true }).fill(CAUSE.label);
            await add.getByLabel('Definition', { exact: true }).fill(CAUSE.definition);
            await add.getByRole('button', { name: 'Add the cause' }).click();
            await add.locator('.field-error').filter({ hasText: /^code: a cause 'late_invoicing' exists already$/ }).waitFor();
            await noSidewaysScroll(page, label, 'the taxonomy');
            await shot(page, `settings-cause-added-${label}`);

            // Re-route: its follow-up goes to Marketing from now on.
            await card.getByLabel('Owner role of Late invoicing').selectOption({ label: 'Marketing' });
            await card.getByRole('button', { name: 'Save Late invoicing' }).click();
            await page.getByRole('form', { name: /^Late invoicing/ }).getByText('Saved').waitFor();
            assert.equal((await cause('late_invoicing')).owner_role, 'marketing');

            // Retire: kept, marked, and offered back.
            await page.getByRole('form', { name: /^Late invoicing/ })
                .getByRole('button', { name: 'Retire Late invoicing' }).click();
            await page.getByRole('button', { name: 'Put Late invoicing back in use' }).waitFor();
            c = await cause('late_invoicing');
            assert.deepEqual([c.retired, c.owner_role], [true, 'marketing']);
            await noAxe(page, 'the taxonomy with a retired cause');
            await shot(page, `settings-cause-retired-${label}`);

            // The tagging form offers it no more; the API refuses it.
            const churn = sql(ctx.db, 'SELECT id FROM churns WHERE primary_cause IS NULL ORDER BY id LIMIT 1');
            await page.goto(`${ctx.base}/churns/${churn}/tag`);
            const primary = page.getByLabel('Primary cause');
            await primary.waitFor();
            const offered = await primary.locator('option').allInnerTexts();
            assert.ok(offered.some((o) => o.startsWith('Pricing')), offered.join(', '));
            assert.ok(!offered.some((o) => o.startsWith(CAUSE.label)), 'a retired cause is not offered');
            assert.equal(await page.getByRole('checkbox', { name: CAUSE.label }).count(), 0);
            const refused = await api.post(`/churns/${churn}/tag`, { primary_cause: 'late_invoicing' });
            assert.equal(refused.status, 400);
            assert.match(refused.body.error.message, /^primary_cause: 'Late invoicing' is retired/);

            // A threshold as a percentage: 150% is refused with the range
            // next to its field, 30% is saved as 0.3.
            await page.goto(`${ctx.base}/settings/thresholds`);
            const share = page.getByLabel(ICP_SHARE, { exact: true });
            await share.waitFor();
            assert.equal(await share.inputValue(), '25');
            const row = page.getByTestId('th-icp_review_share');
            assert.match(await row.innerText(), /%[\s\S]*From 0% to 100%/);
            assert.match(await page.getByTestId('th-debrief_due_business_days').innerText(),
                /A whole number of business days from 1 to 366/);
            await noAxe(page, 'the thresholds');
            await share.fill('150');
            await row.getByRole('button', { name: 'Save' }).click();
            await row.locator('.field-error').filter({ hasText: 'From 0% to 100%; got 150.' }).waitFor();
            assert.equal((await (await api.get('/settings/thresholds')).body.items
                .find((x) => x.key === 'icp_review_share')).value, 0.25, 'nothing saved');
            await share.fill('30');
            await row.getByRole('button', { name: 'Save' }).click();
            await page.getByTestId('th-icp_review_share').getByText('Saved').waitFor();
            assert.equal((await api.get('/settings/thresholds')).body.items
                .find((x) => x.key === 'icp_review_share').value, 0.3);
            assert.equal(await page.getByLabel(ICP_SHARE, { exact: true }).inputValue(), '30');
            await noSidewaysScroll(page, label, 'the thresholds');
            await shot(page, `settings-threshold-saved-${label}`);

            // The channels: ranges from the API, people picked by name.
            await page.goto(`${ctx.base}/settings/channels`);
            await page.getByLabel('Delivery attempts').waitFor();
            assert.match(await page.locator('form').first().innerText(), /A whole number from 1 to 20/);
            assert.equal(await page.getByLabel('RevOps person').locator('option')
                .filter({ hasText: /^u-/ }).count(), 0, 'no internal ids');
            await noAxe(page, 'the channels');
            assert.deepEqual(errors, []);

            // A CSM: a plain page, no form, no data asked for.
            const other = await browser(t, { width, height });
            const settingsCalls = [];
            other.page.on('request', (r) => {
                if (r.url().includes('/api/v1/settings') || r.url().includes('/api/v1/holidays'))
                    settingsCalls.push(r.url());
            });
            await signIn(other.page, ctx, ctx.csm, '/settings/thresholds');
            await other.page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
            assert.equal(await other.page.locator('main form, main input, main select, main textarea').count(), 0);
            assert.deepEqual(settingsCalls, []);
            await noAxe(other.page, 'the not-allowed page');
            await shot(other.page, `settings-not-allowed-${label}`);
            assert.deepEqual(other.errors, []);
        });
}
