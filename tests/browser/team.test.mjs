// Issue 16, manager views: a CS manager sees its team's open and overdue
// tasks by person, filters them by kind, and opens one person's list; a
// sales manager sees pipeline flags and coaching items by AE; both at
// desktop and phone widths, with no serious accessibility violation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, shot, signIn, signOut, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const count = (xs, f) => xs.filter(f).length;

test('a CS manager sees open and overdue work by person, by kind; a sales ' +
    'manager sees flags and coaching by AE', { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-cs-manager-1',
        'u-sales-manager-1'] });
    const csm = ctx.users.filter((u) => u.manager_id === 'u-cs-manager-1');
    assert.ok(csm.length >= 2);
    const { page, errors } = await browser(t);
    await signIn(page, ctx, 'u-cs-manager-1');
    await page.getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Team' }).click();
    const table = page.getByTestId('team-work');
    await table.waitFor();
    // The figures are those of the tasks the API gives the manager: its
    // CSMs' open tasks.
    const api = await apiAs(ctx, 'u-cs-manager-1');
    const tasks = (await api.get('/tasks?assignee=*&status=open&limit=1000'))
        .body.items;
    assert.ok(tasks.length > 0);
    for (const u of csm) {
        const mine = tasks.filter((x) => x.assignee_id === u.id);
        if (!mine.length)
            continue;
        const cells = await table.locator(`tr[data-person="${u.name}"] td`)
            .allInnerTexts();
        assert.deepEqual(cells.map(Number), [mine.length,
            count(mine, (x) => x.overdue),
            count(mine, (x) => x.overdue && x.kind === 'churn_tagging')], u.name);
    }
    // Only churn tagging: the same people, fewer tasks.
    await page.getByLabel('Kind of task').selectOption('churn_tagging');
    const tagging = tasks.filter((x) => x.kind === 'churn_tagging');
    await table.locator('caption').filter({ hasText: `${tagging.length} open tasks` })
        .waitFor();
    // One person's list.
    const first = (await table.locator('tbody th button').first().innerText());
    await table.getByRole('button', { name: first }).click();
    const list = page.getByTestId('team-person');
    await list.waitFor();
    const theirs = tagging.filter((x) => x.assignee_name === first);
    assert.equal(await list.locator('li.task').count(), theirs.length);
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.evaluate(() =>
        document.documentElement.scrollWidth > window.innerWidth + 1), false);
    await shot(page, 'team-cs-manager-phone');
    await signOut(page);

    // The sales manager: flags and open coaching items by AE, named.
    await signIn(page, ctx, 'u-sales-manager-1', '/team');
    const sales = page.getByTestId('team-sales');
    await sales.waitFor();
    const sm = await apiAs(ctx, 'u-sales-manager-1');
    const deals = (await sm.get('/reports/pipeline')).body.deals;
    const coaching = (await sm.get('/coaching')).body.items
        .filter((c) => c.status !== 'closed');
    const aes = new Set([...deals.map((d) => d.ae_id),
        ...coaching.map((c) => c.ae_id)]);
    assert.equal(await sales.locator('tbody tr').count(), aes.size);
    for (const id of aes) {
        const u = ctx.users.find((x) => x.id === id);
        const mine = deals.filter((d) => d.ae_id === id);
        const cells = await sales.locator(`tr[data-ae="${u.name}"] td`)
            .allInnerTexts();
        assert.deepEqual(cells.map(Number), [mine.length,
            mine.reduce((n, d) => n + d.flags.length, 0),
            count(coaching, (c) => c.ae_id === id)], u.name);
    }
    assert.doesNotMatch(await page.locator('#main').innerText(), /u-ae-\d/);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
});
