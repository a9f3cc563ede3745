// patterns.js - the profiles that churn more often than all customers,
// and the open pipeline that has them (also a section of the ICP review).
import { html, money, pct, num } from '../../ui.js';
import { evidence } from './shared.js';

export function Patterns({ d }) {
    const op = d.open_pipeline;
    return html`<p data-testid="patterns-summary">${
        d.patterns.length
            ? `${d.patterns.length} profile${d.patterns.length === 1 ? '' : 's'} churn more often than the ${pct(d.base_rate)} of all customers (${d.tested} tested, false discoveries held under 5%).`
            : `No profile churns significantly more often than the ${pct(d.base_rate)} of all customers (${d.tested} tested).`
    }
        ${op ? ` Open pipeline with such a profile: ${op.matching_deals} of ${op.open_deals} deals, ${money(op.matching_arr)} of ${money(op.open_arr)} ARR.` : ''}</p>
        ${
            d.patterns.length > 0 &&
            html`<div class="table-wrap"><table class="data" data-testid="patterns">
            <thead><tr><th scope="col">Profile</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Churned</th>
                <th scope="col" class="n">Rate</th><th scope="col" class="n">× all</th><th scope="col">Evidence</th>
                <th scope="col" class="n">Open deals</th><th scope="col" class="n">Open ARR</th></tr></thead>
            <tbody>${d.patterns.map(
                (p) => html`<tr><th scope="row">${p.description}</th>
                <td class="n">${p.count}</td><td class="n">${p.target_count}</td><td class="n">${pct(p.rate)}</td>
                <td class="n">${num(p.lift)}×</td><td>${evidence(p.q_value)}</td>
                <td class="n">${p.open_pipeline ? p.open_pipeline.deals : '—'}</td>
                <td class="n">${p.open_pipeline ? money(p.open_pipeline.arr) : '—'}</td></tr>`,
            )}</tbody></table></div>`
        }`;
}

export function PatternsReport({ d }) {
    return html`<section class="card"><h2>Profiles that churn more often</h2><${Patterns} d=${d} /></section>`;
}
