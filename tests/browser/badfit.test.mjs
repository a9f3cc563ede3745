// RevOps opens the quarterly bad-fit dashboard and sees its charts with
// the same figures as `closeloop report bad-fit --format json`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

const pct = (v) => `${(v * 100).toFixed(1)}%`;

test('RevOps sees the bad-fit dashboard with the figures of the CLI',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1');
        await page.getByRole('navigation', { name: 'Main' })
            .getByRole('link', { name: 'Reports' }).click();
        await page.getByRole('link', { name: 'Quarterly bad-fit review' }).click();
        const fig = page.getByTestId('chart-categories');
        await fig.waitFor();
        const period = (await page.getByTestId('report-period').innerText())
            .match(/Period (\d{4}Q[1-4])/)[1];
        const want = JSON.parse(cli(ctx.db, ['report', 'bad-fit', '--period', period,
            '--format', 'json']));
        assert.equal(want.period, period);

        // The chart draws exactly the CLI's figures...
        const drawn = JSON.parse(await fig.getAttribute('data-chart'));
        assert.deepEqual(drawn.labels, want.categories.map((c) => c.label));
        for (const k of ['count', 'share', 'ci_low', 'ci_high', 'threshold'])
            assert.deepEqual(drawn.values[k], want.categories.map((c) => c[k]), k);
        // ... and draws them: a dot per category, a whisker per interval.
        assert.equal(await fig.locator('circle.value').count(), want.categories.length);
        assert.equal(await fig.locator('g.whisker').count(), want.categories.length);
        assert.match(await fig.locator('svg[role=img]').getAttribute('aria-label'), /bad-fit category/);

        // The table beside it: the same numbers as text.
        for (const c of want.categories) {
            const row = page.locator(`[data-testid=categories] tr[data-category="${c.category}"]`);
            assert.equal(await row.locator('[data-field=count]').innerText(), String(c.count));
            assert.equal(await row.locator('[data-field=share]').innerText(), pct(c.share));
            assert.equal(await row.locator('[data-field=ci]').innerText(),
                `${pct(c.ci_low)} – ${pct(c.ci_high)}`);
            assert.equal((await row.locator('[data-field=fired]').innerText()).trim(),
                c.fired ? 'fired' : 'no');
        }
        assert.equal(await page.getByTestId('cohort-size').innerText(), String(want.cohort_size));
        const arr = Number((await page.getByTestId('arr-lost').innerText()).replace(/[$,]/g, ''));
        assert.equal(arr, Math.round(want.impact.arr_lost));
        // Every trigger's rule is on the page, word for word.
        for (const tr of want.triggers)
            await page.getByText(tr.rule).waitFor();
        // Team-facing: no AE is named on the dashboard.
        const body = await page.locator('main').innerText();
        for (const u of ctx.users.filter((x) => x.role === 'ae'))
            assert.ok(!body.includes(u.name) && !body.includes(u.id), u.id);
        await shot(page, '3-revops-bad-fit');

        // Another quarter through the period control: still the CLI's figures.
        await page.getByRole('button', { name: 'Previous period' }).click();
        await page.waitForURL(/period=/);
        const prev = new URL(page.url()).searchParams.get('period');
        await page.getByTestId('report-period').filter({ hasText: prev }).waitFor();
        const want2 = JSON.parse(cli(ctx.db, ['report', 'bad-fit', '--period', prev,
            '--format', 'json']));
        const drawn2 = JSON.parse(await page.getByTestId('chart-categories').getAttribute('data-chart'));
        assert.deepEqual(drawn2.values.share, want2.categories.map((c) => c.share));
        assert.deepEqual(errors, []);
    });
