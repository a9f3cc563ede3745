// On the README's demo (the loop replayed over six months), RevOps opens
// the loop-health dashboard: every check of every quarter shows the CLI's
// verdict and value, shares as percentages and days as days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const days = (v) => `${Number.isInteger(v) ? v : v.toFixed(1)} days`;

test('RevOps sees the loop-health checks of the CLI on a workspace where the loop has run',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'], loop: true });
        const want = JSON.parse(cli(ctx.db, ['report', 'health', '--format', 'json']));
        const latency = want.quarters.map((q) => q.checks.find((c) => c.check === 'signal_latency'));
        assert.ok(latency.some((c) => c.value !== null), 'the replay gives signal latency a value');

        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/reports/health');
        const table = page.getByTestId('health-checks');
        await table.waitFor();
        for (const q of want.quarters) {
            for (const c of q.checks) {
                const cell = table.locator(`td[data-check="${c.check}"][data-period="${q.period}"]`);
                const verdict = c.pass === true ? 'pass' : c.pass === false ? 'fail' : 'n/a';
                assert.match(await cell.innerText(), new RegExp(`^${verdict.replace('/', '\\/')}`),
                    `${q.period} ${c.check}`);
                const value = cell.locator('[data-field=value]');
                if (c.value === null) {
                    assert.equal(await value.count(), 0, `${q.period} ${c.check} has no value`);
                    continue;
                }
                const shown = await value.innerText();
                if (c.unit === 'share')
                    assert.equal(shown, pct(c.value), `${q.period} ${c.check}`);
                else if (c.unit === 'days')
                    assert.equal(shown, days(c.value), `${q.period} ${c.check}`);
                else
                    assert.ok(shown.trim().length > 0, `${q.period} ${c.check} is labelled`);
                assert.equal(await value.getAttribute('data-raw'), String(c.value));
            }
        }
        assert.equal(await page.getByTestId('passed').innerText(), String(want.summary.passed));
        assert.equal(await page.getByTestId('failed').innerText(), String(want.summary.failed));
        await shot(page, 'health-dashboard');
        assert.deepEqual(errors, []);
    });
