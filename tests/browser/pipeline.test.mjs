// VP Sales opens the open-pipeline report: the flagged deals of the CLI,
// each with its AE by name; Marketing may not open it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browser, cli, shot, signIn, startWorkspace } from './lib.mjs';

test('the pipeline report names AEs for sales leadership; marketing may not open it',
    { timeout: 180000 }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-vp-sales-1', 'u-marketing-1'] });
        const want = JSON.parse(cli(ctx.db, ['report', 'pipeline', '--format', 'json']));
        assert.ok(want.deals.length > 0, 'the demo has flagged open deals');
        const name = (id) => ctx.users.find((u) => u.id === id).name;

        const vp = await browser(t);
        await signIn(vp.page, ctx, 'u-vp-sales-1', '/reports/pipeline');
        await vp.page.getByRole('heading', { name: 'Flagged deals' }).waitFor();
        const rows = vp.page.locator('table.data tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), want.deals.length);
        const first = want.deals[0];
        const row = rows.filter({ hasText: first.deal_id });
        await row.getByText(name(first.ae_id), { exact: true }).waitFor();
        await shot(vp.page, 'pipeline-vp-sales');

        // The report lists open deals by AE: not for Marketing, who gets
        // the refusal, not an empty table.
        const mk = await browser(t);
        await signIn(mk.page, ctx, 'u-marketing-1', '/reports/pipeline');
        await mk.page.getByText('You do not have access to this').waitFor();
        const body = await mk.page.locator('main').innerText();
        for (const u of ctx.users.filter((x) => x.role === 'ae'))
            assert.ok(!body.includes(u.name) && !body.includes(u.id), u.id);
        assert.deepEqual([...vp.errors, ...mk.errors], []);
    });
