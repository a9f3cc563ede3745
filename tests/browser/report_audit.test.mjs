// Issue 16, "Plain language": the tagging audit names causes by the
// taxonomy's labels (never "Icp miss"), gives each CSM's chi-square p-value
// as strong / some / no evidence with the number on hover, names who
// changed a tag (never "[object Object]") and shows times in words.
// Desktop and phone widths, with axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, shot, signIn, startWorkspace,
    TEST_TIMEOUT } from './lib.mjs';

const SIZES = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];
const words = (p) => (p < 0.01 ? 'strong evidence' : p < 0.05 ? 'some evidence' : 'no evidence');

test('the tagging audit speaks in labels and evidence, not codes and p-values',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'], loop: true });
        const api = await apiAs(ctx, 'u-revops-1');
        const tax = (await api.get('/settings/taxonomy')).body.items;
        const { page, errors } = await browser(t);
        await signIn(page, ctx, 'u-revops-1', '/reports/audit');
        for (const [name, size] of SIZES) {
            await page.setViewportSize(size);
            const period = (await page.getByTestId('report-period').innerText())
                .match(/Period (\d{4}Q[1-4])/)[1];
            const d = (await api.get(`/reports/audit?period=${period}`)).body;
            assert.ok(d.csms.some((c) => c.p_value !== null), 'a CSM with a test');
            const cells = page.getByTestId('tag-mix-evidence');
            assert.equal(await cells.count(), d.csms.length);
            for (const [i, c] of d.csms.entries()) {
                const cell = cells.nth(i);
                if (c.p_value === null) {
                    assert.equal(await cell.innerText(), '—');
                    continue;
                }
                assert.equal(await cell.innerText(), words(c.p_value));
                assert.equal(await cell.locator('span').getAttribute('title'),
                    `p = ${Number(c.p_value).toPrecision(2)}`);
            }
            const text = await page.locator('main').innerText();
            const used = new Set(d.csms.flatMap((c) => Object.keys(c.distribution)));
            for (const code of used) {
                const lab = tax.find((x) => x.code === code).label;
                assert.ok(text.includes(lab), `${code} as ${lab}`);
            }
            assert.doesNotMatch(text, /Icp miss|\[object Object\]|\b[a-z]+_[a-z_]+\b/);
            assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}/, 'no raw timestamps');
            assert.deepEqual(await axeViolations(page), [], name);
            await shot(page, `report-audit-${name}`);
        }
        assert.deepEqual(errors, []);
    });
