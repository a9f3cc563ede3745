// Issue 16, "Export": every table downloads as CSV, as the page shows it.
// A CS manager downloads its team's open work (desktop) and an account's
// deals (phone); an admin downloads the people.  The file has the table's
// column names and one row per row on screen, numbers as numbers; axe on
// each page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { axeViolations, browser, parseCsv, shot, signIn, signOut,
    startWorkspace, TEST_TIMEOUT } from './lib.mjs';

// Clicks the table's download button; the file's name and its rows (as
// arrays: the first is the header).
async function download(page, name) {
    const [dl] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('button', { name: `Download CSV of ${name}` }).click()]);
    return { file: dl.suggestedFilename(),
        text: readFileSync(await dl.path(), 'utf8') };
}

// What the table shows: its header and body rows' cell texts (a sort
// button's arrow aside).
const shown = (table) => table.evaluate((el) => {
    const cells = (tr) => [...tr.querySelectorAll('th, td')]
        .map((c) => c.innerText.replace(/[▲▼↑↓]/g, '').trim());
    return [cells(el.tHead.rows[0]),
        ...[...el.tBodies].flatMap((b) => [...b.rows].map(cells))];
});

// The CSV's rows as arrays of strings.
function rows(text) {
    const objs = parseCsv(text);
    const head = Object.keys(objs[0]);
    return [head, ...objs.map((o) => head.map((k) => o[k]))];
}

test('tables download as CSV: team work, an account\'s deals, the people',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-cs-manager-1',
            'u-admin-1'] });
        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-cs-manager-1', '/team');
        const work = page.getByTestId('team-work');
        await work.locator('tbody tr').first().waitFor();
        const got = await download(page, 'open work');
        assert.equal(got.file, 'open-work.csv');
        const want = await shown(work);
        assert.ok(want.length > 2, 'a header and people');
        assert.deepEqual(rows(got.text), want);
        assert.deepEqual(await axeViolations(page), []);

        // An account with deals, on a phone.
        const account = 'a-000001';
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${ctx.base}/accounts/${account}`);
        const deals = page.locator('table.data').first();
        await deals.locator('tbody tr').first().waitFor();
        const d = await download(page, 'deals');
        assert.equal(d.file, 'deals.csv');
        const dealsShown = await shown(deals);
        assert.deepEqual(rows(d.text), dealsShown);
        assert.equal(dealsShown[0][0], 'Deal');
        assert.deepEqual(await axeViolations(page), []);
        assert.equal(await page.evaluate(() =>
            document.documentElement.scrollWidth > window.innerWidth + 1), false);
        await shot(page, 'tables-csv-account-phone');

        // The admin's people.
        await signOut(page);
        await signIn(page, ctx, 'u-admin-1', '/people');
        const people = page.locator('table.people-table');
        await people.locator('tbody tr').first().waitFor();
        const p = await download(page, 'people');
        assert.equal(p.file, 'people.csv');
        const peopleRows = rows(p.text);
        assert.equal(peopleRows.length - 1, ctx.users.length);
        assert.deepEqual(peopleRows, await shown(people));
        assert.deepEqual(errors, []);
    });
