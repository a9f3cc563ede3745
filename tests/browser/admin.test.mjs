// An admin changes their own password on "Your account", signs out and in
// with the new one, creates an API token (shown once, with a copy button)
// and sees it listed; the token works against the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, email, shot, signIn, signOut, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

const NEW_PASSWORD = 'admin-new-pass-1';

test('an admin changes their password and creates an API token',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, {
            prepare: (c) => {
                c.admin = c.users.find((u) => u.role === 'admin').id;
                c.passwords = [c.admin];
            },
        });
        const { page, errors } = await browser(t);
        await signIn(page, ctx, ctx.admin);
        await page.getByRole('navigation', { name: 'Main' })
            .getByRole('link', { name: 'Your account' }).click();
        await page.getByRole('heading', { name: 'Your account' }).waitFor();

        // A short password is refused inline, next to its field.
        await page.getByLabel('Current password').fill('demo-pass-1');
        await page.getByLabel('New password (at least 10 characters)').fill('short');
        await page.getByLabel('New password again').fill('short');
        await page.getByRole('button', { name: 'Change the password' }).click();
        await page.getByText('a new password needs at least 10 characters').waitFor();

        await page.getByLabel('New password (at least 10 characters)').fill(NEW_PASSWORD);
        await page.getByLabel('New password again').fill(NEW_PASSWORD);
        await page.getByRole('button', { name: 'Change the password' }).click();
        await page.getByText('Password changed').waitFor();

        // Sign out, and in again with the new password.
        await signOut(page);
        await page.getByLabel('Email').fill(email(ctx, ctx.admin));
        await page.getByLabel('Password').fill(NEW_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('me').waitFor();

        // A token: its secret shown once, then listed (without the secret).
        await page.goto(ctx.base + '/me');
        await page.getByRole('button', { name: 'Create a token' }).click();
        const secret = page.getByLabel('New token');
        await secret.waitFor();
        const token = await secret.inputValue();
        assert.match(token, /^clt_[0-9a-f]{64}$/);
        await page.getByRole('button', { name: 'Copy the token' }).waitFor();
        const id = (await page.getByTestId('new-token').locator('code').first().innerText()).trim();
        const row = page.getByTestId('tokens').getByRole('row').filter({ hasText: id });
        await row.waitFor();
        assert.match(await row.innerText(), /live/);
        assert.ok(!(await page.getByTestId('tokens').innerText()).includes(token.slice(4)));
        await shot(page, '5-admin-account-tokens');

        const me = await fetch(ctx.base + '/api/v1/me',
            { headers: { authorization: `Bearer ${token}` } });
        assert.equal(me.status, 200);
        assert.equal((await me.json()).id, ctx.admin);
        assert.deepEqual(errors, []);
    });
