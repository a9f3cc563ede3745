// trend.js - a quarterly report's key figures over its last quarters
// (GET /reports/{name}/trend), as a small line chart with its table: the
// bad-fit shares by category, the loop-health checks passing and failing.
import { api } from '../../api.js';
import { html, useLoad, Loaded, pct } from '../../ui.js';
import { LineChart } from '../../svgchart.js';

const QUARTERS = 8;

function BadFitTrend({ t }) {
    const qs = t.quarters;
    const cats = qs.length ? qs[qs.length - 1].categories : [];
    return html`<${LineChart} testid="trend-bad-fit" labels=${qs.map((q) => q.period)}
        title=${`Share of each quarter's churn cohort by bad-fit category, ${qs[0].period} to ${qs[qs.length - 1].period}`}
        yMax=${Math.max(0.25, ...qs.flatMap((q) => q.categories.map((c) => c.share ?? 0)))}
        series=${cats.map((c) => ({
            label: c.label,
            values: qs.map((q) => {
                const x = q.categories.find((k) => k.category === c.category);
                return x ? x.share : null;
            }),
        }))} fmt=${(v) => pct(v, 0)} />`;
}

function HealthTrend({ t }) {
    const qs = t.quarters;
    const n = qs.length ? qs[0].checks.length : 0;
    return html`<${LineChart} testid="trend-health" labels=${qs.map((q) => q.period)}
        title=${`Loop-health checks passing and failing by quarter, ${qs[0].period} to ${qs[qs.length - 1].period}`}
        yMax=${Math.max(1, n)} fmt=${String}
        series=${[
            { label: 'checks passing', values: qs.map((q) => q.passed) },
            { label: 'checks failing', values: qs.map((q) => q.failed) },
        ]} />`;
}

// name: bad-fit or health; period: the quarter the trend ends with (bad-fit).
export function Trend({ name, period }) {
    const st = useLoad(
        () =>
            api.get(`/reports/${encodeURIComponent(name)}/trend`, {
                quarters: QUARTERS,
                period: name === 'health' ? '' : period,
            }),
        [name, period],
    );
    return html`<section class="card" aria-labelledby=${`trend-${name}-h`}>
        <h2 id=${`trend-${name}-h`}>The last ${QUARTERS} quarters</h2>
        <${Loaded} state=${st}>${(t) =>
            t.quarters.length === 0
                ? html`<p class="empty">No quarters to show.</p>`
                : name === 'health'
                  ? html`<${HealthTrend} t=${t} />`
                  : html`<${BadFitTrend} t=${t} />`}<//>
    </section>`;
}
