// Issue 16: once RevOps retires a deal-attributable cause, the "Open a
// coaching item" form no longer offers it, while an item opened on it
// before keeps showing the cause by its taxonomy label (on the list and on
// the item).  Desktop and phone widths, with axe on each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, previousQuarter, shot, signIn,
    startWorkspace, TEST_TIMEOUT, TEST_TODAY } from './lib.mjs';

const SIZES = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];

test('a retired cause is not offered for a new coaching item; an old item keeps its label',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
        const { period } = previousQuarter(TEST_TODAY);
        const api = await apiAs(ctx, 'u-revops-1');
        const opened = await api.post('/coaching', { ae_id: 'u-ae-1',
            cause: 'feature_overpromise', period, note: 'Two over-promised churns' });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        const id = opened.body.id;

        // RevOps retires the cause in the settings.
        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/settings/taxonomy');
        await page.getByRole('form', { name: /^Feature over-promise/ })
            .getByRole('button', { name: 'Retire Feature over-promise' }).click();
        await page.getByRole('button', { name: 'Put Feature over-promise back in use' }).waitFor();
        const tax = (await api.get('/settings/taxonomy')).body.items;
        assert.equal(tax.find((c) => c.code === 'feature_overpromise').retired, true);

        for (const [name, size] of SIZES) {
            await page.setViewportSize(size);
            await page.goto(`${ctx.base}/coaching`);
            // The item opened before: listed under the cause's label.
            const link = page.getByRole('link', { name: `Feature over-promise — ${period}` });
            await link.waitFor();
            await page.getByRole('button', { name: 'Open a coaching item' }).click();
            const cause = page.getByTestId('coaching-open').getByLabel('Cause');
            await cause.locator('option', { hasText: 'Timeline over-promise' }).waitFor({ state: 'attached' });
            const offered = await cause.locator('option').allInnerTexts();
            assert.ok(offered.includes('Timeline over-promise'), offered.join(', '));
            assert.ok(!offered.includes('Feature over-promise'), `retired, not offered: ${offered.join(', ')}`);
            assert.deepEqual(await axeViolations(page), [], `coaching list ${name}`);
            await shot(page, `coaching-retired-form-${name}`);

            await link.click();
            await page.getByTestId('coaching-item').waitFor();
            assert.equal(await page.getByTestId('coaching-cause').innerText(), 'Feature over-promise');
            assert.match(page.url(), new RegExp(`/coaching/${id}$`));
            assert.deepEqual(await axeViolations(page), [], `coaching item ${name}`);
            await shot(page, `coaching-retired-item-${name}`);
        }
        assert.deepEqual(errors, []);
    });
