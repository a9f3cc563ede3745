// Issue 14, won-deal review: the AE answers its questions in the UI from
// its inbox task; the CSM sees them pre-filled, adds Q5, Q6 and its own
// flags and holds the review; a 30-day check-in, opened by the tick, shows
// the review's answers and records a health reading that moves the
// account's health score and joins its history.  Desktop and phone widths.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { browser, cli, exportKind, shot, signIn, startWorkspace, TEST_TIMEOUT,
    TEST_TODAY } from './lib.mjs';

const AE = {
    q1: 'Their board set a churn target for Q3 after losing two logos',
    q2: 'Priya gets the regional director role if onboarding time halves',
    q3: 'Legal held the DPA for three weeks over EU hosting',
    q4: 'SSO with Okta live by 1 May, in the order form',
    q7: 'Expands to 60 seats once EMEA joins next year',
};

const addDays = (d, n) => {
    const x = new Date(`${d}T12:00:00Z`);
    x.setUTCDate(x.getUTCDate() + n);
    return x.toISOString().slice(0, 10);
};

// Two new customers won two days ago, imported as a CRM sync would bring
// them (the import applies the win at once: the CSM's review task, the
// AE's answers task), each with its own AE and CSM.
function newWins(c) {
    const ae = c.users.filter((u) => u.role === 'ae').map((u) => u.id).sort();
    const csm = c.users.filter((u) => u.role === 'csm').map((u) => u.id).sort();
    const closed = addDays(TEST_TODAY, -2);
    const picks = [0, 1].map((i) => ({ id: `d-async-${i + 1}`, account: `a-async-${i + 1}`,
        name: `Async Review Co ${i + 1}`,
        ae: ae[i], csm: csm[i], closed }));
    const file = (name, rows) => {
        const f = join(c.dir, name);
        writeFileSync(f, rows.map((r) => r.join(',')).join('\n') + '\n');
        return f;
    };
    cli(c.db, ['import', 'accounts', file('accounts.csv', [
        ['id', 'name', 'industry', 'employees', 'region', 'has_ops_function', 'csm_id',
            'customer_since', 'status'],
        ...picks.map((p) => [p.account, p.name, 'Software', 140, 'EMEA',
            'true', p.csm, closed, 'customer'])])]);
    cli(c.db, ['import', 'deals', file('deals.csv', [
        ['id', 'account_id', 'ae_id', 'type', 'source', 'stage', 'created_on',
            'first_demo_on', 'closed_on', 'arr', 'loss_reason', 'icp_fit_score',
            'champion_level', 'champion_tenure_months', 'exec_sponsor', 'use_case',
            'kickoff_on'],
        ...picks.map((p) => [p.id, p.account, p.ae, 'new', 'outbound', 'closed_won',
            '2026-08-03', '2026-08-20', closed, 30000, '', 72, 'director', 18, 'true',
            'reporting', ''])])]);
    return picks;
}

test('rule: the AE answers its review questions asynchronously in the UI, ' +
    'the CSM holds the review with them pre-filled and its own flags, and ' +
    'a 30-day check-in moves the health score with its history kept',
{ timeout: TEST_TIMEOUT }, async (t) => {
    let picks;
    const ctx = await startWorkspace(t, {
        prepare: (c) => {
            picks = newWins(c);
            c.passwords = picks.flatMap((p) => [p.ae, p.csm]);
        },
    });
    const sizes = [['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }]];
    for (const [i, [name, size]] of sizes.entries()) {
        const p = picks[i];
        const { page, errors } = await browser(t, size);

        // The AE: the task is in its inbox at once; the form saves.
        await signIn(page, ctx, p.ae, '/');
        const ask = page.getByRole('link', { name: `Answer the won-deal review questions for the deal with ${p.name}` });
        await ask.click();
        await page.getByRole('heading', { name: `Your answers for the review of the deal with ${p.name}` }).waitFor();
        // A generic answer is flagged as the AE types, by the server's rule.
        await page.locator('textarea[name=q2]').fill('The champion was supportive');
        await page.getByTestId('flag-q2').getByText('Generic').waitFor();
        for (const [k, v] of Object.entries(AE))
            await page.locator(`textarea[name=${k}]`).fill(v);
        await page.getByTestId('flag-q2').getByText('Generic').waitFor({ state: 'detached' });
        assert.equal(await page.locator('textarea[name=q5]').count(), 0, 'Q5 is the CSM\'s');
        await page.getByRole('button', { name: 'Save my answers' }).click();
        await page.getByText('Answers saved: the CSM sees them in the review').waitFor();
        await shot(page, `review-ae-answers-${name}`);
        // Answered: the AE's task is done and leaves its inbox.
        await page.goto(`${ctx.base}/`);
        await page.getByTestId('task-summary').waitFor();
        assert.equal(await ask.count(), 0);

        // The CSM: the review form shows the AE's answers.
        await page.context().clearCookies();
        await signIn(page, ctx, p.csm, `/deals/${encodeURIComponent(p.id)}/review`);
        await page.getByTestId('ae-prefilled').waitFor();
        assert.equal(await page.locator('textarea[name=q1]').inputValue(), AE.q1);
        assert.equal(await page.locator('textarea[name=q7]').inputValue(), AE.q7);
        await page.locator('textarea[name=q5]').fill('Renews if logo churn falls from 14% to 10%');
        await page.locator('textarea[name=q6]').fill('No exec sponsor since the COO left in February');
        await page.getByLabel('Implementation risk').check();
        await page.getByLabel('Context gaps').check();
        await page.getByLabel('Why (a short note for CS)').fill('Two admins, both contractors until March');
        await shot(page, `review-csm-prefilled-${name}`);
        await page.getByRole('button', { name: 'Record the review' }).click();
        await page.waitForURL(/\/accounts\//);
        const flags = page.getByTestId('csm-flags');
        await flags.waitFor();
        assert.match(await flags.innerText(), /Implementation risk, Context gaps/);
        assert.match(await flags.innerText(), /contractors until March/);
        const history = page.getByTestId('health-history');
        await history.waitFor();
        assert.equal(await history.locator('li').count(), 1);
        const initial = Number(await page.getByTestId('health').innerText());
        const rv = exportKind(ctx.db, 'reviews').find((r) => r.deal_id === p.id);
        assert.equal(rv.q2, AE.q2);
        assert.equal(rv.implementation_risk, 'true');
        assert.equal(rv.capacity_risk, 'false');

        // Thirty days after the close (no kickoff yet), less the notice:
        // the tick opens the check-in, in the CSM's inbox.
        cli(ctx.db, ['tick', '--now', `${addDays(p.closed, 25)}T08:00`]);
        await page.goto(`${ctx.base}/`);
        await page.getByRole('link', { name: `30-day check-in: ${p.name}` }).click();
        await page.getByTestId('checkin-review').waitFor();
        assert.match(await page.getByTestId('checkin-review').innerText(), /after losing two logos/);
        assert.match(await page.getByTestId('checkin-review').innerText(), /CSM flags: Implementation risk, Context gaps/);
        const score = initial >= 50 ? initial - 17 : initial + 17;
        await page.getByLabel('Health score now (0-100)').fill(String(score));
        await page.getByLabel('What the check-in found').fill('SSO slipped to May; Priya still engaged');
        await shot(page, `review-checkin-${name}`);
        await page.getByRole('button', { name: 'Record the check-in' }).click();
        await page.waitForURL(/\/accounts\//);
        await history.locator('li').nth(1).waitFor();
        assert.equal(Number(await page.getByTestId('health').innerText()), score);
        const last = await history.locator('li').nth(1).innerText();
        assert.match(last, new RegExp(`${score}\\s+check-in`));
        assert.match(last, /SSO slipped to May/);
        if (name === 'phone') {
            const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth,
                view: window.innerWidth }));
            assert.ok(w.doc <= w.view, `no horizontal scroll: ${JSON.stringify(w)}`);
        }
        await shot(page, `review-health-history-${name}`);
        assert.deepEqual(errors, []);
    }
});
