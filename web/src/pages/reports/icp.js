// icp.js - the quarterly ICP review: churn by segment, inside and
// outside the ICP, retention by cohort and the profiles that churn more.
import { html, pct, num, label } from '../../ui.js';
import { StepChart, WhiskerChart } from '../../svgchart.js';
import { Kpi, evidence } from './shared.js';
import { Patterns } from './patterns.js';

export function Icp({ d }) {
    const segs = [...d.segments].sort(
        (a, b) => (b.ratio_vs_rest ?? 0) - (a.ratio_vs_rest ?? 0),
    );
    const top = segs.slice(0, 12);
    const segName = (s) => `${label(s.dimension)}: ${s.value}`;
    const cmp = (x) =>
        x
            ? `${pct(x.churn_12m)} (${pct(x.ci_low)} – ${pct(x.ci_high)}), ${x.churned} of ${x.customers}`
            : '—';
    return html`
        <section class="kpis">
            <${Kpi} label="12-month churn, all customers" value=${pct(d.churn_12m_all.churn_12m)} testid="churn-all" />
            <${Kpi} label="inside the ICP" value=${pct(d.icp_inside && d.icp_inside.churn_12m)} />
            <${Kpi} label="outside the ICP" value=${pct(d.icp_outside && d.icp_outside.churn_12m)} />
        </section>
        <section class="card"><h2>The ICP definition</h2>
            ${
                d.icp_version
                    ? html`<p data-testid="icp-words">${d.icp_version.criteria_words || d.icp_version.criteria}</p>
                <details><summary>The criteria as written</summary><p><code>${d.icp_version.criteria}</code></p></details>
                <p class="meta">Version ${d.icp_version.version}, effective ${d.icp_version.effective_on} (${d.icp_version.age_days} days), owner ${d.icp_version.owner}. ${d.icp_version.rationale}</p>`
                    : html`<p class="empty">No ICP definition.</p>`
            }
            <p>Inside: ${cmp(d.icp_inside)}. Outside: ${cmp(d.icp_outside)}.</p>
            ${
                d.suggested_change &&
                html`<div class="tag-box"><p data-testid="icp-suggestion"><strong>Suggested change:</strong> ${
                    d.suggested_change.criterion
                        ? html`also require ${d.suggested_change.criterion_words || d.suggested_change.criterion}`
                        : 'none'
                }</p>
                <p>${d.suggested_change.rationale}</p>
                ${d.suggested_change.new_criteria && html`<details><summary>The new criteria as written</summary><p><code>${d.suggested_change.new_criteria}</code></p></details>`}</div>`
            }
        </section>
        <section class="card"><h2>Churn by segment</h2>
            <${WhiskerChart} testid="chart-segments" valueLabel="12-month churn"
                rows=${top.map((s) => ({ label: segName(s), value: s.churn_12m, low: s.ci_low, high: s.ci_high }))}
                refValue=${d.churn_12m_all.churn_12m} refLabel="all customers"
                title="12-month churn rate by segment (highest rate ratio first), each with its 95% interval as a whisker and all customers' rate as a dashed line" />
            <div class="table-wrap"><table class="data" data-testid="segments">
                <thead><tr><th scope="col">Segment</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Churned</th>
                    <th scope="col" class="n">12-month churn</th><th scope="col" class="n">95% interval</th>
                    <th scope="col" class="n">Ratio vs rest</th><th scope="col" class="n">Evidence</th><th scope="col">Outside ICP</th></tr></thead>
                <tbody>${segs.map(
                    (
                        s,
                    ) => html`<tr><th scope="row">${segName(s)}</th><td class="n">${s.customers}</td>
                    <td class="n">${s.churned}</td><td class="n">${pct(s.churn_12m)}</td>
                    <td class="n">${pct(s.ci_low)} – ${pct(s.ci_high)}</td>
                    <td class="n">${num(s.ratio_vs_rest)}× ${s.ratio_vs_rest_ci_low !== undefined ? `(${num(s.ratio_vs_rest_ci_low)}–${num(s.ratio_vs_rest_ci_high)})` : ''}</td>
                    <td class="n">${s.p_value === null || s.p_value === undefined ? '—' : evidence(s.p_value, 'p')}</td>
                    <td>${s.excluded_by_current_icp ? 'yes' : 'no'}</td></tr>`,
                )}</tbody></table></div>
        </section>
        <section class="card"><h2>Retention by cohort</h2>
            <${StepChart} testid="chart-retention" xLabel="time since becoming a customer, to scale"
                series=${d.retention.map((c) => ({ label: `${c.cohort} (${c.customers})`, points: c.points }))}
                title="Share of customers retained (Kaplan-Meier) by time since they became customers, by cohort year" />
        </section>
        ${
            d.patterns &&
            html`<section class="card"><h2>Profiles that churn more often, and the pipeline that has them</h2>
            <${Patterns} d=${d.patterns} /></section>`
        }`;
}
