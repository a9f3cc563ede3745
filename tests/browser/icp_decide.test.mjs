// Issue 14: the ICP review's decision in the UI.  Marketing proposes a
// version from the report's suggested change and adopts it (a new,
// immutable version with its owner and rationale), then records that a
// later review keeps it; a CSM sees the report but not the decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, browser, shot, signIn, startWorkspace, TEST_TIMEOUT }
    from './lib.mjs';

test('Marketing adopts the suggested ICP change and records a "no change"',
    { timeout: TEST_TIMEOUT }, async (t) => {
        let mkt, csm;
        const ctx = await startWorkspace(t, {
            prepare: (c) => {
                mkt = c.users.find((u) => u.role === 'marketing').id;
                csm = c.users.find((u) => u.role === 'csm').id;
                c.passwords = [mkt, csm];
            },
        });
        const api = await apiAs(ctx, mkt);
        const report = (await api.get('/reports/icp')).body;
        const sugg = report.suggested_change;
        assert.ok(sugg.new_criteria, 'the demo has a suggested change');
        const next = report.icp_version.version + 1;

        const cs = await browser(t);
        await signIn(cs.page, ctx, csm, '/reports/icp');
        await cs.page.getByRole('heading', { name: 'Churn by segment' }).waitFor();
        assert.equal(await cs.page.getByTestId('icp-decision').count(), 0);
        assert.deepEqual(cs.errors, []);

        const { page, errors } = await browser(t);
        await signIn(page, ctx, mkt, '/reports/icp');
        await page.getByTestId('icp-decision').waitFor();
        await page.getByRole('button', { name: 'Propose a version from the suggested change' }).click();
        assert.equal(await page.getByLabel('Criteria').inputValue(), sugg.new_criteria);
        assert.equal(await page.getByLabel('Owner').inputValue(), mkt);
        await page.getByLabel('Why this version').fill(
            'Champions new in the role churned at 2.7 times the rest; adopted at the Q3 review.');
        await shot(page, 'icp-propose');
        await page.getByRole('button', { name: 'Adopt this version' }).click();
        await page.getByTestId('icp-decided').filter({ hasText: `Version ${next} is the ICP` }).waitFor();
        const v = (await api.get(`/icp/${next}`)).body;
        assert.equal(v.criteria, sugg.new_criteria);
        assert.equal(v.owner_id, mkt);
        assert.match(v.rationale, /2\.7 times/);
        assert.equal(v.effective_on, (await api.get('/me')).body.today);
        // Issue 16: the new version reads in words, with its day as people
        // write it; the raw criteria stay in the API beside the words.
        assert.equal(v.criteria_words, sugg.new_criteria_words);
        const said = await page.getByTestId('icp-decided').textContent();
        assert.ok(said.includes(sugg.new_criteria_words), said);
        assert.ok(!said.includes(sugg.new_criteria), said);
        assert.doesNotMatch(said, /\d{4}-\d{2}-\d{2}/);
        assert.match(said, /from \d{1,2} [A-Z][a-z]{2} \d{4}:/);

        await page.getByRole('button', { name: 'Keep the definition' }).click();
        await page.getByLabel('Why the definition stays').fill('Within the intervals this quarter.');
        await page.getByRole('button', { name: 'Record: keep the ICP' }).click();
        await page.getByTestId('icp-decided').filter({ hasText: `Kept version ${next}` }).waitFor();
        assert.deepEqual(errors, []);
    });
