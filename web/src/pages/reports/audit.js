// audit.js - the tagging audit: tagging by CSM, tags changed after the
// AE was notified, signals nobody knew and churns left untagged.
import { html, label, when, day } from '../../ui.js';
import { evidence } from './shared.js';

function TagChanges(t) {
    if (!t) return null;
    const causes = (list) => (list || []).map(label).join(', ') || '—';
    return html`<h3>Tags changed after the AE was notified</h3>
        <p>${t.changes} change${t.changes === 1 ? '' : 's'} on ${t.churns} of ${t.notified} notified churn${t.notified === 1 ? '' : 's'}; ${t.primary_changed} changed the primary cause.</p>
        ${
            t.items.length
                ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Churn</th><th scope="col">Notified</th><th scope="col">Changed</th>
            <th scope="col">Primary</th><th scope="col">Contributing</th></tr></thead>
            <tbody>${t.items.map(
                (
                    x,
                ) => html`<tr><th scope="row"><a href=${`/accounts/${encodeURIComponent(x.account_id || '')}`}>${x.churn_id}</a></th>
                <td>${when(x.notified_at)}</td><td>${when(x.changed_at)}${x.changed_by ? ` by ${x.changed_by.name || 'a colleague'}` : ''}</td>
                <td>${x.primary_before ? label(x.primary_before) : '—'} → ${x.primary_after ? label(x.primary_after) : '—'}</td>
                <td>${causes(x.contributing_before)} → ${causes(x.contributing_after)}</td></tr>`,
            )}</tbody></table></div>`
                : ''
        }`;
}

// Churns closed with a level of signal written "not known: REASON".
function SignalsNotKnown(u, tagged) {
    if (!u) return null;
    return html`<h3>Signals not known</h3>
        <p data-testid="signals-not-known">${u.churns} of ${tagged} tagged churn${tagged === 1 ? '' : 's'} have a signal nobody knew:
            the customer's stated reason ${u.stated_reason}, the CS diagnosis ${u.diagnosis},
            the pre-sale behaviour ${u.predictive_behavior}.</p>`;
}

export function AuditReport({ d }) {
    return html`<section class="card"><h2>Tagging by CSM</h2>
        <div class="table-wrap"><table class="data"><thead><tr><th scope="col">CSM</th><th scope="col" class="n">Tagged</th>
            <th scope="col">Causes</th><th scope="col">Mix unlike the team's</th></tr></thead>
            <tbody>${d.csms.map(
                (
                    c,
                ) => html`<tr><th scope="row">${c.name || c.csm_id}</th><td class="n">${c.tagged}</td>
                <td>${Object.entries(c.distribution)
                    .map(([k, v]) => `${label(k)} ${v}`)
                    .join(', ')}</td>
                <td data-testid="tag-mix-evidence">${c.p_value === null ? '—' : evidence(c.p_value, 'p')}</td></tr>`,
            )}</tbody></table></div>
        ${TagChanges(d.tags_changed_after_notification)}
        ${SignalsNotKnown(d.signals_not_known, d.tagged)}
        <h3>Untagged over 14 days</h3>
        <ul class="plain">${d.untagged_over_14_days.map((u) => html`<li><a href=${`/churns/${encodeURIComponent(u.churn_id)}/tag`}>${u.churn_id}</a>, churned ${day(u.churned_on)} — ${u.days_untagged} days</li>`)}</ul>
    </section>`;
}
