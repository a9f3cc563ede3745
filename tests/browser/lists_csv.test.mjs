// Issue 16, "Export": the accounts list and the open pipeline download as
// CSV, every row under the page's filters and sort (not only the rows on
// screen), the columns the page shows, and a name a spreadsheet would run
// as a formula led by a '.  RevOps on a desktop, a sales manager (no health
// column) on a phone; axe on each page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, parseCsv, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

// Every item of the API's list at path, page after page.
async function all(api, path) {
    const items = [];
    let cursor = null;
    do {
        const r = await api.get(`${path}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200);
        items.push(...r.body.items);
        cursor = r.body.next_cursor;
    } while (cursor);
    return items;
}

// Clicks the download button; the file the browser saves.
async function download(page) {
    const [dl] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('button', { name: /^Download all \d+ as CSV$/ }).click()]);
    return { name: dl.suggestedFilename(), rows: parseCsv(readFileSync(await dl.path(), 'utf8')) };
}

test('the accounts list and the pipeline download whole as CSV, formulas neutralised',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1', 'u-sales-manager-1'] });
        const api = await apiAs(ctx, 'u-revops-1');
        const evil = '=HYPERLINK("http://x.test","open")';
        const r = await api.post('/accounts', { id: 'zz-csv-1', name: evil, status: 'customer',
            industry: 'software' });
        assert.equal(r.status, 201, JSON.stringify(r.body));

        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/accounts?industry=software&sort=-arr');
        await page.locator('#accounts-table tbody tr').first().waitFor();
        const want = await all(api, '/accounts?industry=software&sort=-arr');
        assert.ok(want.length > 25, 'more than one page on screen');
        const got = await download(page);
        assert.equal(got.name, 'accounts.csv');
        assert.deepEqual(Object.keys(got.rows[0]),
            ['Account', 'Status', 'Industry', 'Region', 'CSM', 'ARR', 'Renewal', 'Health']);
        assert.deepEqual(got.rows.map((x) => x.Account),
            want.map((a) => (a.name.startsWith('=') ? `'${a.name}` : a.name)));
        assert.deepEqual(got.rows.map((x) => x.ARR), want.map((a) => (a.arr === null ? '' : String(a.arr))));
        assert.ok(got.rows.some((x) => x.Account === `'${evil}`), 'the formula is led by a quote');
        assert.deepEqual(await axeViolations(page), []);
        await shot(page, 'lists-csv-accounts-desktop');

        // A sales manager, on a phone: the open pipeline, without health.
        const sm = await browser(t, { width: 390, height: 844 });
        const smApi = await apiAs(ctx, 'u-sales-manager-1');
        await signIn(sm.page, ctx, 'u-sales-manager-1', '/pipeline?sort=account');
        await sm.page.locator('#pipeline-table tbody tr').first().waitFor();
        const deals = await all(smApi, '/deals?open=true&sort=account');
        const p = await download(sm.page);
        assert.equal(p.name, 'pipeline.csv');
        assert.deepEqual(Object.keys(p.rows[0]),
            ['Account', 'Deal', 'Stage', 'AE', 'ARR', 'Created', 'Account renewal']);
        assert.deepEqual(p.rows.map((x) => x.Deal), deals.map((d) => d.id));
        assert.deepEqual(await axeViolations(sm.page), []);
        await shot(sm.page, 'lists-csv-pipeline-phone');
        assert.deepEqual([...errors, ...sm.errors], []);
    });
