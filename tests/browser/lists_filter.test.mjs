// The accounts list and the open pipeline, filtered, sorted and paged as a
// person does it (issue 16, "Lists"): RevOps picks an industry and a CSM by
// name, a minimum ARR and a renewal window, sorts by ARR, shows more rows,
// shares the URL and goes Back; a sales manager filters the pipeline by AE
// and sorts it, without the health it may not read; at desktop and phone
// widths, with axe.  lists.test.mjs has the search box.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

// Waits until the table shows the ids of want, in order.
async function shows(page, table, want, what) {
    const ids = () => page.locator(`${table} tbody tr`).evaluateAll((trs) =>
        trs.map((tr) => tr.dataset.id));
    for (let i = 0; i < 150; i++) {
        if (JSON.stringify(await ids()) === JSON.stringify(want))
            return;
        await page.waitForTimeout(100);
    }
    assert.deepEqual(await ids(), want, what);
}

const idsOf = (r) => r.body.items.map((x) => x.id);

test('accounts and the open pipeline filter, sort and page by the URL',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, {
            users: ['u-revops-1', 'u-sales-manager-1'] });
        const api = await apiAs(ctx, 'u-revops-1');
        const all = await api.get('/accounts?limit=1000');
        // A CSM and an industry with enough accounts to page through.
        const csm = all.body.items.find((a) => a.csm_id &&
            all.body.items.filter((b) => b.csm_id === a.csm_id).length > 5);
        const csmName = ctx.users.find((u) => u.id === csm.csm_id).name;

        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/accounts');
        await page.getByRole('heading', { name: 'Accounts' }).waitFor();
        const table = '#accounts-table';
        await page.locator(`${table} tbody tr`).first().waitFor();

        // ARR at least 10,000, largest first (the ARR header), then more.
        await page.getByLabel('ARR at least').fill('10000');
        await page.getByLabel('ARR at least').press('Enter');
        await page.getByRole('button', { name: 'ARR', exact: true }).click();
        let want = await api.get('/accounts?arr_min=10000&sort=-arr&limit=25');
        assert.ok(want.body.total > 25, 'more than a page of accounts');
        await shows(page, table, idsOf(want), 'ARR at least 10,000, by ARR');
        assert.match(await page.locator(`${table} th[aria-sort="descending"]`)
            .innerText(), /^ARR\s*▼$/);
        assert.match(page.url(), /arr_min=10000/);
        assert.match(page.url(), /sort=-arr/);
        await page.getByRole('button', { name: 'Show more' }).click();
        const more = await api.get('/accounts?arr_min=10000&sort=-arr&limit=50');
        await shows(page, table, idsOf(more), 'the next page after the first');
        assert.equal(await page.getByTestId('shown').innerText(),
            `Showing ${Math.min(50, more.body.total)} of ${more.body.total}`);
        await shot(page, '16-accounts-arr');
        // Printed: no navigation or filters, and every column keeps its
        // name (a sortable header is a button, which print hides).
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
        const heads = await page.locator(`${table} thead th`).evaluateAll((ths) =>
            ths.map((th) => th.innerText.trim()));
        assert.ok(heads.length > 5 && heads.every((h) => h.length > 0), heads.join(' | '));
        assert.ok(heads.includes('ARR') && heads.includes('Account'), heads.join(' | '));
        await page.emulateMedia({ media: 'screen' });

        // The CSM by name, and a renewal window.
        await page.getByLabel('CSM').selectOption({ label: csmName });
        await page.getByLabel('Renews on or after').fill('2027-01-01');
        await page.getByLabel('Renews on or after').press('Enter');
        const q = `arr_min=10000&sort=-arr&csm_id=${csm.csm_id}` +
            '&renewal_from=2027-01-01';
        want = await api.get(`/accounts?${q}&limit=25`);
        await shows(page, table, idsOf(want), 'CSM and renewal window');
        for (const row of want.body.items) {
            assert.equal(row.csm_id, csm.csm_id);
            assert.ok(row.renewal_on >= '2027-01-01' && row.arr >= 10000);
        }
        assert.match(await page.locator(`${table} caption`).innerText(),
            /matching the filters, by ARR, largest first/);
        // Health is a column for RevOps, with its own filter.
        assert.equal(await page.getByRole('button', { name: 'Health',
            exact: true }).count(), 1);
        const shared = page.url();

        // Back: the filters before the renewal window.
        await page.goBack();
        const before = await api.get('/accounts?arr_min=10000&sort=-arr' +
            `&csm_id=${csm.csm_id}&limit=25`);
        await shows(page, table, idsOf(before), 'Back drops the renewal window');
        assert.equal(await page.getByLabel('Renews on or after').inputValue(), '');
        assert.equal(await page.getByLabel('CSM').inputValue(), csm.csm_id);

        // The shared URL opens the same view.
        await page.goto(shared);
        await shows(page, table, idsOf(want), 'the shared URL');
        assert.deepEqual(await axeViolations(page), []);
        // On a phone the filters fold away under "Filters (3 set)".
        await page.setViewportSize({ width: 390, height: 844 });
        await page.reload();
        const folded = page.locator('summary', { hasText: 'Filters (3 set)' });
        await folded.waitFor();
        assert.equal(await page.getByLabel('Region').isVisible(), false);
        await folded.click();
        // A region, picked from the workspace's regions.
        const region = all.body.items.find((a) => a.region).region;
        await page.getByLabel('Region').selectOption(region);
        want = await api.get(`/accounts?${q}&region=${region}&limit=25`);
        await shows(page, table, idsOf(want), 'region on a phone');
        assert.deepEqual(await axeViolations(page), []);
        await shot(page, '16-accounts-phone');
        // Out of range: the API's message, the filters kept.
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await page.getByLabel('Health at least (0–100)').fill('80');
        await page.getByLabel('Health at least (0–100)').press('Enter');
        await page.getByLabel('Health at most (0–100)').fill('20');
        await page.getByLabel('Health at most (0–100)').press('Enter');
        await page.getByRole('alert').filter({ hasText: 'health_max must be at least health_min' })
            .waitFor();
        await page.setViewportSize({ width: 1280, height: 900 });
        assert.deepEqual(errors, []);

        // A sales manager's pipeline: by AE name, largest ARR first; no
        // health, which the role does not read.
        const sm = await browser(t);
        await signIn(sm.page, ctx, 'u-sales-manager-1', '/pipeline');
        const p = sm.page;
        await p.getByRole('heading', { name: 'Open pipeline' }).waitFor();
        const smApi = await apiAs(ctx, 'u-sales-manager-1');
        const open = await smApi.get('/deals?open=true&limit=1000');
        const ae = open.body.items.find((d) => d.ae_id &&
            open.body.items.filter((x) => x.ae_id === d.ae_id).length > 2);
        await p.getByLabel('AE', { exact: true }).selectOption({ label: ae.ae_name });
        await p.getByRole('button', { name: 'ARR', exact: true }).click();
        const pw = await smApi.get(`/deals?open=true&ae_id=${ae.ae_id}` +
            '&sort=-arr&limit=25');
        await shows(p, '#pipeline-table', idsOf(pw), 'the AE\'s open deals by ARR');
        assert.ok(pw.body.items.every((d) => d.ae_id === ae.ae_id &&
            !['closed_won', 'closed_lost'].includes(d.stage)));
        assert.equal(await p.getByLabel('Health at least (0–100)').count(), 0);
        assert.equal(await p.getByRole('button', { name: 'Account health' })
            .count(), 0);
        const first = p.locator('#pipeline-table tbody tr').first();
        assert.equal(await first.locator('td').nth(3).innerText(), ae.ae_name);
        assert.deepEqual(await axeViolations(p), []);
        await shot(p, '16-pipeline');
        await p.setViewportSize({ width: 390, height: 844 });
        await p.reload();
        await shows(p, '#pipeline-table', idsOf(pw), 'the same view on a phone');
        assert.deepEqual(await axeViolations(p), []);
        await shot(p, '16-pipeline-phone');
        assert.deepEqual(sm.errors, []);
    });
