// Issue 16: every page of the web UI, for the roles that reach it, at
// desktop and phone widths, has no serious or critical accessibility
// violation by axe-core (WCAG 2.x A and AA rules).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, shot, signIn, startWorkspace } from
    './lib.mjs';

const WIDTHS = [['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }]];

// The page as it is, at each width (the layout is responsive: no reload):
// its violations, "where width: rule ...".
async function check(page, where) {
    const bad = [];
    for (const [label, size] of WIDTHS) {
        await page.setViewportSize(size);
        const v = await axeViolations(page);
        if (v.length) {
            await shot(page, `a11y-${label}-${where.replace(/\W+/g, '_')}`);
            bad.push(...v.map((x) => `${where} ${label}: ${x}`));
        }
    }
    return bad;
}

// Each path in turn, once its data has come.
async function walk(page, ctx, paths, who) {
    const bad = [];
    for (const path of paths) {
        await page.goto(ctx.base + path);
        await page.locator('#main h1').first().waitFor();
        await page.locator('.loading').waitFor({ state: 'detached' })
            .catch(() => {});
        bad.push(...await check(page, `${who} ${path}`));
    }
    return bad;
}

test('every page has no serious accessibility violation, at desktop and ' +
    'phone widths', { timeout: 300000 }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-revops-1', 'u-ae-1',
        'u-csm-1', 'u-admin-1', 'u-sales-manager-1'] });
    const { page, errors } = await browser(t);
    const bad = [];
    await signIn(page, ctx, 'u-revops-1');
    const reports = ['monthly', 'bad-fit', 'icp', 'recovery', 'health',
        'audit', 'pipeline', 'patterns'].map((r) => `/reports/${r}`);
    const settings = ['/settings', '/settings/thresholds',
        '/settings/holidays', '/settings/channels', '/settings/crm'];
    bad.push(...await walk(page, ctx, ['/', '/accounts', '/pipeline', '/reports',
        ...reports, '/sessions', '/coaching', '/team', '/import', ...settings,
        '/me', '/nowhere'], 'revops'));
    // An account page and a session page, reached by their links.
    await page.setViewportSize(WIDTHS[0][1]);
    await page.goto(`${ctx.base}/accounts`);
    await page.locator('table.data tbody a').first().click();
    await page.locator('#main h1').first().waitFor();
    bad.push(...await check(page, 'an account'));
    await page.goto(`${ctx.base}/sessions`);
    const s = page.locator('#main a[href^="/sessions/"]').first();
    if (await s.count()) {
        await s.click();
        await page.locator('#main h1').first().waitFor();
        bad.push(...await check(page, 'a session'));
    }
    await page.setViewportSize(WIDTHS[0][1]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
    bad.push(...await check(page, 'sign-in'));
    const own = { 'u-admin-1': ['/people', '/settings'],
        'u-sales-manager-1': ['/team', '/coaching?new=1'] };
    for (const u of ['u-ae-1', 'u-csm-1', 'u-admin-1', 'u-sales-manager-1']) {
        await page.setViewportSize(WIDTHS[0][1]);
        await signIn(page, ctx, u);
        bad.push(...await walk(page, ctx, own[u] || ['/', '/accounts',
            '/pipeline', '/coaching', '/me'], u));
        await page.setViewportSize(WIDTHS[0][1]);
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByLabel('Email').waitFor();
    }
    assert.deepEqual(bad, []);
    assert.deepEqual(errors, []);
});
