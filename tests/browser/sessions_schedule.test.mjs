// Issue 16: sessions opened and scheduled in the UI.  RevOps sees what
// opens next, opens an extra bad-fit review for a finished quarter (its
// pack as the cadence builds it), and schedules the month's debrief for a
// day of its choosing; a day out of range is refused with the range.  On a
// phone, the VP CS reads what opens next without the forms.  Today is
// 2026-11-18 (lib.mjs); axe on each page at both widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browser, cli, shot, signIn, signOut, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

test('RevOps opens a session now and schedules one; the VP CS sees what ' +
    'opens next', { timeout: TEST_TIMEOUT }, async (t) => {
    const ctx = await startWorkspace(t, { users: ['u-revops-1',
        'u-vp-cs-1'] });
    const { page, errors } = await browser(t);
    await signIn(page, ctx, 'u-revops-1', '/sessions');
    const next = page.getByRole('region', { name: 'Coming next' });
    await next.getByText('Monthly debrief 2026-11: opens 1 Dec 2026')
        .waitFor();
    assert.match(await next.innerText(), /Bad-fit review 2026Q4: opens/);
    assert.deepEqual(await axeViolations(page), []);

    // An extra bad-fit review for an earlier quarter, opened now.
    const open = page.getByRole('form', { name: 'Open a session now' });
    await open.getByLabel('Session').selectOption({ label: 'Bad-fit review' });
    await open.getByLabel('Period').selectOption('2026Q2');
    await open.getByRole('button', { name: 'Open the session' }).click();
    await page.getByRole('heading', { name: /Bad-fit review 2026Q2/ })
        .waitFor();
    await page.getByTestId('pack').waitFor();
    assert.match(await page.getByTestId('pack').innerText(), /2026Q2/);
    const listed = JSON.parse(cli(ctx.db, ['session', 'list', '--format',
        'json']));
    assert.equal(listed.filter((s) => s.kind === 'bad_fit_review' &&
        s.period === '2026Q2').length, 1);
    await shot(page, 'session-opened-by-hand');

    // The debrief of November, scheduled for the 10th of December.
    await page.getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Sessions' }).click();
    const sched = page.getByRole('form', { name: 'Schedule a session' });
    await sched.getByLabel('Session').selectOption({ label: 'Monthly debrief' });
    await sched.getByLabel('Period').selectOption('2026-11');
    await sched.getByLabel('Opens on').fill('2028-01-10');
    await sched.getByRole('button', { name: 'Schedule' }).click();
    await sched.getByRole('alert').filter({ hasText: '2026-11-18 to 2027-11-18' })
        .waitFor();
    await sched.getByLabel('Opens on').fill('2026-12-10');
    await sched.getByRole('button', { name: 'Schedule' }).click();
    await sched.getByText('Scheduled', { exact: true }).waitFor();
    await next.getByText('Monthly debrief 2026-11: opens 10 Dec 2026')
        .waitFor();
    assert.match(await next.innerText(), /10 Dec 2026 \(scheduled\)/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'sessions-schedule');
    await signOut(page);

    // The VP CS, on a phone: what opens next, no forms.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ctx, 'u-vp-cs-1', '/sessions');
    await next.getByText('Monthly debrief 2026-11: opens 10 Dec 2026')
        .waitFor();
    assert.equal(await page.getByRole('form', { name: 'Schedule a session' })
        .count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Open a session now' })
        .count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.evaluate(() =>
        document.documentElement.scrollWidth > window.innerWidth + 1), false);
    await shot(page, 'sessions-next-phone');
    await signOut(page);

    // RevOps on a phone: the forms fit and pass axe too.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ctx, 'u-revops-1', '/sessions');
    await page.getByRole('form', { name: 'Schedule a session' })
        .getByLabel('Opens on').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await page.evaluate(() =>
        document.documentElement.scrollWidth > window.innerWidth + 1), false);
    await shot(page, 'sessions-plan-phone');
    assert.deepEqual(errors, []);
});
