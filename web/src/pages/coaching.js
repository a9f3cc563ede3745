// coaching.js - private coaching items: the AE concerned, that AE's
// manager, VP Sales and RevOps.  The server answers anyone else 404 (as
// for no item: a 403 would say a colleague has one), or 403 to a role that
// sees no coaching at all, and this page shows that answer as it is.
import { api } from '../api.js';
import { html, useLoad, Loaded, label, day } from '../ui.js';

export function CoachingList() {
    const st = useLoad(() => api.get('/coaching'), []);
    return html`<div class="page"><h1>Coaching items</h1>
        <p class="lead">Private: never in a team report.</p>
        <${Loaded} state=${st}>${(d) => d.items.length === 0 ? html`<p class="empty">No coaching items for you.</p>`
            : html`<ul class="report-list">${d.items.map((c) => html`<li class="card">
                <a href=${`/coaching/${c.id}`}>${label(c.cause)} — ${c.period}</a>
                <span class="meta">${c.ae_name ?? c.ae_id}, ${label(c.status).toLowerCase()}</span></li>`)}</ul>`}<//></div>`;
}

export function CoachingItem({ params }) {
    const id = params[0];
    const st = useLoad(() => api.get(`/coaching/${encodeURIComponent(id)}`), [id]);
    return html`<${Loaded} state=${st}>${(c) => html`<div class="page" data-testid="coaching-item">
        <h1>Coaching item ${c.id}</h1>
        <dl class="facts">
            <div><dt>AE</dt><dd>${c.ae_name ?? c.ae_id}</dd></div><div><dt>Period</dt><dd>${c.period}</dd></div>
            <div><dt>Cause</dt><dd>${label(c.cause)}</dd></div><div><dt>Status</dt><dd>${label(c.status)}</dd></div>
            ${c.created_at && html`<div><dt>Opened</dt><dd>${day(c.created_at)}</dd></div>`}
        </dl>
        ${c.note && html`<p>${c.note}</p>`}
        <p><a href=${`/sessions/${c.session_id}`}>The review session</a></p>
    </div>`}<//>`;
}
