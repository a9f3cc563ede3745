// events.js - inbound events from the CRMs (issue 15, docs/integrations.md):
// RevOps sees the ones that failed (source, when, why, what they carried)
// and retries each once its cause is fixed (a missing account imported), or
// discards it.  Both are audited by the server.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    Select,
    label,
    when,
    useSubmit,
    SubmitStatus,
    TableWrap,
} from '../ui.js';

const STATUSES = ['failed', 'pending', 'applied', 'discarded'];
const SOURCES = {
    generic: 'Generic webhook',
    hubspot: 'HubSpot',
    salesforce: 'Salesforce',
};

function EventRow({ ev, onDone }) {
    const [sub, run] = useSubmit();
    const act = (what) =>
        run(
            () => api.post(`/events/${ev.id}/${what}`),
            what === 'retry' ? 'Retried' : 'Discarded',
        ).then((r) => r && onDone(r));
    return html`<tr data-testid="event" data-id=${ev.id}>
        <td>${SOURCES[ev.source] || ev.source}<br /><span class="meta">${ev.event_id}</span></td>
        <td><time datetime=${ev.received_at}>${when(ev.received_at)}</time></td>
        <td><code>${ev.summary}</code></td>
        <td data-testid="event-error">${ev.error || '—'}${
            ev.attempts > 1
                ? html`<br /><span class="meta">${ev.attempts} attempts</span>`
                : ''
        }</td>
        <td>${
            ev.status === 'failed'
                ? html`<div class="actions">
            <button type="button" disabled=${sub.busy} onClick=${() => act('retry')}
                aria-label=${`Retry event ${ev.id}`}>Retry</button>
            <button type="button" class="secondary" disabled=${sub.busy}
                onClick=${() => act('discard')}
                aria-label=${`Discard event ${ev.id}`}>Discard</button></div>
            <${SubmitStatus} st=${sub} />`
                : label(ev.status)
        }</td>
    </tr>`;
}

export function Events() {
    const [status, setStatus] = useState('failed');
    const [note, setNote] = useState('');
    const st = useLoad(
        () => api.get('/events', { status, limit: 200 }),
        [status],
    );
    const done = (ev) => {
        setNote(
            `Event ${ev.id} is ${label(ev.status).toLowerCase()}` +
                (ev.status === 'failed' ? `: ${ev.error}` : '.'),
        );
        st.reload();
    };
    return html`<div class="page"><h1>Inbound events</h1>
        <p class="lead">What the CRM webhooks sent. A failed event is kept
        with its error until you retry it (after fixing the cause, e.g.
        importing the account it names) or discard it.</p>
        <${Select} label="Status" name="status" value=${status}
            onChange=${setStatus}
            options=${STATUSES.map((s) => ({ value: s, label: label(s) }))} />
        <p class="form-done" aria-live="polite" data-testid="event-note">${note}</p>
        <${Loaded} state=${st}>${(d) =>
            d.items.length === 0
                ? html`<p class="empty">No ${status} events.</p>`
                : html`<${TableWrap} name="crm-events"><table class="data">
            <caption>${d.items.length}${d.next_cursor ? '+' : ''} ${status} events, oldest first</caption>
            <thead><tr><th scope="col">Source</th><th scope="col">Received</th>
                <th scope="col">What</th><th scope="col">Error</th><th scope="col">Action</th></tr></thead>
            <tbody>${d.items.map((ev) => html`<${EventRow} key=${ev.id} ev=${ev} onDone=${done} />`)}</tbody>
            </table><//>`}<//></div>`;
}
