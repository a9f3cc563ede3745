// reports.js - the reports as dashboards: the same JSON as the CLI
// (`closeloop report NAME --format json`), drawn with Chart.js and shown
// as tables with the same figures.  Team-facing reports never name an
// AE; the server leaves out what a role may not read.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, useLoad, Loaded, navigate, money, pct, num, day, text, label, Badge,
    TextInput, Select } from '../ui.js';
import { ChartFigure, COLORS, pctAxis } from '../chart.js';
import { IcpDecision } from './icp_decide.js';

export function Reports() {
    const st = useLoad(() => api.get('/reports'), []);
    return html`<div class="page">
        <h1>Reports</h1>
        <${Loaded} state=${st}>${(d) => html`<ul class="report-list">
            ${d.items.map((r) => html`<li class="card"><a href=${`/reports/${r.name}`}>${r.title}</a>
                <span class="meta">${r.period === 'now' ? 'as of today' : `by ${r.period}`}</span></li>`)}
        </ul>`}<//>
    </div>`;
}

// Moves a period (2026Q3 or 2026-07) by n steps.
function shift(period, n) {
    let m = /^(\d{4})Q([1-4])$/.exec(period || '');
    if (m) {
        const q = Number(m[1]) * 4 + Number(m[2]) - 1 + n;
        return `${Math.floor(q / 4)}Q${(q % 4) + 1}`;
    }
    m = /^(\d{4})-(\d{2})$/.exec(period || '');
    if (m) {
        const k = Number(m[1]) * 12 + Number(m[2]) - 1 + n;
        return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
    }
    return period;
}

const TITLES = { monthly: 'Monthly churn debrief', 'bad-fit': 'Quarterly bad-fit review',
    icp: 'Quarterly ICP review', recovery: 'Quarterly recovery review', health: 'Loop health',
    audit: 'Tagging audit', pipeline: 'Open pipeline at risk',
    patterns: 'Churn patterns and the pipeline that matches them' };
const BODIES = { 'bad-fit': BadFit, icp: Icp, recovery: Recovery, health: Health,
    pipeline: Pipeline, monthly: Monthly, audit: AuditReport, patterns: PatternsReport };

// A report's dashboard body for its JSON d (a session's pack is one).
export function ReportBody({ name, d }) {
    const Body = BODIES[name];
    return Body ? html`<${Body} d=${d} />` : html`<pre>${JSON.stringify(d, null, 2)}</pre>`;
}

// The pipeline report's page, sort and filters, as the URL has them (so a
// view can be shared and Back returns to it).
const PIPELINE_PAGE = 25;
function pipelineQuery(query) {
    return { flag: query.get('flag') || '', ae_id: query.get('ae_id') || '',
        sort: query.get('sort') || '', offset: query.get('offset') || '',
        limit: PIPELINE_PAGE };
}

export function ReportPage({ params, query, me }) {
    const name = params[0];
    const period = query.get('period') || '';
    const priv = query.get('private') === '1';
    const extra = name === 'pipeline' ? pipelineQuery(query) : {};
    const st = useLoad(() => api.get(`/reports/${encodeURIComponent(name)}`,
        { period, private: priv ? 1 : '', ...extra }), [name, period, priv, JSON.stringify(extra)]);
    const [draft, setDraft] = useState(period);
    const go = (p) => navigate(`/reports/${name}?period=${encodeURIComponent(p)}${priv ? '&private=1' : ''}`);
    const Body = BODIES[name];
    const periodic = !['health', 'pipeline', 'patterns'].includes(name);
    return html`<div class="page report" data-report=${name}>
        <h1>${TITLES[name] || name}</h1>
        <${Loaded} state=${st}>${(d) => html`
            ${periodic && html`<form class="period card" aria-label="Period"
                onSubmit=${(e) => { e.preventDefault(); if (draft) go(draft); }}>
                <button type="button" onClick=${() => go(shift(d.period, -1))}
                    aria-label="Previous period">‹ ${shift(d.period, -1)}</button>
                <${TextInput} label="Period" name="period" value=${draft || d.period}
                    onInput=${setDraft} hint=${name === 'monthly' ? 'YYYY-MM' : 'YYYYQn'} />
                <button type="submit">Show</button>
                <button type="button" onClick=${() => go(shift(d.period, 1))}
                    aria-label="Next period">${shift(d.period, 1)} ›</button>
            </form>`}
            <p class="meta" data-testid="report-period">${d.period ? `Period ${d.period}` : ''}${d.from ? ` (${d.from} to ${d.to})` : ''}${d.as_of ? `As of ${d.as_of}` : ''}</p>
            ${Body ? html`<${Body} d=${d} query=${query} />` : html`<pre>${JSON.stringify(d, null, 2)}</pre>`}
            ${name === 'icp' && html`<${IcpDecision} d=${d} me=${me} />`}`}<//>
    </div>`;
}

function Kpi({ label: l, value, testid }) {
    return html`<div class="kpi"><div class="kpi-v" data-testid=${testid}>${value}</div><div class="kpi-l">${l}</div></div>`;
}

function BadFit({ d }) {
    const cats = d.categories;
    const config = {
        type: 'bar',
        data: {
            labels: cats.map((c) => c.label),
            datasets: [
                { label: 'share', data: cats.map((c) => c.share), backgroundColor: 'rgba(37,99,235,0.75)',
                    grouped: false, barPercentage: 0.6, order: 3 },
                { label: '95% interval', data: cats.map((c) => [c.ci_low, c.ci_high]),
                    backgroundColor: 'rgba(17,24,39,0.25)', borderColor: '#111827',
                    borderWidth: 1, grouped: false, barPercentage: 0.08, order: 2 },
                { label: 'threshold', type: 'line', data: cats.map((c) => c.threshold),
                    borderColor: COLORS[1], backgroundColor: COLORS[1], borderWidth: 3,
                    pointRadius: 36, pointHoverRadius: 36, pointStyle: 'line',
                    showLine: false, order: 1 },
            ],
        },
        options: { scales: { y: pctAxis(1) }, plugins: { tooltip: { callbacks: {
            label: (c) => Array.isArray(c.raw) ? `95% interval ${pct(c.raw[0])}–${pct(c.raw[1])}` : `${c.dataset.label} ${pct(c.raw)}` } } } },
    };
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
            <${ChartFigure} testid="chart-categories" config=${config}
                title=${`Share of the ${d.period} churn cohort by bad-fit category, with 95% intervals and thresholds`}
                values=${{ count: cats.map((c) => c.count), share: cats.map((c) => c.share),
                    ci_low: cats.map((c) => c.ci_low), ci_high: cats.map((c) => c.ci_high),
                    threshold: cats.map((c) => c.threshold) }} />
            <div class="table-wrap"><table class="data" data-testid="categories">
                <thead><tr><th scope="col">Category</th><th scope="col" class="n">Churns</th>
                    <th scope="col" class="n">Share</th><th scope="col" class="n">95% interval</th>
                    <th scope="col" class="n">Threshold</th><th scope="col">Fired</th></tr></thead>
                <tbody>${cats.map((c) => html`<tr data-category=${c.category}>
                    <th scope="row">${c.label}</th><td class="n" data-field="count">${c.count}</td>
                    <td class="n" data-field="share">${pct(c.share)}</td>
                    <td class="n" data-field="ci">${pct(c.ci_low)} – ${pct(c.ci_high)}</td>
                    <td class="n" data-field="threshold">${pct(c.threshold, 0)}</td>
                    <td data-field="fired">${c.fired ? html`<${Badge} kind="danger">fired<//>` : 'no'}</td></tr>`)}</tbody>
            </table></div>
        </section>
        <section class="card" aria-labelledby="trig-h"><h2 id="trig-h">What the thresholds open</h2>
            ${d.triggers.length ? html`<ul class="plain">${d.triggers.map((t) => html`<li>
                <p><strong>${label(t.kind)}</strong>: ${t.rule}</p>
                <p class="meta">Opens ${t.opens_on}, due ${t.due_on}; routes to ${t.routes_to}</p></li>`)}</ul>`
                : html`<p class="empty">No threshold fired.</p>`}
        </section>
        ${d.profile_markers && html`<section class="card" aria-labelledby="pm-h"><h2 id="pm-h">Profile markers of bad-fit churns</h2>
            <ul class="plain">${d.profile_markers.map((m) => html`<li>${m.description}</li>`)}</ul></section>`}
        ${d.coaching && html`<section class="card"><h2>Coaching (private view)</h2><pre>${JSON.stringify(d.coaching, null, 2)}</pre></section>`}`;
}

function Icp({ d }) {
    const segs = [...d.segments].sort((a, b) => (b.ratio_vs_rest ?? 0) - (a.ratio_vs_rest ?? 0));
    const top = segs.slice(0, 12);
    const segName = (s) => `${label(s.dimension)}: ${s.value}`;
    const segChart = {
        type: 'bar',
        data: {
            labels: top.map(segName),
            datasets: [
                { label: '12-month churn', data: top.map((s) => s.churn_12m), backgroundColor: COLORS[0] },
                { label: '95% interval', data: top.map((s) => [s.ci_low, s.ci_high]),
                    backgroundColor: 'rgba(37,99,235,0.18)', borderColor: COLORS[0], borderWidth: 1, barPercentage: 0.3 },
                { label: 'all customers', type: 'line', data: top.map(() => d.churn_12m_all.churn_12m),
                    borderColor: COLORS[1], borderDash: [6, 4], pointRadius: 0 },
            ],
        },
        options: { indexAxis: 'y', scales: { x: pctAxis() } },
    };
    const ret = {
        type: 'line',
        data: {
            labels: d.retention.length ? d.retention[0].points.map((p) => p.day) : [],
            datasets: d.retention.map((c, i) => ({ label: `${c.cohort} (${c.customers})`,
                data: c.points.map((p) => p.survival), borderColor: COLORS[i % COLORS.length],
                backgroundColor: COLORS[i % COLORS.length], pointRadius: 2, stepped: true })),
        },
        options: { scales: { y: pctAxis(1), x: { title: { display: true, text: 'days since becoming a customer' } } } },
    };
    const cmp = (x) => x ? `${pct(x.churn_12m)} (${pct(x.ci_low)} – ${pct(x.ci_high)}), ${x.churned} of ${x.customers}` : '—';
    return html`
        <section class="kpis">
            <${Kpi} label="12-month churn, all customers" value=${pct(d.churn_12m_all.churn_12m)} testid="churn-all" />
            <${Kpi} label="inside the ICP" value=${pct(d.icp_inside && d.icp_inside.churn_12m)} />
            <${Kpi} label="outside the ICP" value=${pct(d.icp_outside && d.icp_outside.churn_12m)} />
        </section>
        <section class="card"><h2>The ICP definition</h2>
            ${d.icp_version ? html`<p><code>${d.icp_version.criteria}</code></p>
                <p class="meta">Version ${d.icp_version.version}, effective ${d.icp_version.effective_on} (${d.icp_version.age_days} days), owner ${d.icp_version.owner}. ${d.icp_version.rationale}</p>` : html`<p class="empty">No ICP definition.</p>`}
            <p>Inside: ${cmp(d.icp_inside)}. Outside: ${cmp(d.icp_outside)}.</p>
            ${d.suggested_change && html`<div class="tag-box"><p><strong>Suggested change:</strong> add <code>${d.suggested_change.criterion}</code></p>
                <p>${d.suggested_change.rationale}</p></div>`}
        </section>
        <section class="card"><h2>Churn by segment</h2>
            <${ChartFigure} testid="chart-segments" config=${segChart} height=${360}
                title="12-month churn rate by segment (highest rate ratio first), with 95% intervals" />
            <div class="table-wrap"><table class="data" data-testid="segments">
                <thead><tr><th scope="col">Segment</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Churned</th>
                    <th scope="col" class="n">12-month churn</th><th scope="col" class="n">95% interval</th>
                    <th scope="col" class="n">Ratio vs rest</th><th scope="col" class="n">Evidence</th><th scope="col">Outside ICP</th></tr></thead>
                <tbody>${segs.map((s) => html`<tr><th scope="row">${segName(s)}</th><td class="n">${s.customers}</td>
                    <td class="n">${s.churned}</td><td class="n">${pct(s.churn_12m)}</td>
                    <td class="n">${pct(s.ci_low)} – ${pct(s.ci_high)}</td>
                    <td class="n">${num(s.ratio_vs_rest)}× ${s.ratio_vs_rest_ci_low !== undefined ? `(${num(s.ratio_vs_rest_ci_low)}–${num(s.ratio_vs_rest_ci_high)})` : ''}</td>
                    <td class="n">${s.p_value === null || s.p_value === undefined ? '—' : evidence(s.p_value, 'p')}</td>
                    <td>${s.excluded_by_current_icp ? 'yes' : 'no'}</td></tr>`)}</tbody></table></div>
        </section>
        <section class="card"><h2>Retention by cohort</h2>
            <${ChartFigure} testid="chart-retention" config=${ret} title="Share of customers retained by days since they became customers, by cohort year" />
        </section>
        ${d.patterns && html`<section class="card"><h2>Profiles that churn more often, and the pipeline that has them</h2>
            <${Patterns} d=${d.patterns} /></section>`}`;
}

// The evidence of a difference in words, its number on hover: a pattern's
// q-value (Benjamini-Hochberg), a segment's log-rank p-value.
function evidence(v, name = 'q') {
    const words = v < 0.01 ? 'strong evidence' : v < 0.05 ? 'some evidence' : 'no evidence';
    return html`<span title=${`${name} = ${Number(v).toPrecision(2)}`}>${words}</span>`;
}

function Patterns({ d }) {
    const op = d.open_pipeline;
    return html`<p data-testid="patterns-summary">${d.patterns.length
        ? `${d.patterns.length} profile${d.patterns.length === 1 ? '' : 's'} churn more often than the ${pct(d.base_rate)} of all customers (${d.tested} tested, false discoveries held under 5%).`
        : `No profile churns significantly more often than the ${pct(d.base_rate)} of all customers (${d.tested} tested).`}
        ${op ? ` Open pipeline with such a profile: ${op.matching_deals} of ${op.open_deals} deals, ${money(op.matching_arr)} of ${money(op.open_arr)} ARR.` : ''}</p>
        ${d.patterns.length > 0 && html`<div class="table-wrap"><table class="data" data-testid="patterns">
            <thead><tr><th scope="col">Profile</th><th scope="col" class="n">Customers</th><th scope="col" class="n">Churned</th>
                <th scope="col" class="n">Rate</th><th scope="col" class="n">× all</th><th scope="col">Evidence</th>
                <th scope="col" class="n">Open deals</th><th scope="col" class="n">Open ARR</th></tr></thead>
            <tbody>${d.patterns.map((p) => html`<tr><th scope="row">${p.description}</th>
                <td class="n">${p.count}</td><td class="n">${p.target_count}</td><td class="n">${pct(p.rate)}</td>
                <td class="n">${num(p.lift)}×</td><td>${evidence(p.q_value)}</td>
                <td class="n">${p.open_pipeline ? p.open_pipeline.deals : '—'}</td>
                <td class="n">${p.open_pipeline ? money(p.open_pipeline.arr) : '—'}</td></tr>`)}</tbody></table></div>`}`;
}

function PatternsReport({ d }) {
    return html`<section class="card"><h2>Profiles that churn more often</h2><${Patterns} d=${d} /></section>`;
}

function Recovery({ d }) {
    const t = d.by_type;
    const config = { type: 'bar', data: { labels: t.map((x) => label(x.type)), datasets: [
        { label: 'recoveries', data: t.map((x) => x.count), backgroundColor: COLORS[2] }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } };
    const m = d.months_to_reengagement || {};
    const demo = d.days_to_first_demo || { bins: [] };
    const demoConfig = { type: 'bar', data: { labels: demo.bins.map((x) => x.bin), datasets: [
        { label: 'recoveries', data: demo.bins.map((x) => x.count), backgroundColor: COLORS[0] }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } };
    return html`
        <section class="kpis"><${Kpi} label="Recoveries" value=${d.recoveries} testid="recoveries" />
            <${Kpi} label="Median months to re-engagement" value=${text(m.median)} />
            <${Kpi} label="Not CS-led (left out)" value=${text(d.not_cs_led)} testid="not-cs-led" /></section>
        <section class="card"><h2>Recoveries by type</h2>
            <${ChartFigure} testid="chart-types" config=${config} title=${`Recoveries in ${d.period} by type`} />
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Type</th><th scope="col" class="n">Count</th>
                <th scope="col" class="n">Share</th><th scope="col" class="n">95% interval</th></tr></thead>
                <tbody>${t.map((x) => html`<tr><th scope="row">${label(x.type)}</th><td class="n">${x.count}</td>
                    <td class="n">${pct(x.share)}</td><td class="n">${pct(x.ci_low)} – ${pct(x.ci_high)}</td></tr>`)}</tbody></table></div>
        </section>
        <section class="card"><h2>Thresholds</h2>
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Rule</th><th scope="col" class="n">Value</th>
                <th scope="col" class="n">Threshold</th><th scope="col">Fired</th><th scope="col">Opens</th></tr></thead>
                <tbody>${d.thresholds.map((x) => html`<tr><th scope="row">${label(x.rule)}</th><td class="n">${num(x.value)}</td>
                    <td class="n">${num(x.threshold)}</td><td>${x.fired ? html`<${Badge} kind="danger">fired<//>` : 'no'}</td>
                    <td>${label(x.follow_up)}${x.detail ? ` — ${x.detail}` : ''}</td></tr>`)}</tbody></table></div>
        </section>
        <section class="card"><h2>Clusters</h2>
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Dimension</th><th scope="col">Value</th>
                <th scope="col" class="n">Count</th><th scope="col" class="n">Share</th></tr></thead>
                <tbody>${d.clusters.map((c) => html`<tr><td>${label(c.dimension)}</td><td>${c.value}</td>
                    <td class="n">${c.count}</td><td class="n">${pct(c.share)}</td></tr>`)}</tbody></table></div>
        </section>
        <section class="card" data-testid="days-to-first-demo"><h2>Days in pipeline before the first demo (original deals)</h2>
            <p>${`Median ${text(demo.median)} days, quartiles ${text(demo.q1)} – ${text(demo.q3)} (${demo.count} with a demo).`}</p>
            <${ChartFigure} testid="chart-demo" config=${demoConfig} title=${`Days to first demo of the deals recovered in ${d.period}`} />
            <div class="table-wrap"><table class="data"><thead><tr><th scope="col">Days</th>
                <th scope="col" class="n">Count</th><th scope="col" class="n">Share</th></tr></thead>
                <tbody>${demo.bins.map((x) => html`<tr><th scope="row">${x.bin}</th>
                    <td class="n">${x.count}</td><td class="n">${pct(x.share)}</td></tr>`)}</tbody></table></div>
        </section>`;
}

// A check's value as its unit reads: a share as a percentage, days as
// days, a cause by its label.
function checkValue(c) {
    if (c.unit === 'share') return pct(c.value);
    if (c.unit === 'days') return `${num(c.value, 1)} days`;
    if (c.unit === 'cause') return label(c.value);
    return typeof c.value === 'number' ? num(c.value) : String(c.value);
}

function Health({ d }) {
    const s = d.summary;
    const qs = d.quarters;
    const checks = qs.length ? qs[qs.length - 1].checks.map((c) => c.check) : [];
    const count = (q, v) => q.checks.filter((c) => c.pass === v).length;
    const config = { type: 'bar', data: { labels: qs.map((q) => q.period), datasets: [
        { label: 'pass', data: qs.map((q) => count(q, true)), backgroundColor: COLORS[2] },
        { label: 'fail', data: qs.map((q) => count(q, false)), backgroundColor: COLORS[1] },
        { label: 'not computed', data: qs.map((q) => count(q, null)), backgroundColor: '#9ca3af' }] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } };
    const cell = (c) => c.pass === true ? html`<${Badge} kind="ok">pass<//>` : c.pass === false
        ? html`<${Badge} kind="danger">fail<//>` : html`<${Badge} kind="muted">n/a<//>`;
    return html`
        <section class="kpis"><${Kpi} label=${`checks passing in ${s.period}`} value=${s.passed} testid="passed" />
            <${Kpi} label="failing" value=${s.failed} testid="failed" /><${Kpi} label="not computed" value=${s.unknown} /></section>
        <section class="card"><h2>Is the loop closing?</h2>
            <${ChartFigure} testid="chart-health" config=${config} title="Loop-health checks passing and failing by quarter" />
            <div class="table-wrap"><table class="data" data-testid="health-checks"><thead><tr><th scope="col">Check</th>
                ${qs.map((q) => html`<th scope="col">${q.period}</th>`)}</tr></thead>
                <tbody>${checks.map((k) => html`<tr><th scope="row">${label(k)}</th>${qs.map((q) => {
                    const c = q.checks.find((x) => x.check === k);
                    return html`<td title=${c ? c.note : ''} data-check=${k} data-period=${q.period}>${c ? cell(c) : '—'} ${c && c.value !== null ? html`<span data-field="value" data-raw=${String(c.value)}>${checkValue(c)}</span>` : ''}</td>`;
                })}</tr>`)}</tbody></table></div>
            <ul class="plain notes-list">${qs.length ? qs[qs.length - 1].checks.map((c) => html`<li><strong>${label(c.check)}</strong>: ${c.note}</li>`) : null}</ul>
        </section>`;
}

const FLAG_KEYS = ['churn_pattern', 'outside_icp', 'champion_stability', 'slow_to_demo'];
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
function Pipeline({ d, query }) {
    const s = d.summary;
    const q = query || new URLSearchParams();
    // The report carries AE ids where the viewer may see them; the users
    // list gives their names (an id stands for itself if it cannot).
    const showAe = d.deals.some((x) => 'ae_id' in x) || !!q.get('ae_id');
    const aes = useLoad(() => showAe ? api.get('/users', { role: 'ae', limit: 1000 }).catch(() => ({ items: [] }))
        : Promise.resolve({ items: [] }), [showAe]);
    const aeName = (id) => (aes.data?.items.find((u) => u.id === id) || {}).name || id;
    const keys = ['outside_icp', 'champion_stability', 'slow_to_demo', 'churn_pattern'];
    const config = { type: 'bar', data: { labels: keys.map(label), datasets: [
        { label: 'open deals flagged', data: keys.map((k) => s[k]), backgroundColor: COLORS[3] }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } };
    const paged = d.total !== undefined;
    const total = paged ? d.total : d.deals.length;
    const offset = d.offset || 0;
    const limit = d.limit ?? total;
    // A new filter or sort starts from the first page.
    const go = (changes) => {
        const next = new URLSearchParams(q);
        for (const [k, v] of Object.entries(changes))
            if (v === '' || v === null || v === undefined) next.delete(k); else next.set(k, v);
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
            ${paged && html`<div class="filters" role="group" aria-label="Filter and sort flagged deals">
                <${Select} label="Flag" name="flag" value=${q.get('flag') || ''} placeholder="Any flag"
                    onChange=${(v) => go({ flag: v })}
                    options=${FLAG_KEYS.map((k) => ({ value: k, label: label(k) }))} />
                ${showAe && html`<${Select} label="AE" name="ae_id" value=${q.get('ae_id') || ''} placeholder="Any AE"
                    onChange=${(v) => go({ ae_id: v })}
                    options=${(aes.data?.items || []).map((u) => ({ value: u.id, label: u.name }))} />`}
                <${Select} label="Sort" name="sort" value=${q.get('sort') || ''}
                    onChange=${(v) => go({ sort: v })}
                    options=${[...PIPELINE_SORTS, ...(showAe ? [{ value: 'ae_id', label: 'AE' }] : [])]} />
            </div>`}
            <div class="table-wrap"><table class="data" data-testid="flagged-deals" aria-live="polite">
                ${paged && html`<caption>${total} flagged deal${total === 1 ? '' : 's'}${filtered ? ' matching the filters' : ''}</caption>`}
                <thead><tr><th scope="col" class="n">Rank</th><th scope="col">Deal</th><th scope="col">Account</th>
                ${showAe && html`<th scope="col">AE</th>`}<th scope="col">Stage</th>
                <th scope="col" class="n">ARR</th><th scope="col">Flags</th></tr></thead>
                <tbody>${d.deals.map((x) => html`<tr data-deal=${x.deal_id}><td class="n">${text(x.rank)}</td><td>${x.deal_id}</td>
                    <td><a href=${`/accounts/${encodeURIComponent(x.account_id)}`}>${x.account}</a></td>
                    ${showAe && html`<td>${'ae_id' in x ? aeName(x.ae_id) : '—'}</td>`}<td>${label(x.stage)}</td><td class="n">${money(x.arr)}</td>
                    <td><ul class="flags">${x.flags.map((f) => html`<li title=${f.evidence !== undefined ? `evidence ${num(f.evidence)}` : ''}><${Badge} kind="warn">${label(f.flag)}<//> ${f.reason}</li>`)}</ul></td></tr>`)}</tbody></table></div>
            ${d.deals.length === 0 && html`<p class="empty">No flagged deal matches.</p>`}
            ${paged && html`<div class="pager">
                <button disabled=${offset === 0} onClick=${() => go({ offset: Math.max(0, offset - limit) || '' })}>Previous page</button>
                <span>${total ? offset + 1 : 0}–${Math.min(offset + d.deals.length, total)} of ${total}</span>
                <button disabled=${offset + d.deals.length >= total} onClick=${() => go({ offset: offset + limit })}>Next page</button>
            </div>`}
        </section>`;
}

function Monthly({ d }) {
    const config = { type: 'bar', data: { labels: d.causes.map((c) => c.label), datasets: [
        { label: 'ARR lost', data: d.causes.map((c) => c.arr_lost), backgroundColor: COLORS[1] }] },
    options: { indexAxis: 'y' } };
    const rc = d.review_completion || {};
    return html`
        <section class="kpis"><${Kpi} label="accounts lost" value=${d.churned_accounts} /><${Kpi} label="ARR lost" value=${money(d.arr_lost)} />
            <${Kpi} label="untagged" value=${d.untagged} /><${Kpi} label="won-deal review completion" value=${`${pct(rc.rate, 0)} (target ${pct(rc.target, 0)})`} /></section>
        <section class="card"><h2>Causes</h2>
            <${ChartFigure} testid="chart-causes" config=${config} title="ARR lost by primary cause" height=${220} />
        </section>
        <section class="card"><h2>In the customers' words</h2>
            <ul class="plain">${d.stated_reasons.map((r) => html`<li><strong>${r.account}</strong> (${r.churned_on}, ${r.cause ? label(r.cause) : 'untagged'}): “${r.stated_reason}”</li>`)}</ul>
        </section>
        <section class="card"><h2>Signal to Sales</h2>${Notification(d.days_to_ae_notification)}</section>
        <section class="card"><h2>The process change</h2>${ProcessChange(d.process_change)}</section>`;
}

const CHECKIN = { on_time: 'checked in on time', late: 'checked in late', overdue: 'check-in overdue', pending: 'check-in pending' };

function Notification(n) {
    if (!n) return html`<p class="empty">No deal-attributable churn this month.</p>`;
    return html`<dl class="facts">
        <div><dt>Deal-attributable churns</dt><dd>${n.attributable}</dd></div>
        <div><dt>AE notified</dt><dd>${n.notified}${n.not_notified ? ` (${n.not_notified} not yet)` : ''}</dd></div>
        <div><dt>Median days from churn to the AE</dt><dd>${n.median ?? '—'}${n.max != null ? ` (max ${n.max})` : ''}</dd></div>
        <div><dt>Median days from tag to the AE</dt><dd>${n.median_from_tag ?? '—'}</dd></div></dl>`;
}

function ProcessChange(c) {
    if (!c) return html`<p class="empty">None recorded yet.</p>`;
    return html`<p>${c.description}</p><dl class="facts">
        <div><dt>Owner</dt><dd>${c.owner ?? '—'}</dd></div>
        <div><dt>Check-in due</dt><dd>${c.checkin_due ?? '—'}</dd></div>
        <div><dt>Check-in</dt><dd>${c.checked_in_on ? `${c.checked_in_on}, ` : ''}${CHECKIN[c.checkin_status] || c.checkin_status || '—'}${c.late ? html` <${Badge} kind="warn">late<//>` : ''}</dd></div></dl>`;
}

function TagChanges(t) {
    if (!t) return null;
    const causes = (list) => (list || []).map(label).join(', ') || '—';
    return html`<h3>Tags changed after the AE was notified</h3>
        <p>${t.changes} change${t.changes === 1 ? '' : 's'} on ${t.churns} of ${t.notified} notified churn${t.notified === 1 ? '' : 's'}; ${t.primary_changed} changed the primary cause.</p>
        ${t.items.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Churn</th><th scope="col">Notified</th><th scope="col">Changed</th>
            <th scope="col">Primary</th><th scope="col">Contributing</th></tr></thead>
            <tbody>${t.items.map((x) => html`<tr><th scope="row"><a href=${`/accounts/${encodeURIComponent(x.account_id || '')}`}>${x.churn_id}</a></th>
                <td>${x.notified_at}</td><td>${x.changed_at}${x.changed_by ? ` by ${x.changed_by}` : ''}</td>
                <td>${x.primary_before ? label(x.primary_before) : '—'} → ${x.primary_after ? label(x.primary_after) : '—'}</td>
                <td>${causes(x.contributing_before)} → ${causes(x.contributing_after)}</td></tr>`)}</tbody></table></div>` : ''}`;
}

// Churns closed with a level of signal written "not known: REASON".
function SignalsNotKnown(u, tagged) {
    if (!u) return null;
    return html`<h3>Signals not known</h3>
        <p data-testid="signals-not-known">${u.churns} of ${tagged} tagged churn${tagged === 1 ? '' : 's'} have a signal nobody knew:
            the customer's stated reason ${u.stated_reason}, the CS diagnosis ${u.diagnosis},
            the pre-sale behaviour ${u.predictive_behavior}.</p>`;
}

function AuditReport({ d }) {
    return html`<section class="card"><h2>Tagging by CSM</h2>
        <div class="table-wrap"><table class="data"><thead><tr><th scope="col">CSM</th><th scope="col" class="n">Tagged</th>
            <th scope="col">Causes</th><th scope="col" class="n">p</th></tr></thead>
            <tbody>${d.csms.map((c) => html`<tr><th scope="row">${c.name || c.csm_id}</th><td class="n">${c.tagged}</td>
                <td>${Object.entries(c.distribution).map(([k, v]) => `${label(k)} ${v}`).join(', ')}</td>
                <td class="n">${c.p_value === null ? '—' : Number(c.p_value).toPrecision(2)}</td></tr>`)}</tbody></table></div>
        ${TagChanges(d.tags_changed_after_notification)}
        ${SignalsNotKnown(d.signals_not_known, d.tagged)}
        <h3>Untagged over 14 days</h3>
        <ul class="plain">${d.untagged_over_14_days.map((u) => html`<li><a href=${`/churns/${encodeURIComponent(u.churn_id)}/tag`}>${u.churn_id}</a> — ${u.days_untagged} days</li>`)}</ul>
    </section>`;
}
