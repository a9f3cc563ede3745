// Issue 16: a sales manager opens a coaching item for one of its AEs,
// records the conversation privately and closes it, in the UI; the AE reads
// it and cannot write on it.  Desktop, then phone, with axe on each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, previousQuarter, shot, signIn, signOut,
    startWorkspace, TEST_TIMEOUT, TEST_TODAY } from './lib.mjs';

test('a sales manager opens, follows up and closes a coaching item; the AE ' +
    'reads it', { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-sales-manager-1',
        'u-ae-1'] });
    const ae = ctx.users.find((u) => u.id === 'u-ae-1');
    const { period } = previousQuarter(TEST_TODAY);
    const { page, errors } = await browser(t);
    await signIn(page, ctx, 'u-sales-manager-1');
    await page.getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Coaching' }).click();
    await page.getByRole('button', { name: 'Open a coaching item' }).click();
    const form = page.getByTestId('coaching-open');
    await form.getByLabel('AE').selectOption({ label: ae.name });
    await form.getByLabel('Cause').selectOption({ label: 'Feature over-promise' });
    await form.getByLabel('Quarter').selectOption(period);
    await form.getByLabel('Why (the finding)').fill('Two over-promised churns');
    assert.deepEqual(await axeViolations(page), []);
    await form.getByRole('button', { name: 'Open item' }).click();
    const item = page.getByTestId('coaching-item');
    await item.waitFor();
    assert.match(await item.innerText(), new RegExp(ae.name));
    await page.getByLabel('What was said and agreed')
        .fill('Agreed: no roadmap dates without the PM.');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByTestId('coaching-note').filter({ hasText: 'roadmap' })
        .waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Close the item' }).click();
    await page.getByRole('heading', { name: /Closed/ }).waitFor();
    assert.equal(await page.getByTestId('coaching-follow').count(), 0);
    const url = page.url();
    await signOut(page);

    // The AE reads it, on a phone; no follow-up form for the one coached.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ctx, 'u-ae-1', new URL(url).pathname);
    await item.waitFor();
    assert.match(await page.getByTestId('coaching-note').innerText(), /roadmap/);
    assert.equal(await page.getByTestId('coaching-follow').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.evaluate(() =>
        document.documentElement.scrollWidth > window.innerWidth + 1), false);
    await shot(page, 'coaching-item-ae-phone');
    assert.deepEqual(errors, []);
});
