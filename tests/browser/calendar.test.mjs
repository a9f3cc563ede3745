// The workspace's time zone and working week in the settings (issue 15),
// at desktop and phone widths: RevOps sets a zone the server does not know
// and is told so beside the field, then Australia/Sydney and a Sunday to
// Thursday week, which the workspace keeps.  axe on the tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, cli, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
    test(`RevOps sets the time zone and the working week (${label})`,
        { timeout: TEST_TIMEOUT }, async (t) => {
            const ctx = await startWorkspace(t, {
                prepare: (c) => {
                    c.revops = c.users.find((u) => u.role === 'revops').id;
                    c.passwords = [c.revops];
                },
            });
            const { page, errors } = await browser(t, { width, height });
            await signIn(page, ctx, ctx.revops, '/settings/holidays');
            const form = page.getByRole('form', { name: 'Time zone and working week' });
            await form.waitFor();
            assert.equal(await form.getByLabel('Working days').inputValue(), 'mon-fri');
            assert.deepEqual(await axeViolations(page), []);

            await form.getByLabel('Time zone').fill('Mars/Olympus');
            await form.getByRole('button', { name: 'Save the calendar' }).click();
            await form.getByText(/'Mars\/Olympus' is not a time zone this server knows/).waitFor();
            assert.equal(await form.getByLabel('Time zone').getAttribute('aria-invalid'), 'true');

            await form.getByLabel('Time zone').fill('Australia/Sydney');
            await form.getByLabel('Working days').selectOption({ label: 'Sunday to Thursday' });
            await form.getByRole('button', { name: 'Save the calendar' }).click();
            await form.getByText('Saved').waitFor();
            assert.equal(cli(ctx.db, ['config', 'get', 'timezone']).trim(), 'Australia/Sydney');
            assert.equal(cli(ctx.db, ['config', 'get', 'business_days']).trim(), 'sun-thu');
            await page.reload();
            await form.waitFor();
            assert.equal(await form.getByLabel('Time zone').inputValue(), 'Australia/Sydney');
            assert.equal(await form.getByLabel('Working days').inputValue(), 'sun-thu');
            assert.deepEqual(await axeViolations(page), []);
            if (label === 'phone')
                assert.ok(await page.evaluate(() =>
                    document.documentElement.scrollWidth <= innerWidth), 'no sideways scroll');
            await shot(page, `settings-calendar-${label}`);
            assert.deepEqual(errors, []);
        });
}
