// An AE cannot open another AE's coaching item: by link in the UI (an
// error page) nor by the API (404, as for no item).  The AE concerned can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, browser, cli, exportKind, previousQuarter, shot, signIn,
    startWorkspace, TEST_TIMEOUT, TEST_TODAY } from './lib.mjs';

test("an AE cannot open another AE's coaching item, by link or by API",
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, {
            users: ['u-revops-1'],
            prepare: (c) => {
                // Over-promise churns over the coaching threshold in the last
                // full quarter: the server's first tick opens that quarter's
                // bad-fit review with private coaching items.
                const q = previousQuarter(TEST_TODAY);
                const churns = exportKind(c.db, 'churns').filter((x) =>
                    x.churned_on >= q.from && x.churned_on <= q.to && x.deal_id);
                assert.ok(churns.length >= 2, `churns in ${q.period}`);
                const n = Math.floor(churns.length * 0.3) + 1;
                for (const x of churns.slice(0, n))
                    cli(c.db, ['churn', 'tag', x.id, '--primary', 'feature_overpromise',
                        '--by', 'u-revops-1']);
                const deals = new Map(exportKind(c.db, 'deals').map((d) => [d.id, d]));
                c.coached = new Set(churns.slice(0, n).map((x) => deals.get(x.deal_id).ae_id));
                const aes = c.users.filter((u) => u.role === 'ae').map((u) => u.id);
                c.other = aes.find((a) => !c.coached.has(a));
                assert.ok(c.other, 'an AE without coaching items');
                c.passwords = [...c.coached, c.other];
            },
        });
        const revops = await apiAs(ctx, 'u-revops-1');
        let items = [];
        for (let i = 0; i < 50 && items.length === 0; i++) {
            items = (await revops.get('/coaching')).body.items;
            if (!items.length)
                await new Promise((ok) => setTimeout(ok, 200));
        }
        assert.ok(items.length > 0, 'the bad-fit review opened coaching items');
        const item = items[0];
        assert.notEqual(item.ae_id, ctx.other);

        // The other AE, by link: the error page, nothing of the item.
        const other = await browser(t);
        await signIn(other.page, ctx, ctx.other);
        await other.page.goto(`${ctx.base}/coaching/${item.id}`);
        const err = other.page.locator('.error-page');
        await err.waitFor();
        // Not found, as for an item that does not exist: a 403 would say
        // that a colleague has one.
        assert.equal(await err.getAttribute('data-status'), '404');
        assert.match(await err.innerText(), /Not found/);
        assert.equal(await other.page.getByTestId('coaching-item').count(), 0);
        assert.ok(!(await other.page.content()).includes(item.cause));
        await shot(other.page, '2-other-ae-coaching-404');
        // ... and by API, with the same session.
        const r = await other.page.request.get(`${ctx.base}/api/v1/coaching/${item.id}`);
        assert.equal(r.status(), 404);
        // The list shows the other AE nothing of it either.
        const list = await other.page.request.get(`${ctx.base}/api/v1/coaching`);
        assert.ok((await list.json()).items.every((c) => c.ae_id === ctx.other));

        // The AE concerned opens it.
        const own = await browser(t);
        await signIn(own.page, ctx, item.ae_id);
        await own.page.goto(`${ctx.base}/coaching/${item.id}`);
        await own.page.getByTestId('coaching-item').waitFor();
        assert.match(await own.page.getByTestId('coaching-item').innerText(), new RegExp(item.period));
        await shot(own.page, '2-own-ae-coaching');
        assert.equal((await (await apiAs(ctx, item.ae_id)).get(`/coaching/${item.id}`)).status, 200);
        assert.deepEqual([...other.errors, ...own.errors], []);
    });
