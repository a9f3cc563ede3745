// RevOps holds the monthly debrief in the browser: the pack as it stood,
// a decision, the one process change with its owner, then closing — which
// the page does not offer before the change is recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('RevOps holds the monthly debrief: decision, one change, close', { timeout: TEST_TIMEOUT },
    async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'] });
        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/sessions');
        // The server's first tick opened the debrief of last month.
        const open = JSON.parse(cli(ctx.db, ['session', 'list', '--status', 'open',
            '--format', 'json']));
        const debrief = open.find((s) => s.kind === 'monthly_debrief');
        assert.ok(debrief, 'a monthly debrief is open');
        await page.getByRole('link', { name: `Monthly debrief ${debrief.period}` }).click();
        await page.getByRole('heading', { name: new RegExp(`Monthly debrief ${debrief.period}`) })
            .waitFor();

        // The pack: the monthly dashboard of the pack's figures.
        const pack = JSON.parse(cli(ctx.db, ['session', 'pack', String(debrief.id)]));
        await page.getByTestId('pack').getByText(`${pack.churned_accounts}`, { exact: true })
            .first().waitFor();

        // Closing waits for the change.
        const close = page.getByRole('button', { name: 'Close the session' });
        assert.equal(await close.isDisabled(), true);
        await page.getByTestId('close-needs-change').waitFor();

        await page.getByLabel('Record a decision').fill('Untagged churns are tagged within a week.');
        await page.getByRole('button', { name: 'Add the decision' }).click();
        await page.getByRole('listitem').filter({ hasText: 'Untagged churns are tagged within a week.' })
            .waitFor();

        await page.getByLabel('Owner').selectOption('u-revops-1');
        await page.getByLabel('The process change').fill(
            'CSMs tag a churn within five business days; RevOps chases on day six.');
        await page.getByRole('button', { name: 'Record the change' }).click();
        await page.getByText(/check-in due/).waitFor();
        await shot(page, 'debrief-before-close');

        assert.equal(await close.isDisabled(), false);
        await close.click();
        await page.locator('h1').getByText('Closed').waitFor();

        // The CLI agrees: closed, with the decision and the change.
        const after = JSON.parse(cli(ctx.db, ['session', 'list', '--status', 'closed',
            '--format', 'json'])).find((s) => s.id === debrief.id);
        assert.ok(after, 'the debrief is closed');
        assert.equal(after.decisions.length, 1);
        const monthly = JSON.parse(cli(ctx.db, ['report', 'monthly', '--period', debrief.period,
            '--format', 'json']));
        assert.equal(monthly.process_change.description,
            'CSMs tag a churn within five business days; RevOps chases on day six.');
        assert.deepEqual(errors, []);
    });
