// Issue 16, manager views: the inbox's tasks and notifications filter by
// kind ("Show tasks", "Show notifications"), each choice listing only that
// kind with the API's count, at desktop and phone widths, with no serious
// accessibility violation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const kindsOf = (page, testId, cls) => page.getByTestId(testId)
    .locator(`li.${cls}`).evaluateAll((els) => els.map((e) => e.dataset.kind));

for (const [width, height] of [[1280, 900], [390, 844]]) {
    test(`the inbox shows one kind of task or notification at a time ` +
        `(${width} px)`, { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-sales-manager-1'] });
        const api = await apiAs(ctx, 'u-sales-manager-1');
        const inbox = (await api.get('/inbox?limit=500')).body;
        const noteKinds = Object.keys(inbox.kinds);
        assert.ok(noteKinds.length >= 2, noteKinds.join(' '));
        const tasks = (await api.get('/tasks?status=open&limit=200')).body
            .items;

        const { page, errors } = await browser(t, { width, height });
        await signIn(page, ctx, 'u-sales-manager-1');
        await page.getByTestId('notifications').waitFor();
        assert.deepEqual(await axeViolations(page), []);

        // Each kind of notification on its own, then all again.
        const show = page.getByLabel('Show notifications');
        for (const k of noteKinds) {
            await show.selectOption(k);
            await page.waitForFunction((kind) => {
                const li = [...document.querySelectorAll(
                    '[data-testid="notifications"] li.note')];
                return li.length > 0 && li.every((e) => e.dataset.kind === kind);
            }, k);
            const shown = await kindsOf(page, 'notifications', 'note');
            assert.equal(shown.length, Math.min(inbox.kinds[k], 50), k);
            await assert.doesNotReject(page.getByText(
                new RegExp(`of ${inbox.kinds[k]}$`)).first().waitFor(), k);
        }
        await show.selectOption('');
        await page.waitForFunction((n) => document.querySelectorAll(
            '[data-testid="notifications"] li.note').length === n,
        Math.min(inbox.total, 50));

        // Tasks, when the manager has more than one kind of them.
        const taskKinds = [...new Set(tasks.map((x) => x.kind))];
        if (taskKinds.length >= 2) {
            const k = taskKinds[0];
            await page.getByLabel('Show tasks').selectOption(k);
            const shown = await kindsOf(page, 'tasks', 'task');
            assert.deepEqual([...new Set(shown)], [k]);
            assert.equal(shown.length, tasks.filter((x) => x.kind === k).length);
        }
        assert.deepEqual(await axeViolations(page), []);
        const overflow = await page.evaluate(() =>
            document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, 'no sideways scroll');
        await shot(page, `inbox-filter-${width}`);
        assert.deepEqual(errors, []);
    });
}
