// Issue 16: every page of the web UI, for the roles that reach it, at
// desktop and phone widths, has no serious or critical accessibility
// violation by axe-core (WCAG 2.x A and AA rules).  The walk is cut in
// four files (this one, a11y_reports, a11y_settings, a11y_roles) so that
// each stays well within its time on a loaded machine and two run at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { A11Y_WIDTHS, a11yCheck, a11yWalk, browser, signIn, signOut,
    startWorkspace, TEST_TIMEOUT } from './lib.mjs';

test('RevOps\'s pages, an account, a session and the sign-in page have no ' +
    'serious accessibility violation, at desktop and phone widths',
{ timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
    const { page, errors } = await browser(t);
    const bad = [];
    await signIn(page, ctx, 'u-revops-1');
    bad.push(...await a11yWalk(page, ctx, ['/', '/accounts', '/pipeline',
        '/reports', '/sessions', '/coaching', '/team', '/nowhere'], 'revops'));
    // An account page and a session page, reached by their links.
    await page.setViewportSize(A11Y_WIDTHS[0][1]);
    await page.goto(`${ctx.base}/accounts`);
    await page.locator('table.data tbody a').first().click();
    await page.locator('#main h1').first().waitFor();
    bad.push(...await a11yCheck(page, 'an account'));
    await page.setViewportSize(A11Y_WIDTHS[0][1]);
    await page.goto(`${ctx.base}/sessions`);
    const s = page.locator('#main a[href^="/sessions/"]').first();
    if (await s.count()) {
        await s.click();
        await page.locator('#main h1').first().waitFor();
        bad.push(...await a11yCheck(page, 'a session'));
    }
    await signOut(page);
    bad.push(...await a11yCheck(page, 'sign-in'));
    assert.deepEqual(bad, []);
    assert.deepEqual(errors, []);
});
