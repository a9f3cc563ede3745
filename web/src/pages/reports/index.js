// reports/index.js - the reports as dashboards: the same JSON as the CLI
// (`closeloop report NAME --format json`), drawn with Chart.js and shown
// as tables with the same figures.  Team-facing reports never name an
// AE; the server leaves out what a role may not read.
// This file holds the list, the page with its period picker and the
// table of bodies; each report's body is a file of this directory.
import { api, qs } from '../../api.js';
import { html, useLoad, Loaded, navigate } from '../../ui.js';
import { IcpDecision } from '../icp_decide.js';
import { BadFit } from './badfit.js';
import { Icp } from './icp.js';
import { Recovery } from './recovery.js';
import { Health } from './health.js';
import { Pipeline, pipelineQuery } from './pipeline.js';
import { Monthly } from './monthly.js';
import { AuditReport } from './audit.js';
import { PatternsReport } from './patterns.js';

export function Reports() {
    const st = useLoad(() => api.get('/reports'), []);
    return html`<div class="page">
        <h1>Reports</h1>
        <${Loaded} state=${st}>${(d) => html`<ul class="report-list">
            ${d.items.map(
                (
                    r,
                ) => html`<li class="card"><a href=${`/reports/${r.name}`}>${r.title}</a>
                <span class="meta">${r.period === 'now' ? 'as of today' : `by ${r.period}`}</span></li>`,
            )}
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

const TITLES = {
    monthly: 'Monthly churn debrief',
    'bad-fit': 'Quarterly bad-fit review',
    icp: 'Quarterly ICP review',
    recovery: 'Quarterly recovery review',
    health: 'Loop health',
    audit: 'Tagging audit',
    pipeline: 'Open pipeline at risk',
    patterns: 'Churn patterns and the pipeline that matches them',
};
const BODIES = {
    'bad-fit': BadFit,
    icp: Icp,
    recovery: Recovery,
    health: Health,
    pipeline: Pipeline,
    monthly: Monthly,
    audit: AuditReport,
    patterns: PatternsReport,
};

// A report's dashboard body for its JSON d (a session's pack is one).
export function ReportBody({ name, d }) {
    const Body = BODIES[name];
    return Body
        ? html`<${Body} d=${d} />`
        : html`<pre>${JSON.stringify(d, null, 2)}</pre>`;
}

// The periods a person picks from: today's quarter (or month) and the 7
// quarters (11 months) before it, and the one shown if it is older.
export function periodChoices(monthly, today, shown) {
    const out = [];
    let p = monthly
        ? (today || '').slice(0, 7)
        : `${(today || '').slice(0, 4)}Q${Math.floor((Number((today || '').slice(5, 7)) - 1) / 3) + 1}`;
    if (!/^\d{4}(-\d{2}|Q[1-4])$/.test(p)) return shown ? [shown] : [];
    for (let i = 0; i < (monthly ? 12 : 8); i++, p = shift(p, -1)) out.push(p);
    if (shown && !out.includes(shown)) out.push(shown);
    return out;
}

function PeriodPicker({ name, period, today, go }) {
    const monthly = name === 'monthly';
    const choices = periodChoices(monthly, today, period);
    return html`<form class="period card no-print" aria-label="Period"
        onSubmit=${(e) => e.preventDefault()}>
        ${
            period &&
            html`<button type="button" onClick=${() => go(shift(period, -1))}>
            ‹ <span class="sr-only">Previous period: </span>${shift(period, -1)}</button>`
        }
        <div class="field">
            <label for="report-period-pick">${monthly ? 'Month' : 'Quarter'}</label>
            <select id="report-period-pick" name="period" value=${period || ''}
                onChange=${(e) => e.target.value && go(e.target.value)}>
                ${!period && html`<option value="">Choose…</option>`}
                ${choices.map((c) => html`<option value=${c}>${c}</option>`)}
            </select>
        </div>
        ${
            period &&
            html`<button type="button" onClick=${() => go(shift(period, 1))}>
            <span class="sr-only">Next period: </span>${shift(period, 1)} ›</button>`
        }
    </form>`;
}

// The report as the CLI's files, and printed (the print stylesheet).
function Downloads({ name, period, priv, extra }) {
    const link = (format) =>
        `/api/v1/reports/${encodeURIComponent(name)}${qs({
            period,
            private: priv ? 1 : '',
            ...extra,
            format,
        })}`;
    return html`<p class="downloads meta no-print" data-testid="downloads">
        ${'Download '}<a href=${link('csv')} download>CSV</a>${' · '}
        <a href=${link('md')} download>Markdown</a>${' · '}
        <a href=${link('html')} download>HTML</a>${' · '}
        <button type="button" class="link" onClick=${() => window.print()}>Print</button>
    </p>`;
}

export function ReportPage({ params, query, me }) {
    const name = params[0];
    const period = query.get('period') || '';
    const priv = query.get('private') === '1';
    const extra = name === 'pipeline' ? pipelineQuery(query) : {};
    const st = useLoad(
        () =>
            api.get(`/reports/${encodeURIComponent(name)}`, {
                period,
                private: priv ? 1 : '',
                ...extra,
            }),
        [name, period, priv, JSON.stringify(extra)],
    );
    const go = (p) =>
        navigate(
            `/reports/${name}?period=${encodeURIComponent(p)}${priv ? '&private=1' : ''}`,
        );
    const Body = BODIES[name];
    const periodic = !['health', 'pipeline', 'patterns'].includes(name);
    const today = me && me.today;
    // A period in the link that the report does not take keeps the page:
    // the picker and what was wrong, not an error page.
    if (st.error && st.error.field === 'period')
        return html`<div class="page report" data-report=${name}>
            <h1>${TITLES[name] || name}</h1>
            <p class="form-error" role="alert" data-testid="period-error">
                The link asks for period “${period}”, which this report cannot
                show: ${st.error.message}. Choose a period below.</p>
            <${PeriodPicker} name=${name} period="" today=${today} go=${go} />
        </div>`;
    return html`<div class="page report" data-report=${name}>
        <h1>${TITLES[name] || name}</h1>
        <${Loaded} state=${st}>${(d) => html`
            ${
                periodic &&
                html`<${PeriodPicker} name=${name} period=${d.period} today=${today} go=${go} />`
            }
            <p class="meta" data-testid="report-period">${d.period ? `Period ${d.period}` : ''}${d.from ? ` (${d.from} to ${d.to})` : ''}${d.as_of ? `As of ${d.as_of}` : ''}</p>
            <${Downloads} name=${name} period=${periodic ? d.period : ''} priv=${priv} extra=${extra} />
            ${Body ? html`<${Body} d=${d} query=${query} />` : html`<pre>${JSON.stringify(d, null, 2)}</pre>`}
            ${name === 'icp' && html`<${IcpDecision} d=${d} me=${me} />`}`}<//>
    </div>`;
}
