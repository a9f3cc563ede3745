// report_charts.test.mjs - the report pages' charts, as a person checks
// them against the API's figures, at desktop and phone widths with axe:
// the retention (Kaplan-Meier) curves on a time axis to scale, intervals
// as whiskers spanning their bounds, the bad-fit and loop-health trends
// with one point per quarter, and an account's health history with one
// point per reading.  Every chart is an <svg role=img> with a name and
// its numbers in a table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAs, axeViolations, browser, exportKind, shot, signIn,
    startWorkspace, TEST_TIMEOUT } from './lib.mjs';

const near = (a, b, msg, tol = 0.6) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} vs ${b}`);

// The named, accessible figure: an svg with role img and a name, and a
// table of its numbers.
async function accessible(fig, name) {
    const svg = fig.locator('svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.match(await svg.getAttribute('aria-label'), name);
    assert.match(await svg.locator('title').textContent(), name);
}

async function circles(loc) {
    return loc.evaluateAll((cs) => cs.map((c) => ({ cx: Number(c.getAttribute('cx')),
        cy: Number(c.getAttribute('cy')), ...c.dataset })));
}

const SIZES = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];

test('the report charts draw the API\'s figures to scale, accessibly, at both widths',
    { timeout: TEST_TIMEOUT }, async (t) => {
        const ctx = await startWorkspace(t, { users: ['u-revops-1'], loop: true });
        const api = await apiAs(ctx, 'u-revops-1');
        // The account whose won deal has the most health readings.
        const won = exportKind(ctx.db, 'deals').filter((d) => d.stage === 'closed_won')
            .sort((a, b) => (b.closed_on < a.closed_on ? -1 : 1)).slice(0, 12);
        let acct = null;
        for (const d of won) {
            const p = (await api.get(`/accounts/${encodeURIComponent(d.account_id)}/page`)).body;
            const n = p.health?.history?.length ?? 0;
            if (n > (acct?.history.length ?? 1))
                acct = { id: d.account_id, history: p.health.history };
        }
        assert.ok(acct, 'an account with two health readings or more');

        for (const [name, size] of SIZES) {
            const { page, errors } = await browser(t, size);
            await signIn(page, ctx, 'u-revops-1', '/reports/icp');

            // Retention: each curve's points at x proportional to their day.
            const ret = page.getByTestId('chart-retention');
            await ret.waitFor();
            const period = (await page.getByTestId('report-period').innerText())
                .match(/Period (\d{4}Q[1-4])/)[1];
            const icp = (await api.get(`/reports/icp?period=${period}`)).body;
            await accessible(ret, /retained/);
            const series = ret.locator('g.series');
            assert.equal(await series.count(), icp.retention.length);
            let scale = null, censored = 0;
            for (const [i, c] of icp.retention.entries()) {
                const pts = await circles(series.nth(i).locator('circle.point'));
                assert.deepEqual(pts.map((p) => Number(p.day)), c.points.map((p) => p.day));
                const x0 = pts[0].cx;
                for (const [k, p] of c.points.entries()) {
                    if (p.day === 0)
                        continue;
                    scale ??= (pts[k].cx - x0) / p.day;
                    near(pts[k].cx - x0, scale * p.day, `${c.cohort} day ${p.day}`);
                }
                // A step curve: horizontal then vertical runs only.
                assert.match(await series.nth(i).locator('path').getAttribute('d'), /^M[\d.,]+(H[\d.]+V[\d.]+)*$/);
                // A censoring tick across the curve at each point after
                // which customers were censored, at that point's x.
                const ticks = await series.nth(i).locator('line.censor').evaluateAll((ls) =>
                    ls.map((l) => ({ x: Number(l.getAttribute('x1')), day: Number(l.dataset.day),
                        n: Number(l.dataset.censored) })));
                const want = c.points.filter((p) => p.censored > 0);
                assert.deepEqual(ticks.map((k) => [k.day, k.n]), want.map((p) => [p.day, p.censored]),
                    `${c.cohort} censoring ticks`);
                for (const k of ticks)
                    near(k.x, pts[c.points.findIndex((p) => p.day === k.day)].cx, `${c.cohort} tick ${k.day}`);
                censored += want.length;
            }
            assert.ok(censored > 0, 'the demo has customers censored before the end');
            assert.ok(await ret.locator('details table tbody tr').count() > 0);
            // The table gives the censored counts too.
            const shown = await ret.locator('details table .censored').evaluateAll((cs) =>
                cs.map((c) => Number(c.dataset.censored)));
            assert.deepEqual(shown.sort(), icp.retention.flatMap((c) => c.points)
                .map((p) => p.censored).filter((n) => n > 0).sort());
            assert.match(await ret.locator('.chart-note').innerText(), /censored/);

            // Churn by segment: each whisker spans its interval, the dot inside it.
            const seg = page.getByTestId('chart-segments');
            await accessible(seg, /95% interval/);
            const rows = seg.locator('g.row');
            const segs = [...icp.segments].sort((a, b) => (b.ratio_vs_rest ?? 0) - (a.ratio_vs_rest ?? 0))
                .slice(0, 12);
            assert.equal(await rows.count(), segs.length);
            for (const [i, s] of segs.entries()) {
                const w = rows.nth(i).locator('g.whisker');
                assert.equal(Number(await w.getAttribute('data-low')), s.ci_low);
                assert.equal(Number(await w.getAttribute('data-high')), s.ci_high);
                const span = w.locator('line.span');
                const x1 = Number(await span.getAttribute('x1'));
                const x2 = Number(await span.getAttribute('x2'));
                const [dot] = await circles(rows.nth(i).locator('circle.value'));
                // The same scale as every row: value / bound = distance / distance.
                const at = (v) => x1 + ((v - s.ci_low) / (s.ci_high - s.ci_low)) * (x2 - x1);
                near(dot.cx, at(s.churn_12m), `segment ${s.value}`);
                assert.ok(x1 <= dot.cx && dot.cx <= x2);
            }
            assert.deepEqual(await axeViolations(page), [], `icp ${name}`);
            await shot(page, `report-charts-icp-${name}`);

            // Bad-fit: whiskers on the categories, one trend point per quarter.
            await page.goto(`${ctx.base}/reports/bad-fit`);
            const trend = page.getByTestId('trend-bad-fit');
            await trend.waitFor();
            const bp = (await page.getByTestId('report-period').innerText())
                .match(/Period (\d{4}Q[1-4])/)[1];
            const bf = (await api.get(`/reports/bad-fit?period=${bp}`)).body;
            const cats = page.getByTestId('chart-categories');
            await accessible(cats, /bad-fit category/);
            for (const [i, c] of bf.categories.entries()) {
                const w = cats.locator('g.row').nth(i).locator('g.whisker');
                assert.equal(Number(await w.getAttribute('data-low')), c.ci_low, c.label);
                assert.equal(Number(await w.getAttribute('data-high')), c.ci_high, c.label);
            }
            const bt = (await api.get(`/reports/bad-fit/trend?quarters=8&period=${bp}`)).body;
            assert.equal(bt.quarters.at(-1).period, bp);
            await accessible(trend, /bad-fit category/);
            const lines = trend.locator('g.series');
            assert.equal(await lines.count(), bt.quarters.at(-1).categories.length);
            const first = await circles(lines.nth(0).locator('circle.point'));
            assert.deepEqual(first.map((p) => p.period), bt.quarters.map((q) => q.period));
            assert.deepEqual(first.map((p) => Number(p.value)),
                bt.quarters.map((q) => q.categories[0].share));
            assert.deepEqual(await axeViolations(page), [], `bad-fit ${name}`);
            await shot(page, `report-charts-bad-fit-${name}`);

            // Loop health: one chart, the trend of checks passing, one
            // point per quarter; the checks' numbers in a table.
            await page.goto(`${ctx.base}/reports/health`);
            const ht = page.getByTestId('trend-health');
            await ht.waitFor();
            await page.getByTestId('health-checks').waitFor();
            assert.equal(await page.locator('main canvas, main figure.chart').count(), 1,
                'one chart on the loop-health page');
            const h = (await api.get('/reports/health/trend?quarters=8')).body;
            await accessible(ht, /Loop-health checks/);
            const passing = await circles(ht.locator('g.series').nth(0).locator('circle.point'));
            assert.deepEqual(passing.map((p) => p.period), h.quarters.map((q) => q.period));
            assert.deepEqual(passing.map((p) => Number(p.value)), h.quarters.map((q) => q.passed));
            assert.equal(await ht.locator('details table tbody tr').count(), 2);
            assert.deepEqual(await axeViolations(page), [], `health ${name}`);
            await shot(page, `report-charts-health-${name}`);

            // The account: one point per health reading, the list beside it.
            await page.goto(`${ctx.base}/accounts/${encodeURIComponent(acct.id)}`);
            const hc = page.getByTestId('health-chart');
            await hc.waitFor();
            await accessible(hc, /Health score over time/);
            const dots = await circles(hc.locator('circle.point'));
            assert.deepEqual(dots.map((p) => [p.on, Number(p.value)]),
                acct.history.map((r) => [r.on, r.score]));
            assert.equal(await page.getByTestId('health-history').locator('li').count(),
                acct.history.length);
            // Higher scores are drawn higher.
            for (let i = 1; i < dots.length; i++)
                if (acct.history[i].score > acct.history[i - 1].score)
                    assert.ok(dots[i].cy < dots[i - 1].cy);
            assert.deepEqual(await axeViolations(page), [], `account ${name}`);
            if (name === 'phone') {
                const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth,
                    view: window.innerWidth }));
                assert.ok(w.doc <= w.view, `no horizontal scroll: ${JSON.stringify(w)}`);
            }
            await shot(page, `report-charts-account-${name}`);
            assert.deepEqual(errors, []);
        }
    });
