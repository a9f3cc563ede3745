// A CSM tags a churn with a deal-attributable cause in the UI; the AE who
// closed the original deal, signed in, sees the notification and the
// AE+CSM debrief task.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, exportKind, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('a CSM tags a churn as Wrong ICP and the AE sees the flag and the debrief',
    { timeout: TEST_TIMEOUT }, async (t) => {
        let pick;
        const ctx = await startWorkspace(t, {
            prepare: (c) => {
                // An untagged churn of the demo (the latest churns wait for
                // their tag) whose account has a CSM and whose deal an AE.
                const accounts = new Map(exportKind(c.db, 'accounts').map((a) => [a.id, a]));
                const deals = new Map(exportKind(c.db, 'deals').map((d) => [d.id, d]));
                const churn = exportKind(c.db, 'churns').find((x) => !x.primary_cause &&
                    accounts.get(x.account_id)?.csm_id && deals.get(x.deal_id)?.ae_id);
                assert.ok(churn, 'the demo has an untagged churn');
                pick = { churn: churn.id, account: churn.account_id,
                    name: accounts.get(churn.account_id).name,
                    csm: accounts.get(churn.account_id).csm_id,
                    ae: deals.get(churn.deal_id).ae_id };
                c.passwords = [pick.csm, pick.ae];
            },
        });

        // The CSM: the tagging task is in the inbox; the form shows the
        // definition of the cause chosen.
        const csm = await browser(t);
        await signIn(csm.page, ctx, pick.csm);
        const task = csm.page.getByRole('link', { name: `Tag the root cause of the churn of ${pick.name}` });
        await task.click();
        await csm.page.getByRole('heading', { name: `Tag the churn of ${pick.name}` }).waitFor();
        await csm.page.getByLabel('Primary cause').selectOption('icp_miss');
        const def = csm.page.getByTestId('cause-definition');
        await assert.doesNotReject(def.getByText('outside the ideal customer profile').waitFor());
        assert.match(await def.innerText(), /Deal-attributable/);
        await csm.page.getByLabel("The customer's stated reason, in their words")
            .fill('We are a team of eight; this was built for bigger companies.');
        await csm.page.getByLabel('Pre-sale deal behaviour that predicted it')
            .fill('No operations owner on any call; discount asked before the demo.');
        await shot(csm.page, '1-csm-tag-form');
        await csm.page.getByRole('button', { name: 'Save the tag' }).click();
        // Back on the account page, with the tag and its definition.
        await csm.page.waitForURL(new RegExp(`/accounts/${pick.account}`));
        await csm.page.getByTestId('primary-cause').filter({ hasText: 'Wrong ICP' }).waitFor();
        await shot(csm.page, '1-csm-account-page');

        // The AE: the churn flag in the notifications, the debrief task.
        const ae = await browser(t);
        await signIn(ae.page, ctx, pick.ae);
        const notes = ae.page.getByTestId('notifications');
        await notes.getByText(`${pick.name} churned: tagged Wrong ICP`).waitFor();
        const tasks = ae.page.getByTestId('tasks');
        const row = tasks.locator('li.task').filter(
            { hasText: `AE+CSM debrief (20 minutes) on the churn of ${pick.name}` });
        await row.waitFor();
        // A readable due day, and the other attendee by name.
        assert.match(await row.innerText(), /Due \d{1,2} [A-Z][a-z]{2} \d{4}/);
        assert.match(await row.innerText(),
            new RegExp(ctx.users.find((u) => u.id === pick.csm).name));
        await shot(ae.page, '1-ae-inbox');
        // The notification names the churned account; "Mark all read" clears
        // every New badge.
        const flag = notes.locator('li.note').filter({ hasText: `${pick.name} churned: tagged` });
        await flag.locator('.note-account').waitFor();
        assert.ok(await ae.page.locator('li.note.unread').count() > 0);
        await ae.page.getByTestId('inbox-read-all').click();
        await ae.page.getByText(/^0 unread of \d+$/).waitFor();
        assert.equal(await ae.page.locator('li.note.unread').count(), 0);
        assert.deepEqual([...csm.errors, ...ae.errors], []);
    });
