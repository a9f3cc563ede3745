// health.js - loop health: which checks pass, quarter by quarter.  One
// chart, the trend of checks passing and failing over the last quarters
// (trend.js); the checks of each quarter, with their values, as a table.
import { html, pct, num, label, Badge } from '../../ui.js';
import { Kpi } from './shared.js';
import { Trend } from './trend.js';

// A check's value as its unit reads: a share as a percentage, days as
// days, a cause by its label.
function checkValue(c) {
    if (c.unit === 'share') return pct(c.value);
    if (c.unit === 'days') return `${num(c.value, 1)} days`;
    if (c.unit === 'cause') return label(c.value);
    return typeof c.value === 'number' ? num(c.value) : String(c.value);
}

export function Health({ d }) {
    const s = d.summary;
    const qs = d.quarters;
    const checks = qs.length
        ? qs[qs.length - 1].checks.map((c) => c.check)
        : [];
    const cell = (c) =>
        c.pass === true
            ? html`<${Badge} kind="ok">pass<//>`
            : c.pass === false
              ? html`<${Badge} kind="danger">fail<//>`
              : html`<${Badge} kind="muted">n/a<//>`;
    return html`
        <section class="kpis"><${Kpi} label=${`checks passing in ${s.period}`} value=${s.passed} testid="passed" />
            <${Kpi} label="failing" value=${s.failed} testid="failed" /><${Kpi} label="not computed" value=${s.unknown} /></section>
        <${Trend} name="health" />
        <section class="card"><h2>Is the loop closing? Each check by quarter</h2>
            <div class="table-wrap"><table class="data" data-testid="health-checks"><thead><tr><th scope="col">Check</th>
                ${qs.map((q) => html`<th scope="col">${q.period}</th>`)}</tr></thead>
                <tbody>${checks.map(
                    (k) =>
                        html`<tr><th scope="row">${label(k)}</th>${qs.map(
                            (q) => {
                                const c = q.checks.find((x) => x.check === k);
                                return html`<td title=${c ? c.note : ''} data-check=${k} data-period=${q.period}>${c ? cell(c) : '—'} ${c && c.value !== null ? html`<span data-field="value" data-raw=${String(c.value)}>${checkValue(c)}</span>` : ''}</td>`;
                            },
                        )}</tr>`,
                )}</tbody></table></div>
            <ul class="plain notes-list">${qs.length ? qs[qs.length - 1].checks.map((c) => html`<li><strong>${label(c.check)}</strong>: ${c.note}</li>`) : null}</ul>
        </section>`;
}
