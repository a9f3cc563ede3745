// People (issue 16), at desktop and phone widths: an admin invites a
// person by name (the manager picked by name, no internal id typed or
// shown), the person opens the e-mailed one-time link (read from the
// outbox), chooses a password and is signed in; the link then says it was
// used; the admin changes the manager by name and deactivates the person,
// whose open session ends at once and whose sign-in is refused; then
// reactivates them and sends a password-reset link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

const NEW_PASSWORD = 'rosa-parker-pass-1';
const INVITEE = { name: 'Rosa Parker', email: 'rosa.parker@example.com', team: 'EMEA' };

// The invitation e-mail's link, as the outbox holds it.
function invitationLink(db, to) {
    const rows = JSON.parse(cli(db, ['outbox', '--format', 'json']));
    const m = rows.filter((r) => r.kind === 'invite' && r.channel === 'email' && r.body.includes(to));
    assert.equal(m.length, 1, 'one invitation e-mail');
    const link = m[0].body.match(/(https?:\/\/\S+\/invite#[0-9a-f]{64})/);
    assert.ok(link, 'the e-mail holds the link');
    return link[1];
}

// What ids look like (demo ids, and the one derived for the invitee).
const INTERNAL_ID = /\bu-[a-z-]+-\d+\b|rosa-parker/;

for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
    test(`an admin invites a person by name, the e-mailed link signs them in once, the admin changes their manager by name and deactivates them (${label})`,
        { timeout: TEST_TIMEOUT }, async (t) => {
            const ctx = await startWorkspace(t, {
                prepare: (c) => {
                    c.admin = c.users.find((u) => u.role === 'admin').id;
                    c.passwords = [c.admin];
                },
            });
            // Links in e-mails start with the address people open.
            cli(ctx.db, ['config', 'set', 'public_url', ctx.base]);
            const managers = ctx.users.filter((u) => u.role === 'sales_manager');
            assert.ok(managers.length >= 2, 'the demo has two sales managers');

            const { page, errors } = await browser(t, { width, height });
            page.on('dialog', (d) => d.accept());
            await signIn(page, ctx, ctx.admin, '/people');
            await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();

            // Invite: name, e-mail, a role and a manager by their labels.
            await page.getByLabel('Name', { exact: true }).fill(INVITEE.name);
            await page.getByLabel('E-mail').fill(INVITEE.email);
            await page.getByLabel('Role').selectOption({ label: 'Account executive' });
            await page.getByLabel('Manager').selectOption({ label: `${managers[0].name} (Sales manager)` });
            await page.getByLabel('Team').fill(INVITEE.team);
            await page.getByRole('button', { name: 'Send the invitation', exact: true }).click();
            await page.getByTestId('link-sent').waitFor();
            assert.match(await page.getByTestId('link-sent').innerText(), /e-mailed to rosa\.parker@example\.com/);
            const row = page.getByRole('row').filter({ hasText: INVITEE.name });
            await row.getByText('Invited').waitFor();
            assert.match(await row.innerText(), new RegExp(`Account executive[\\s\\S]*${managers[0].name}[\\s\\S]*EMEA`));
            const table = await page.locator('table.people-table').innerText();
            assert.doesNotMatch(table, INTERNAL_ID, 'no internal id on the People page');
            if (label === 'phone')
                assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
                    'the page does not scroll sideways');
            await shot(page, `people-invited-${label}`);

            // The person opens the link from the e-mail, in their own browser.
            const link = invitationLink(ctx.db, INVITEE.email);
            assert.ok(link.startsWith(ctx.base + '/invite#'));
            const other = await browser(t, { width, height });
            const p2 = other.page;
            await p2.goto(link);
            await p2.getByRole('heading', { name: `Welcome to closeloop, ${INVITEE.name}` }).waitFor();
            assert.equal(new URL(p2.url()).hash, '', 'the secret leaves the address bar');
            await p2.getByLabel('New password').fill('too-short');
            await p2.getByLabel('The same password again').fill('too-short');
            await p2.getByRole('button', { name: 'Set the password and sign in' }).click();
            await p2.getByText('at least 10 characters').first().waitFor();
            await p2.getByLabel('New password').fill(NEW_PASSWORD);
            await p2.getByLabel('The same password again').fill(NEW_PASSWORD);
            await p2.getByRole('button', { name: 'Set the password and sign in' }).click();
            await p2.getByTestId('me').filter({ hasText: INVITEE.name }).waitFor();
            await shot(p2, `people-accepted-${label}`);

            // The link works once.
            await p2.goto(link);
            await p2.getByRole('heading', { name: 'This link was used already' }).waitFor();

            // The admin sees the person active, and changes the manager by name.
            await page.reload();
            await row.getByText('Active').waitFor();
            await page.getByRole('button', { name: `Edit ${INVITEE.name}` }).click();
            await page.getByRole('heading', { name: `Edit ${INVITEE.name}` }).waitFor();
            await page.getByLabel('Manager').selectOption({ label: `${managers[1].name} (Sales manager)` });
            await page.getByRole('button', { name: `Save ${INVITEE.name}` }).click();
            await row.getByText(managers[1].name).waitFor();

            // Deactivating ends the person's open session at once.
            await page.getByRole('button', { name: `Deactivate ${INVITEE.name}` }).click();
            await row.getByText('Deactivated').waitFor();
            await shot(page, `people-deactivated-${label}`);
            await p2.goto(ctx.base + '/');
            await p2.getByRole('button', { name: 'Sign in' }).waitFor();
            await p2.getByLabel('Email').fill(INVITEE.email);
            await p2.getByLabel('Password').fill(NEW_PASSWORD);
            await p2.getByRole('button', { name: 'Sign in' }).click();
            await p2.getByText('this account is deactivated').waitFor();

            // A deactivated person is no manager to pick any more.
            const options = await page.getByLabel('Manager').locator('option').allInnerTexts();
            assert.ok(!options.some((o) => o.startsWith(INVITEE.name)), 'not offered as a manager');

            // Reactivated, and sent a password-reset link (e-mailed, one more row).
            await page.getByRole('button', { name: `Reactivate ${INVITEE.name}` }).click();
            await row.getByText('Active').waitFor();
            await page.getByRole('button', { name: `Reset password of ${INVITEE.name}` }).click();
            await page.getByTestId('link-sent').filter({ hasText: 'password-reset link' }).waitFor();
            const resets = JSON.parse(cli(ctx.db, ['outbox', '--format', 'json']))
                .filter((r) => r.kind === 'password_reset' && r.body.includes(ctx.base + '/invite#'));
            assert.equal(resets.length, 1);
            assert.deepEqual(errors, []);
            assert.deepEqual(other.errors, []);
        });
}
