// Issue 14: a CSM classifies a recovery and marks it as not led by CS; the
// record keeps it (cs_led false), the account page says so, and the form
// shows the box checked when it is opened again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, exportKind, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('rule: a CSM marks a recovery not CS-led in the classify form',
    { timeout: TEST_TIMEOUT }, async (t) => {
        let pick;
        const ctx = await startWorkspace(t, {
            prepare: (c) => {
                const users = new Map(c.users.map((u) => [u.id, u]));
                const deals = new Map(exportKind(c.db, 'deals').map((d) => [d.id, d]));
                const rec = exportKind(c.db, 'recoveries').find((r) =>
                    users.get(r.csm_id)?.role === 'csm' && r.cs_led !== 'false');
                assert.ok(rec, 'the demo has a recovery classified by a CSM');
                pick = { id: rec.id, csm: rec.csm_id,
                    account: deals.get(rec.new_deal_id).account_id };
                c.passwords = [pick.csm];
            },
        });
        const { page, errors } = await browser(t);
        const form = `/recoveries/${encodeURIComponent(pick.id)}/classify`;
        await signIn(page, ctx, pick.csm, form);
        await page.getByRole('heading', { name: `Classify the recovery ${pick.id}` }).waitFor();
        const box = page.getByLabel('CS did not lead this recovery');
        assert.equal(await box.isChecked(), false);
        await page.getByLabel('Recovery type').selectOption('timing');
        await page.getByLabel('What changed').fill('Their budget year turned; we did nothing.');
        await box.check();
        await shot(page, 'recovery-not-cs-led');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(/\/accounts\//);
        await page.getByText('No (left out of the recovery review)').waitFor();
        const rec = exportKind(ctx.db, 'recoveries').find((r) => r.id === pick.id);
        assert.equal(rec.cs_led, 'false');
        assert.equal(rec.recovery_type, 'timing');

        // The recovery review counts it apart, and shows days to the first
        // demo as a distribution, as the report says.
        const q = `${rec.logged_on.slice(0, 4)}Q${Math.floor((Number(rec.logged_on.slice(5, 7)) + 2) / 3)}`;
        const want = JSON.parse(cli(ctx.db, ['report', 'recovery', '--period', q,
            '--format', 'json']));
        assert.ok(want.not_cs_led >= 1);
        await page.goto(`${ctx.base}/reports/recovery?period=${q}`);
        await page.getByTestId('not-cs-led').waitFor();
        assert.equal(await page.getByTestId('not-cs-led').innerText(), String(want.not_cs_led));
        const demo = page.getByTestId('days-to-first-demo');
        for (const b of want.days_to_first_demo.bins)
            await demo.getByRole('rowheader', { name: b.bin, exact: true }).waitFor();
        assert.doesNotMatch(await page.locator('main').innerText(), /<=45|>45/);
        await shot(page, 'recovery-review-demo-days');

        // Opened again, the box is checked; unchecking it makes it CS-led.
        await page.goto(`${ctx.base}${form}`);
        await page.getByRole('heading', { name: `Classify the recovery ${pick.id}` }).waitFor();
        assert.equal(await box.isChecked(), true);
        await box.uncheck();
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForURL(/\/accounts\//);
        assert.equal(exportKind(ctx.db, 'recoveries').find((r) => r.id === pick.id).cs_led,
            'true');
        assert.deepEqual(errors, []);
    });
