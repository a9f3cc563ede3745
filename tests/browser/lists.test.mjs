// The accounts list's search box (labelled, matches as you type) and the
// account page's audit trail, which loads more of the trail a page at a
// time ("Load more" until the API says there is no more).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, email, exportKind, PASSWORD, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

test('accounts are found as you type; the audit trail loads more', { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, {
        prepare: (c) => {
            c.revops = c.users.find((u) => u.role === 'revops').id;
            c.passwords = [c.revops];
            // An account whose name is one of a kind, searched in other case.
            const accounts = exportKind(c.db, 'accounts');
            c.account = accounts.find((a) => accounts.filter((b) =>
                b.name.toLowerCase().includes(a.name.toLowerCase())).length === 1);
        },
    });
    // 25 changes to the account: more than one page (20) of its trail.
    const login = await fetch(`${ctx.base}/api/v1/auth/login`, { method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: email(ctx, ctx.revops), password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const { csrf_token: csrf } = await login.json();
    const path = `${ctx.base}/api/v1/accounts/${encodeURIComponent(ctx.account.id)}`;
    for (let i = 0; i < 25; i++) {
        const cur = await fetch(path, { headers: { Cookie: cookie } });
        const r = await fetch(path, { method: 'PATCH', headers: { Cookie: cookie,
            'X-CSRF-Token': csrf, 'If-Match': cur.headers.get('etag'),
            'Content-Type': 'application/json' },
            body: JSON.stringify({ region: `region-${i}` }) });
        assert.equal(r.status, 200, await r.text());
    }
    const trail = await (await fetch(`${ctx.base}/api/v1/audit/accounts/` +
        `${encodeURIComponent(ctx.account.id)}?limit=500`,
    { headers: { Cookie: cookie } })).json();
    assert.ok(trail.items.length > 25);

    const { page, errors } = await browser(t);
    await signIn(page, ctx, ctx.revops, '/accounts');
    const box = page.getByLabel('Search accounts (name or id)');
    await box.waitFor();
    // Part of the name, in upper case: the list narrows to the one account.
    const part = ctx.account.name.slice(1).toUpperCase();
    await box.pressSequentially(part, { delay: 20 });
    const rows = page.locator('#accounts-table tbody tr');
    await page.waitForFunction(() =>
        document.querySelectorAll('#accounts-table tbody tr').length === 1);
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getByRole('link').innerText(), ctx.account.name);
    await shot(page, '5-accounts-search');

    await rows.first().getByRole('link').click();
    const own = page.locator('table.audit').filter({ hasText: 'oldest first' });
    await own.waitFor();
    // The trail's first page arrives after the table's heading.
    await own.locator('tbody tr').nth(19).waitFor();
    assert.equal(await own.locator('tbody tr').count(), 20);
    const more = page.getByRole('button', { name: 'Load more' });
    while (await more.count()) {
        const n = await own.locator('tbody tr').count();
        await more.click();
        await page.waitForFunction((k) => document.querySelector('table.audit tbody')
            .querySelectorAll('tr').length > k, n);
    }
    assert.equal(await own.locator('tbody tr').count(), trail.items.length);
    assert.ok((await own.innerText()).includes('region-24'));
    await shot(page, '5-account-audit-more');
    assert.deepEqual(errors, []);
});
