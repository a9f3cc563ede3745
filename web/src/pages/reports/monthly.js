// monthly.js - the monthly churn debrief: accounts and ARR lost, causes,
// the customers' words, the signal to Sales and the process change.
import { html, money, pct, label, Badge } from '../../ui.js';
import { ChartFigure, COLORS } from '../../chart.js';
import { Kpi } from './shared.js';

export function Monthly({ d }) {
    const config = {
        type: 'bar',
        data: {
            labels: d.causes.map((c) => c.label),
            datasets: [
                {
                    label: 'ARR lost',
                    data: d.causes.map((c) => c.arr_lost),
                    backgroundColor: COLORS[1],
                },
            ],
        },
        options: { indexAxis: 'y' },
    };
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

const CHECKIN = {
    on_time: 'checked in on time',
    late: 'checked in late',
    overdue: 'check-in overdue',
    pending: 'check-in pending',
};

function Notification(n) {
    if (!n)
        return html`<p class="empty">No deal-attributable churn this month.</p>`;
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
