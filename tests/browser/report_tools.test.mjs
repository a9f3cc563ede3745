// Issue 16, reports: a period is picked from a list, a bad period in a
// shared link keeps the page and says so, and the report downloads as the
// CLI's CSV file; at desktop and phone widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT, TEST_TODAY }
    from './lib.mjs';

for (const [label, size] of [['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }]]) {
    test(`a report's period is picked from a list, a bad one in the link is ` +
        `said, and the report downloads as the CLI's CSV (${label})`,
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
        const { page, errors } = await browser(t, size);
        await signIn(page, ctx, 'u-revops-1', '/reports/bad-fit?period=2026-13');
        // The page stays, with what was wrong and the picker.
        const alert = page.getByTestId('period-error');
        await alert.waitFor();
        assert.match(await alert.innerText(), /2026-13/);
        const pick = page.getByLabel('Quarter', { exact: true });
        // Today's quarter and the seven before it, newest first.
        const options = await pick.locator('option').allInnerTexts();
        assert.deepEqual(options.slice(0, 3), ['Choose…', '2026Q4', '2026Q3']);
        assert.equal(options.length, 9);
        await pick.selectOption('2026Q2');
        await page.waitForURL(/period=2026Q2/);
        await page.getByTestId('report-period').filter({ hasText: '2026Q2' })
            .waitFor();
        assert.equal(await page.getByLabel('Quarter', { exact: true }).inputValue(), '2026Q2');
        await shot(page, `report-tools-${label}`);

        // The CSV link is the CLI's file for the period shown.
        const href = await page.getByRole('link', { name: 'CSV' })
            .getAttribute('href');
        assert.match(href, /format=csv/);
        assert.match(href, /period=2026Q2/);
        const res = await page.request.get(ctx.base + href);
        assert.equal(res.status(), 200);
        assert.match(res.headers()['content-type'], /^text\/csv/);
        assert.equal(await res.text(), cli(ctx.db, ['report', 'bad-fit',
            '--period', '2026Q2', '--format', 'csv', '--now', TEST_TODAY]));
        // No sideways scroll on a phone.
        const wide = await page.evaluate(() =>
            document.documentElement.scrollWidth > window.innerWidth + 1);
        assert.equal(wide, false);
        assert.deepEqual(errors, []);
    });
}
