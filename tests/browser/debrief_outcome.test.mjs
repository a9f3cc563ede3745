// Issue 16: the AE records the AE+CSM debrief in the UI (notes, and the
// tag disputed with a reason), not only "done"; the dispute reaches the
// CSM's inbox and the churn's audit trail, and both debrief tasks close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, cli, exportKind, shot, signIn, signOut,
    startWorkspace, TEST_NOW, TEST_TIMEOUT } from './lib.mjs';

test('an AE records the debrief and disputes the tag; the CSM hears it',
    { timeout: TEST_TIMEOUT }, async (t) => {
        let pick;
        const ctx = await startWorkspace(t, {
            prepare: (c) => {
                const accounts = new Map(exportKind(c.db, 'accounts').map((a) => [a.id, a]));
                const deals = new Map(exportKind(c.db, 'deals').map((d) => [d.id, d]));
                const churn = exportKind(c.db, 'churns').find((x) => !x.primary_cause &&
                    accounts.get(x.account_id)?.csm_id && deals.get(x.deal_id)?.ae_id);
                pick = { churn: churn.id, csm: accounts.get(churn.account_id).csm_id,
                    name: accounts.get(churn.account_id).name,
                    ae: deals.get(churn.deal_id).ae_id };
                c.passwords = [pick.csm, pick.ae];
                // The CSM tagged it over-promised: the AE's debrief opens.
                cli(c.db, ['churn', 'tag', pick.churn, '--primary',
                    'feature_overpromise', '--stated', 'The SSO we were shown never came',
                    '--by', pick.csm, '--now', TEST_NOW]);
            },
        });
        const { page, errors } = await browser(t);
        await signIn(page, ctx, pick.ae);
        const row = page.getByTestId('tasks').locator('li.task').filter(
            { hasText: `debrief (20 minutes) on the churn of ${pick.name}` });
        await row.getByRole('link', { name: 'Record the debrief' }).click();
        await page.getByRole('heading', { name: `Debrief of the churn of ${pick.name}` })
            .waitFor();
        await page.getByLabel('Notes').fill('SSO was on the roadmap slide; I said Q2.');
        await page.getByLabel('I dispute the tag').check();
        await page.getByLabel('Why the tag is wrong').fill(
            'Their IT team chose another vendor: competitive loss, not a promise.');
        assert.deepEqual(await axeViolations(page), []);
        await shot(page, 'debrief-outcome-form');
        await page.getByRole('button', { name: 'Record the debrief' }).click();
        await page.waitForURL(`${ctx.base}/`);
        // Both attendees' debrief tasks are done.
        const open = JSON.parse(cli(ctx.db, ['tasks', '--format', 'json']))
            .filter((x) => x.kind === 'debrief' && x.subject_id === pick.churn);
        assert.deepEqual(open.filter((x) => x.status === 'open'), []);
        // The audit trail keeps the outcome beside the tag.
        const trail = JSON.parse(cli(ctx.db, ['history', '--entity', 'churns',
            '--id', pick.churn, '--format', 'json']));
        const held = trail.find((a) => a.action === 'debrief_held');
        assert.equal(held.actor, pick.ae);
        assert.match(JSON.stringify(held), /disputed/);
        await signOut(page);

        // The CSM hears of the dispute, with the AE's reason.
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page, ctx, pick.csm);
        const note = page.getByTestId('notifications')
            .getByText(`The AE disputes the tag of the churn of ${pick.name}`);
        await note.waitFor();
        assert.match(await page.getByTestId('notifications').innerText(),
            /competitive loss/);
        assert.deepEqual(await axeViolations(page), []);
        assert.deepEqual(errors, []);
    });
