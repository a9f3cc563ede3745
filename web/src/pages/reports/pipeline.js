// pipeline.js - the open pipeline at risk: flagged deals, paged, sorted
// and filtered by the server.
import { api } from '../../api.js';
import {
    html,
    useLoad,
    navigate,
    money,
    num,
    text,
    label,
    Badge,
    Select,
} from '../../ui.js';
import { ChartFigure, COLORS } from '../../chart.js';
import { Kpi } from './shared.js';

// The pipeline report's page, sort and filters, as the URL has them (so a
// view can be shared and Back returns to it).
const PIPELINE_PAGE = 25;
export function pipelineQuery(query) {
    return {
        flag: query.get('flag') || '',
        ae_id: query.get('ae_id') || '',
        sort: query.get('sort') || '',
        offset: query.get('offset') || '',
        limit: PIPELINE_PAGE,
    };
}

const FLAG_KEYS = [
    'churn_pattern',
    'outside_icp',
    'champion_stability',
    'slow_to_demo',
];
const PIPELINE_SORTS = [
    { value: '', label: 'Strongest evidence first' },
    { value: '-arr', label: 'ARR, largest first' },
    { value: 'arr', label: 'ARR, smallest first' },
    { value: '-flags', label: 'Most flags first' },
    { value: 'account', label: 'Account' },
    { value: 'deal_id', label: 'Deal' },
    { value: 'stage', label: 'Stage' },
];

// Flagged deals, ranked by evidence (docs/metrics.md); the server pages,
// sorts and filters them (GET /reports/pipeline?flag&ae_id&sort&offset&limit).
// d is the whole report when it comes from elsewhere (a session's pack).
export function Pipeline({ d, query }) {
    const s = d.summary;
    const q = query || new URLSearchParams();
    // The report carries AE ids where the viewer may see them; the users
    // list gives their names (an id stands for itself if it cannot).
    const showAe = d.deals.some((x) => 'ae_id' in x) || !!q.get('ae_id');
    const aes = useLoad(
        () =>
            showAe
                ? api
                      .get('/users', { role: 'ae', limit: 1000 })
                      .catch(() => ({ items: [] }))
                : Promise.resolve({ items: [] }),
        [showAe],
    );
    const aeName = (id) =>
        (aes.data?.items.find((u) => u.id === id) || {}).name || id;
    const keys = [
        'outside_icp',
        'champion_stability',
        'slow_to_demo',
        'churn_pattern',
    ];
    const config = {
        type: 'bar',
        data: {
            labels: keys.map(label),
            datasets: [
                {
                    label: 'open deals flagged',
                    data: keys.map((k) => s[k]),
                    backgroundColor: COLORS[3],
                },
            ],
        },
        options: {
            indexAxis: 'y',
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
    };
    const paged = d.total !== undefined;
    const total = paged ? d.total : d.deals.length;
    const offset = d.offset || 0;
    const limit = d.limit ?? total;
    // A new filter or sort starts from the first page.
    const go = (changes) => {
        const next = new URLSearchParams(q);
        for (const [k, v] of Object.entries(changes))
            if (v === '' || v === null || v === undefined) next.delete(k);
            else next.set(k, v);
        if (!('offset' in changes)) next.delete('offset');
        navigate(`/reports/pipeline${next.toString() ? `?${next}` : ''}`);
    };
    const filtered = q.get('flag') || q.get('ae_id');
    return html`
        <section class="kpis"><${Kpi} label="open deals" value=${s.open_deals} /><${Kpi} label="flagged" value=${s.flagged} testid="flagged" /></section>
        <section class="card"><h2>Flags</h2>
            <${ChartFigure} testid="chart-flags" config=${config} title="Open deals by pipeline flag" height=${200} />
        </section>
        <section class="card" aria-labelledby="flagged-h"><h2 id="flagged-h">Flagged deals</h2>
            <p class="meta">Ranked by evidence: a churn pattern first, then outside the ICP, champion stability and slow to demo; within each, the stronger evidence first.</p>
            ${
                paged &&
                html`<div class="filters" role="group" aria-label="Filter and sort flagged deals">
                <${Select} label="Flag" name="flag" value=${q.get('flag') || ''} placeholder="Any flag"
                    onChange=${(v) => go({ flag: v })}
                    options=${FLAG_KEYS.map((k) => ({ value: k, label: label(k) }))} />
                ${
                    showAe &&
                    html`<${Select} label="AE" name="ae_id" value=${q.get('ae_id') || ''} placeholder="Any AE"
                    onChange=${(v) => go({ ae_id: v })}
                    options=${(aes.data?.items || []).map((u) => ({ value: u.id, label: u.name }))} />`
                }
                <${Select} label="Sort" name="sort" value=${q.get('sort') || ''}
                    onChange=${(v) => go({ sort: v })}
                    options=${[...PIPELINE_SORTS, ...(showAe ? [{ value: 'ae_id', label: 'AE' }] : [])]} />
            </div>`
            }
            <div class="table-wrap"><table class="data" data-testid="flagged-deals" aria-live="polite">
                ${paged && html`<caption>${total} flagged deal${total === 1 ? '' : 's'}${filtered ? ' matching the filters' : ''}</caption>`}
                <thead><tr><th scope="col" class="n">Rank</th><th scope="col">Deal</th><th scope="col">Account</th>
                ${showAe && html`<th scope="col">AE</th>`}<th scope="col">Stage</th>
                <th scope="col" class="n">ARR</th><th scope="col">Flags</th></tr></thead>
                <tbody>${d.deals.map(
                    (
                        x,
                    ) => html`<tr data-deal=${x.deal_id}><td class="n">${text(x.rank)}</td><td>${x.deal_id}</td>
                    <td><a href=${`/accounts/${encodeURIComponent(x.account_id)}`}>${x.account}</a></td>
                    ${showAe && html`<td>${'ae_id' in x ? aeName(x.ae_id) : '—'}</td>`}<td>${label(x.stage)}</td><td class="n">${money(x.arr)}</td>
                    <td><ul class="flags">${x.flags.map((f) => html`<li title=${f.evidence !== undefined ? `evidence ${num(f.evidence)}` : ''}><${Badge} kind="warn">${label(f.flag)}<//> ${f.reason_words || f.reason}</li>`)}</ul></td></tr>`,
                )}</tbody></table></div>
            ${d.deals.length === 0 && html`<p class="empty">No flagged deal matches.</p>`}
            ${
                paged &&
                html`<div class="pager">
                <button disabled=${offset === 0} onClick=${() => go({ offset: Math.max(0, offset - limit) || '' })}>Previous page</button>
                <span>${total ? offset + 1 : 0}–${Math.min(offset + d.deals.length, total)} of ${total}</span>
                <button disabled=${offset + d.deals.length >= total} onClick=${() => go({ offset: offset + limit })}>Next page</button>
            </div>`
            }
        </section>`;
}
