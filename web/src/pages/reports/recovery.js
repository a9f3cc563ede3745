// recovery.js - the quarterly recovery review: recoveries by type, the
// thresholds, clusters and days to the first demo.
import { html, pct, num, text, label, Badge } from '../../ui.js';
import { ChartFigure, COLORS } from '../../chart.js';
import { Kpi } from './shared.js';

export function Recovery({ d }) {
    const t = d.by_type;
    const config = {
        type: 'bar',
        data: {
            labels: t.map((x) => label(x.type)),
            datasets: [
                {
                    label: 'recoveries',
                    data: t.map((x) => x.count),
                    backgroundColor: COLORS[2],
                },
            ],
        },
        options: {
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
    };
    const m = d.months_to_reengagement || {};
    const demo = d.days_to_first_demo || { bins: [] };
    const demoConfig = {
        type: 'bar',
        data: {
            labels: demo.bins.map((x) => x.bin),
            datasets: [
                {
                    label: 'recoveries',
                    data: demo.bins.map((x) => x.count),
                    backgroundColor: COLORS[0],
                },
            ],
        },
        options: {
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
    };
    return html`
        <section class="kpis"><${Kpi} label="Recoveries" value=${d.recoveries} testid="recoveries" />
            <${Kpi} label="Median months to re-engagement" value=${text(m.median)} />
            <${Kpi} label="Not CS-led (left out)" value=${text(d.not_cs_led)} testid="not-cs-led" /></section>
        <section class="card"><h2>Recoveries by type</h2>
            <${ChartFigure} testid="chart-types" config=${config} title=${`Recoveries in ${d.period} by type`} />
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Type</th><th scope="col" class="n">Count</th>
                <th scope="col" class="n">Share</th><th scope="col" class="n">95% interval</th></tr></thead>
                <tbody>${t.map(
                    (
                        x,
                    ) => html`<tr><th scope="row">${label(x.type)}</th><td class="n">${x.count}</td>
                    <td class="n">${pct(x.share)}</td><td class="n">${pct(x.ci_low)} – ${pct(x.ci_high)}</td></tr>`,
                )}</tbody></table></div>
        </section>
        <section class="card"><h2>Thresholds</h2>
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Rule</th><th scope="col" class="n">Value</th>
                <th scope="col" class="n">Threshold</th><th scope="col">Fired</th><th scope="col">Opens</th></tr></thead>
                <tbody>${d.thresholds.map(
                    (
                        x,
                    ) => html`<tr><th scope="row">${label(x.rule)}</th><td class="n">${num(x.value)}</td>
                    <td class="n">${num(x.threshold)}</td><td>${x.fired ? html`<${Badge} kind="danger">fired<//>` : 'no'}</td>
                    <td>${label(x.follow_up)}${x.detail ? ` — ${x.detail}` : ''}</td></tr>`,
                )}</tbody></table></div>
        </section>
        <section class="card"><h2>Clusters</h2>
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Dimension</th><th scope="col">Value</th>
                <th scope="col" class="n">Count</th><th scope="col" class="n">Share</th></tr></thead>
                <tbody>${d.clusters.map(
                    (
                        c,
                    ) => html`<tr><td>${label(c.dimension)}</td><td>${c.value}</td>
                    <td class="n">${c.count}</td><td class="n">${pct(c.share)}</td></tr>`,
                )}</tbody></table></div>
        </section>
        <section class="card" data-testid="days-to-first-demo"><h2>Days in pipeline before the first demo (original deals)</h2>
            <p>${`Median ${text(demo.median)} days, quartiles ${text(demo.q1)} – ${text(demo.q3)} (${demo.count} with a demo).`}</p>
            <${ChartFigure} testid="chart-demo" config=${demoConfig} title=${`Days to first demo of the deals recovered in ${d.period}`} />
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Days</th>
                <th scope="col" class="n">Count</th><th scope="col" class="n">Share</th></tr></thead>
                <tbody>${demo.bins.map(
                    (x) => html`<tr><th scope="row">${x.bin}</th>
                    <td class="n">${x.count}</td><td class="n">${pct(x.share)}</td></tr>`,
                )}</tbody></table></div>
        </section>`;
}
