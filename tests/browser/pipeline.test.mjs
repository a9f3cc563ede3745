// VP Sales opens the open-pipeline report: the flagged deals of the CLI,
// ranked by evidence, a page at a time, each with its AE by name; the
// page filters by flag and AE and sorts; Marketing may not open it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('the pipeline report names AEs for sales leadership, pages, filters and sorts; marketing may not open it',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-vp-sales-1', 'u-marketing-1'] });
        const want = JSON.parse(cli(ctx.db, ['report', 'pipeline', '--format', 'json']));
        assert.ok(want.deals.length > 25, 'the demo has more flagged deals than a page');
        const name = (id) => ctx.users.find((u) => u.id === id).name;

        const vp = await browser(t);
        const page = vp.page;
        await signIn(page, ctx, 'u-vp-sales-1', '/reports/pipeline');
        await page.getByRole('heading', { name: 'Flagged deals' }).waitFor();
        const table = page.getByTestId('flagged-deals');
        const rows = table.locator('tbody tr');
        const caption = table.locator('caption');
        const ids = async () => rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.deal));
        // Waits until the table shows the deals of the given ids.
        const shows = async (expected, what) => {
            for (let i = 0; i < 100; i++) {
                if (JSON.stringify(await ids()) === JSON.stringify(expected))
                    return;
                await page.waitForTimeout(100);
            }
            assert.deepEqual(await ids(), expected, what);
        };

        // The first page: the 25 strongest, in the CLI's order, with ranks.
        await shows(want.deals.slice(0, 25).map((d) => d.deal_id), 'first page');
        await caption.getByText(`${want.deals.length} flagged deals`).waitFor();
        assert.equal(await rows.first().locator('td').first().innerText(), '1');
        const first = want.deals[0];
        await rows.filter({ hasText: first.deal_id }).getByText(name(first.ae_id), { exact: true }).waitFor();
        await page.getByText(`1–25 of ${want.deals.length}`).waitFor();
        await shot(page, 'pipeline-vp-sales');
        // Each flag in words, as its filter names it (not "Outside icp").
        const badges = await rows.locator('ul.flags .badge').allInnerTexts();
        assert.ok(badges.some((b) => b.trim() === 'Outside the ICP'), badges.join(', '));
        for (const b of badges)
            assert.ok(['Matches a churn pattern', 'Outside the ICP', 'Champion stability',
                'Slow to demo'].includes(b.trim()), b);

        // The next page continues the ranking.
        await page.getByRole('button', { name: 'Next page' }).click();
        await shows(want.deals.slice(25, 50).map((d) => d.deal_id), 'second page');
        assert.match(page.url(), /offset=25/);
        await page.getByRole('button', { name: 'Previous page' }).click();
        await shows(want.deals.slice(0, 25).map((d) => d.deal_id), 'back to the first page');

        // One flag: the deals that carry it, still ranked, counted.
        const slow = want.deals.filter((d) => d.flags.some((f) => f.flag === 'slow_to_demo'));
        assert.ok(slow.length > 0 && slow.length <= 25);
        await page.getByLabel('Flag', { exact: true }).selectOption('slow_to_demo');
        await shows(slow.map((d) => d.deal_id), 'slow to demo only');
        await caption.getByText(`${slow.length} flagged deal${slow.length === 1 ? '' : 's'} matching the filters`).waitFor();

        // And one AE: the flag filter stays, the AE's name on every row.
        const ae = slow[0].ae_id;
        await page.getByLabel('AE', { exact: true }).selectOption(ae);
        const both = slow.filter((d) => d.ae_id === ae);
        await shows(both.map((d) => d.deal_id), 'slow to demo, one AE');
        for (const text of await rows.locator('td:nth-child(4)').allInnerTexts())
            assert.equal(text, name(ae));

        // Sorted by ARR, largest first, across the AE's flagged deals.
        await page.getByLabel('Flag', { exact: true }).selectOption('');
        const mine = want.deals.filter((d) => d.ae_id === ae);
        await shows(mine.slice(0, 25).map((d) => d.deal_id), 'one AE, any flag');
        await page.getByLabel('Sort', { exact: true }).selectOption('-arr');
        const byArr = [...mine].sort((a, b) => (b.arr ?? -1) - (a.arr ?? -1) || a.rank - b.rank);
        await shows(byArr.slice(0, 25).map((d) => d.deal_id), 'one AE by ARR');
        assert.match(page.url(), /sort=-arr/);
        await shot(page, 'pipeline-filtered');

        // The report lists open deals by AE: not for Marketing, who gets
        // the refusal, not an empty table.
        const mk = await browser(t);
        await signIn(mk.page, ctx, 'u-marketing-1', '/reports/pipeline');
        await mk.page.getByText('You do not have access to this').waitFor();
        const body = await mk.page.locator('main').innerText();
        for (const u of ctx.users.filter((x) => x.role === 'ae'))
            assert.ok(!body.includes(u.name) && !body.includes(u.id), u.id);
        assert.deepEqual([...vp.errors, ...mk.errors], []);
    });
