// Issue 16: every page of the web UI, for the roles that reach it, at
// desktop and phone widths, has no serious or critical accessibility
// violation by axe-core (WCAG 2.x A and AA rules).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, shot, signIn, startWorkspace } from
    './lib.mjs';

// Each path in turn: its violations, "path: rule ...".
async function walk(page, ctx, paths, label) {
    const bad = [];
    for (const path of paths) {
        await page.goto(ctx.base + path);
        await page.locator('#main h1').first().waitFor();
        // Let the page's data come (its loading line goes).
        await page.locator('.loading').waitFor({ state: 'detached' })
            .catch(() => {});
        const v = await axeViolations(page);
        if (v.length) {
            await shot(page, `a11y-${label}-${path.replace(/\W+/g, '_')}`);
            bad.push(...v.map((x) => `${path}: ${x}`));
        }
    }
    return bad;
}

for (const [label, size] of [['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }]]) {
    test(`every page has no serious accessibility violation (${label})`,
        { timeout: 300000 }, async (t) => {
            const ctx = await startWorkspace(t, { users: ['u-revops-1',
                'u-ae-1', 'u-csm-1'] });
            const { page, errors } = await browser(t, size);
            const bad = [];
            await signIn(page, ctx, 'u-revops-1');
            const reports = ['monthly', 'bad-fit', 'icp', 'recovery', 'health',
                'audit', 'pipeline', 'patterns'].map((r) => `/reports/${r}`);
            const settings = ['/settings', '/settings/thresholds',
                '/settings/holidays', '/settings/users', '/settings/channels'];
            bad.push(...await walk(page, ctx, ['/', '/accounts', '/reports',
                ...reports, '/sessions', '/coaching', '/import', ...settings,
                '/me', '/nowhere'], `revops-${label}`));
            // An account page and a session page, reached by their links.
            await page.goto(`${ctx.base}/accounts`);
            await page.locator('table.data tbody a').first().click();
            await page.locator('#main h1').first().waitFor();
            bad.push(...(await axeViolations(page)).map((x) => `account: ${x}`));
            await page.goto(`${ctx.base}/sessions`);
            const s = page.locator('#main a[href^="/sessions/"]').first();
            if (await s.count()) {
                await s.click();
                await page.locator('#main h1').first().waitFor();
                bad.push(...(await axeViolations(page)).map((x) => `session: ${x}`));
            }
            await page.getByRole('button', { name: 'Sign out' }).click();
            await page.getByLabel('Email').waitFor();
            bad.push(...(await axeViolations(page)).map((x) => `sign-in: ${x}`));
            for (const u of ['u-ae-1', 'u-csm-1']) {
                await signIn(page, ctx, u);
                bad.push(...await walk(page, ctx, ['/', '/accounts',
                    '/coaching', '/me'], `${u}-${label}`));
                await page.getByRole('button', { name: 'Sign out' }).click();
                await page.getByLabel('Email').waitFor();
            }
            assert.deepEqual(bad, []);
            assert.deepEqual(errors, []);
        });
}
