// badfit.js - the quarterly bad-fit review: the churn cohort's share by
// bad-fit category against its threshold, and what the thresholds open.
import { html, money, pct, num, label, Badge } from '../../ui.js';
import { WhiskerChart } from '../../svgchart.js';
import { Kpi } from './shared.js';
import { Trend } from './trend.js';

export function BadFit({ d }) {
    const cats = d.categories;
    const im = d.impact || {};
    return html`
        <section class="kpis" aria-label="Revenue impact">
            <${Kpi} label="ARR lost in the cohort" value=${money(im.arr_lost)} testid="arr-lost" />
            <${Kpi} label="ARR lost to bad fit" value=${money(im.bad_fit && im.bad_fit.arr_lost)} />
            <${Kpi} label="NRR points lost to bad fit" value=${num(im.bad_fit && im.bad_fit.nrr_points)} />
            <${Kpi} label="CS hours per bad-fit account vs well-fit" value=${im.cs_hours_per_account ? `${num(im.cs_hours_per_account.bad_fit_ratio)}×` : '—'} />
            <${Kpi} label="Tagged churns in the cohort" value=${d.cohort_size} testid="cohort-size" />
            <${Kpi} label="Untagged" value=${d.untagged} />
        </section>
        <section class="card" aria-labelledby="cat-h"><h2 id="cat-h">Bad-fit categories</h2>
            <${WhiskerChart} testid="chart-categories" valueLabel="share"
                rows=${cats.map((c) => ({ label: c.label, value: c.share, low: c.ci_low, high: c.ci_high, mark: c.threshold }))}
                title=${`Share of the ${d.period} churn cohort by bad-fit category, each with its 95% interval as a whisker and its threshold as a red tick`}
                extra=${{
                    'data-chart': JSON.stringify({
                        labels: cats.map((c) => c.label),
                        values: {
                            count: cats.map((c) => c.count),
                            share: cats.map((c) => c.share),
                            ci_low: cats.map((c) => c.ci_low),
                            ci_high: cats.map((c) => c.ci_high),
                            threshold: cats.map((c) => c.threshold),
                        },
                    }),
                }} />
            <div class="table-wrap"><table class="data" data-testid="categories">
                <thead><tr><th scope="col">Category</th><th scope="col" class="n">Churns</th>
                    <th scope="col" class="n">Share</th><th scope="col" class="n">95% interval</th>
                    <th scope="col" class="n">Threshold</th><th scope="col">Fired</th></tr></thead>
                <tbody>${cats.map(
                    (c) => html`<tr data-category=${c.category}>
                    <th scope="row">${c.label}</th><td class="n" data-field="count">${c.count}</td>
                    <td class="n" data-field="share">${pct(c.share)}</td>
                    <td class="n" data-field="ci">${pct(c.ci_low)} – ${pct(c.ci_high)}</td>
                    <td class="n" data-field="threshold">${pct(c.threshold, 0)}</td>
                    <td data-field="fired">${c.fired ? html`<${Badge} kind="danger">fired<//>` : 'no'}</td></tr>`,
                )}</tbody>
            </table></div>
        </section>
        <${Trend} name="bad-fit" period=${d.period} />
        <section class="card" aria-labelledby="trig-h"><h2 id="trig-h">What the thresholds open</h2>
            ${
                d.triggers.length
                    ? html`<ul class="plain">${d.triggers.map(
                          (t) => html`<li>
                <p><strong>${label(t.kind)}</strong>: ${t.rule}</p>
                <p class="meta">Opens ${t.opens_on}, due ${t.due_on}; routes to ${t.routes_to}</p>
                ${
                    t.items &&
                    html`<ul class="plain" data-testid="coaching-aes">${t.items.map(
                        (x) => html`<li>
                    ${x.ae ? x.ae.name : 'An AE'}: ${x.churns} over-promised ${x.churns === 1 ? 'churn' : 'churns'}${' · '}
                    <a href=${`/coaching?new=1&ae_id=${encodeURIComponent(x.ae ? x.ae.id : '')}&cause=feature_overpromise&period=${d.period}&note=${encodeURIComponent(`Bad-fit review ${d.period}: ${x.churns} over-promised churns`)}`}>Open a coaching item</a></li>`,
                    )}</ul>`
                }</li>`,
                      )}</ul>`
                    : html`<p class="empty">No threshold fired.</p>`
            }
        </section>
        ${
            d.profile_markers &&
            html`<section class="card" aria-labelledby="pm-h"><h2 id="pm-h">Profile markers of bad-fit churns</h2>
            <ul class="plain">${d.profile_markers.map((m) => html`<li>${m.description}</li>`)}</ul></section>`
        }
`;
}
