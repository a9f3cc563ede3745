// "My notifications" (issue 15's chat, issue 16's daily digest), at desktop
// and phone widths: an AE finds the page from their account, chooses chat
// through their own Microsoft Teams webhook (refused first without one),
// sees that the webhook is set but never what it is, then the daily digest;
// the administrator changes another person's choice from People and maps a
// team channel to the team-safe kinds in Settings.  Every
// page without a serious accessibility violation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, cli, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const AE = 'u-ae-1';
const HOOK = 'https://example.webhook.office.com/webhookb2/a-secret-token';

async function checkPage(page, name) {
    assert.deepEqual(await axeViolations(page), [], name);
    const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, `${name}: no sideways scroll`);
}

for (const [label, width, height] of [['desktop', 1280, 900],
    ['phone', 390, 844]]) {
    test(`a person chooses chat or a daily digest for their notifications, ` +
        `and an admin changes it for someone (${label})`,
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, {
            users: [AE],
            prepare: (c) => {
                c.admin = c.users.find((u) => u.role === 'admin').id;
                c.passwords = [c.admin];
            },
        });
        const { page, errors } = await browser(t, { width, height });
        await signIn(page, ctx, AE);
        if (width < 600)
            await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('link', { name: 'Your account' }).click();
        await page.getByRole('link', { name: 'My notifications' }).click();
        await page.getByRole('heading', { name: 'My notifications', level: 1 })
            .waitFor();
        assert.equal(await page.title(), 'My notifications · closeloop');
        assert.equal(await page.getByRole('radio', { name: /^E-mail/ }).isChecked(), true,
            'e-mail is the default');
        assert.match(await page.getByTestId('chat-state').innerText(),
            /No chat webhook is set/);
        await checkPage(page, 'my notifications');

        // Chat without a webhook is refused, next to the field.
        await page.getByRole('radio', { name: /^Chat/ }).check();
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('chat needs a Slack or Teams incoming webhook URL')
            .waitFor();
        await checkPage(page, 'refused');

        await page.getByLabel('Chat service').selectOption({
            label: 'Microsoft Teams' });
        await page.getByLabel('Incoming webhook URL').fill(HOOK);
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Saved').waitFor();
        await page.getByText('A Microsoft Teams webhook is set.').waitFor();
        assert.match(cli(ctx.db, ['notify', AE]),
            /^u-ae-1: chat \(chat webhook set: teams\)/);

        // After a reload: chat, the webhook set, its URL nowhere on the page.
        await page.reload();
        await page.getByRole('heading', { name: 'My notifications' }).waitFor();
        assert.equal(await page.getByRole('radio', { name: /^Chat/ }).isChecked(), true);
        assert.equal(await page.getByLabel(/New incoming webhook URL/)
            .inputValue(), '');
        assert.doesNotMatch(await page.content(), /a-secret-token/);

        // The daily digest, at the workspace's hour.
        const digest = page.getByRole('radio', { name: /^Daily digest/ });
        assert.match(await page.locator('label', { has: digest }).innerText(),
            /from 08:00 UTC/);
        await digest.check();
        await page.getByRole('button', { name: 'Save' }).click();
        await page.getByText('Saved').waitFor();
        assert.match(cli(ctx.db, ['notify', AE]), /^u-ae-1: digest/);
        await shot(page, `notifications-${width}`);
        assert.deepEqual(errors, []);

        // The administrator, from People: back to e-mail for the AE.
        const ae = ctx.users.find((u) => u.id === AE);
        const admin = await browser(t, { width, height });
        await signIn(admin.page, ctx, ctx.admin, '/people');
        await admin.page.getByRole('link', { name: `Notifications of ${ae.name}` })
            .click();
        await admin.page.getByRole('heading',
            { name: `Notifications of ${ae.name}`, level: 1 }).waitFor();
        assert.equal(await admin.page.getByRole('radio', { name: /^Daily digest/ }).isChecked(),
            true);
        await checkPage(admin.page, 'notifications of a person');
        await admin.page.getByRole('radio', { name: /^E-mail/ }).check();
        await admin.page.getByRole('button', { name: 'Save' }).click();
        await admin.page.getByText('Saved').waitFor();
        assert.match(cli(ctx.db, ['notify', AE]), /^u-ae-1: email/);

        // A team channel: a Teams webhook that hears routed causes only.
        await admin.page.goto(`${ctx.base}/settings/channels`);
        const ch = admin.page.locator('form', { has: admin.page.getByRole(
            'heading', { name: 'Team channel 1' }) });
        await ch.waitFor();
        await ch.getByLabel('Chat service of team channel 1').selectOption({
            label: 'Microsoft Teams' });
        await ch.getByLabel('Webhook URL of team channel 1').fill(HOOK);
        await ch.getByLabel('A churn cause routed to its owner').check();
        await ch.getByRole('button', { name: 'Save team channel 1' }).click();
        await ch.getByText('A webhook is set.').waitFor();
        assert.equal(cli(ctx.db, ['config', 'get', 'chat_channel_1_kinds'])
            .trim(), 'cause_route');
        assert.equal(cli(ctx.db, ['config', 'get', 'chat_channel_1_format'])
            .trim(), 'teams');
        assert.doesNotMatch(await admin.page.content(), /a-secret-token/);
        await checkPage(admin.page, 'team channels');
        await shot(admin.page, `team-channels-${width}`);
        assert.deepEqual(admin.errors, []);
    });
}
