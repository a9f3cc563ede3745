// A phone-sized viewport (390x844) shows the inbox usable: the page body
// does not scroll sideways, and the tasks, notifications and the menu are
// reachable and big enough to tap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, exportKind, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('the inbox is usable on a 390x844 phone', { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, {
        prepare: (c) => {
            // The CSM with the most accounts: a full inbox.
            const n = new Map();
            for (const a of exportKind(c.db, 'accounts'))
                if (a.csm_id)
                    n.set(a.csm_id, (n.get(a.csm_id) || 0) + 1);
            c.csm = [...n.entries()].sort((a, b) => b[1] - a[1])[0][0];
            c.passwords = [c.csm];
        },
    });
    const { page, errors } = await browser(t, { width: 390, height: 844 });
    await signIn(page, ctx, ctx.csm);
    const tasks = page.getByTestId('tasks');
    await tasks.waitFor();
    await page.getByTestId('notifications').or(page.getByText('No notifications.')).first().waitFor();

    const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
        view: window.innerWidth }));
    assert.ok(widths.doc <= widths.view && widths.body <= widths.view,
        `no horizontal scroll: ${JSON.stringify(widths)}`);

    // Every task link and button is inside the viewport's width and at
    // least 24 px tall, overdue ones first.
    const rows = await tasks.locator('li.task').evaluateAll((els) => els.map((e) => ({
        overdue: e.classList.contains('overdue'),
        due: (e.querySelector('time') || {}).getAttribute?.('datetime'),
    })));
    assert.ok(rows.length > 0, 'the CSM has open tasks');
    const firstLater = rows.findIndex((r) => !r.overdue);
    if (firstLater >= 0)
        assert.ok(rows.slice(firstLater).every((r) => !r.overdue), 'overdue first');
    for (const el of await tasks.locator('a, button').all()) {
        const b = await el.boundingBox();
        assert.ok(b.x >= 0 && b.x + b.width <= 390 + 0.5, `inside the width: ${JSON.stringify(b)}`);
        assert.ok(b.height >= 24, `tall enough to tap: ${JSON.stringify(b)}`);
    }
    await shot(page, '4-phone-inbox');

    // The menu: collapsed behind a labelled toggle, opens, and its links
    // work with the keyboard.
    const toggle = page.getByRole('button', { name: 'Menu' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const accounts = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' });
    await accounts.waitFor();
    await shot(page, '4-phone-menu');
    await accounts.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    const w2 = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w2 <= 390, `accounts page: no horizontal scroll (${w2})`);

    // Every control on the inbox has an accessible name.
    await page.goto(ctx.base + '/');
    await tasks.waitFor();
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('a, button, input, select, textarea')]
        .filter((e) => {
            const name = e.getAttribute('aria-label') || (e.labels && e.labels.length) || e.textContent.trim();
            return !name;
        }).map((e) => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    assert.deepEqual(errors, []);
});
