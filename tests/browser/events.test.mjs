// RevOps sees the inbound events that failed (source, when, error, what
// they carried) on the Events page, retries one once its account exists
// and discards another; both leave the failed list (issue 15).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { apiAs, browser, cli, shot, signIn, startWorkspace, TEST_NOW,
    TEST_TIMEOUT } from './lib.mjs';

const SECRET = 'browser-webhook-secret-0123';

// A generic webhook event signed as a sender would (docs/integrations.md).
async function send(ctx, id, record) {
    const body = JSON.stringify({ id, kind: 'deal', record });
    const ts = Math.floor(Date.parse(TEST_NOW + 'Z') / 1000);
    const sig = createHmac('sha256', SECRET).update(`${ts}.${body}`)
        .digest('hex');
    const r = await fetch(`${ctx.base}/api/v1/webhooks/generic`, {
        method: 'POST', body, headers: { 'Content-Type': 'application/json',
            'X-Closeloop-Timestamp': String(ts),
            'X-Closeloop-Signature': `sha256=${sig}` } });
    assert.equal(r.status, 200, await r.text());
}

const deal = (id, account) => ({ id, account_id: account, type: 'new',
    stage: 'closed_won', created_on: '2026-10-01', closed_on: '2026-11-17',
    arr: 40000 });

test('RevOps retries and discards failed inbound events', { timeout: TEST_TIMEOUT },
    async (t) => {
        const ctx = await startWorkspace(t, {
            users: ['u-revops-1'],
            prepare: (c) => cli(c.db, ['config', 'set',
                'webhook_generic_secret', SECRET]),
        });
        await send(ctx, 'crm-1', deal('web-deal-1', 'web-acct-1'));
        await send(ctx, 'crm-2', deal('web-deal-2', 'web-acct-2'));

        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/events');
        await page.getByRole('heading', { name: 'Inbound events' }).waitFor();
        const rows = page.getByTestId('event');
        await rows.first().waitFor();
        assert.equal(await rows.count(), 2);
        const first = rows.nth(0);
        assert.match(await first.innerText(), /Generic webhook/);
        assert.match(await first.innerText(), /deal web-deal-1/);
        assert.match(await first.getByTestId('event-error').innerText(),
            /account_id: no accounts 'web-acct-1'/);
        await shot(page, 'events-1-failed');

        // The missing account arrives (an import, here the API); the retry
        // applies the event.
        const revops = await apiAs(ctx, 'u-revops-1');
        const a = await revops.post('/accounts', { id: 'web-acct-1',
            name: 'Web Account', status: 'customer' });
        assert.equal(a.status, 201);
        await page.getByRole('button', { name: /^Retry event/ }).first().click();
        await page.getByTestId('event-note').getByText(/is applied/).waitFor();
        // The note comes with the answer, the list with its reload.
        await page.waitForFunction(() =>
            document.querySelectorAll('[data-testid="event"]').length === 1);
        assert.equal(await rows.count(), 1);
        // The other is given up.
        await page.getByRole('button', { name: /^Discard event/ }).click();
        await page.getByTestId('event-note').getByText(/is discarded/).waitFor();
        await page.getByText('No failed events.').waitFor();
        // ... and is found under its status.
        await page.getByLabel('Status').selectOption('discarded');
        await rows.first().waitFor();
        assert.match(await rows.first().innerText(), /web-deal-2/);
        await shot(page, 'events-2-discarded');
        const deal1 = await revops.get('/deals/web-deal-1');
        assert.equal(deal1.body.stage, 'closed_won');
        assert.deepEqual(errors, []);
    });
