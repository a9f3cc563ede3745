// coaching.js - private coaching items: the AE concerned, that AE's
// manager, VP Sales and RevOps.  The server answers anyone else 404 (as
// for no item: a 403 would say a colleague has one), or 403 to a role that
// sees no coaching at all, and this page shows that answer as it is.  The
// AE's manager, VP Sales and RevOps open an item from a finding, record the
// conversation on it (private, on the item only) and close it (issue 16).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    label,
    day,
    navigate,
    Select,
    TextArea,
    useSubmit,
    SubmitStatus,
    Badge,
} from '../ui.js';
import { periodChoices } from './reports/index.js';

const WRITERS = ['sales_manager', 'vp_sales', 'revops'];

// Opening an item: the AE by name, a sales-attributable cause in use (not
// retired) by its label, the quarter from a list; prefilled from a link (a
// bad-fit finding).
function OpenForm({ me, query }) {
    const aes = useLoad(
        () => api.get('/users', { role: 'ae', limit: 1000 }),
        [],
    );
    const tax = useLoad(() => api.get('/settings/taxonomy'), []);
    const [f, setF] = useState({
        ae_id: query.get('ae_id') || '',
        cause: query.get('cause') || '',
        period: query.get('period') || '',
        note: query.get('note') || '',
    });
    const [st, run] = useSubmit();
    const set = (k) => (v) => setF({ ...f, [k]: v });
    const causes = [
        ...((tax.data && tax.data.items) || [])
            .filter((c) => c.sales_attributable && !c.retired)
            .map((c) => ({ value: c.code, label: c.label })),
        { value: 'trust_breakdown', label: label('trust_breakdown') },
    ];
    const periods = periodChoices(false, me.today, f.period).map((p) => ({
        value: p,
        label: p,
    }));
    return html`<section class="card" aria-labelledby="open-h" data-testid="coaching-open">
        <h2 id="open-h">Open a coaching item</h2>
        <p class="meta">Private to the AE, the AE's manager, VP Sales and RevOps.</p>
        <form onSubmit=${async (e) => {
            e.preventDefault();
            const r = await run(() => api.post('/coaching', f), 'Opened');
            if (r) navigate(`/coaching/${r.id}`);
        }}>
            <${Select} label="AE" name="ae_id" value=${f.ae_id} onChange=${set('ae_id')}
                placeholder="Choose an AE" required
                options=${((aes.data && aes.data.items) || []).map((u) => ({
                    value: u.id,
                    label: u.name,
                }))} />
            <${Select} label="Cause" name="cause" value=${f.cause} onChange=${set('cause')}
                placeholder="Choose a cause" required options=${causes} />
            <${Select} label="Quarter" name="period" value=${f.period} onChange=${set('period')}
                placeholder="Choose a quarter" required options=${periods} />
            <${TextArea} label="Why (the finding)" name="note" value=${f.note}
                onInput=${set('note')} maxlength="4000" />
            <div class="actions"><button class="primary" type="submit" disabled=${st.busy}>Open item</button></div>
            <${SubmitStatus} st=${st} />
        </form>
    </section>`;
}

export function CoachingList({ me, query }) {
    const st = useLoad(() => api.get('/coaching'), []);
    const writer = WRITERS.includes(me.role);
    const [opening, setOpening] = useState(query.get('new') === '1');
    return html`<div class="page"><h1>Coaching items</h1>
        <p class="lead">Private: never in a team report.</p>
        ${
            writer &&
            (opening
                ? html`<${OpenForm} me=${me} query=${query} />`
                : html`<p><button type="button" onClick=${() => setOpening(true)}>Open a coaching item</button></p>`)
        }
        <${Loaded} state=${st}>${(d) =>
            d.items.length === 0
                ? html`<p class="empty">No coaching items for you.</p>`
                : html`<ul class="report-list">${d.items.map(
                      (c) => html`<li class="card">
                <a href=${`/coaching/${c.id}`}>${label(c.cause)} — ${c.period}</a>
                <span class="meta">${c.ae_name ?? 'an AE'}, ${label(c.status).toLowerCase()}</span></li>`,
                  )}</ul>`}<//></div>`;
}

function FollowUp({ c, onSaved }) {
    const [note, setNote] = useState('');
    const [st, run] = useSubmit();
    return html`<section class="card" aria-labelledby="conv-h" data-testid="coaching-follow">
        <h2 id="conv-h">The conversation</h2>
        <form onSubmit=${async (e) => {
            e.preventDefault();
            if (
                await run(
                    () => api.post(`/coaching/${c.id}/notes`, { note }),
                    'Recorded',
                )
            ) {
                setNote('');
                onSaved();
            }
        }}>
            <${TextArea} label="What was said and agreed" name="note" value=${note}
                onInput=${setNote} rows="4" maxlength="4000" required
                hint="Kept on this item only: the audit records that it changed, not the words." />
            <div class="actions">
                <button class="primary" type="submit" disabled=${st.busy}>Record</button>
                <button type="button" disabled=${st.busy} onClick=${async () => {
                    if (
                        await run(
                            () =>
                                api.post(
                                    `/coaching/${c.id}/close`,
                                    note ? { note } : {},
                                ),
                            'Closed',
                        )
                    )
                        onSaved();
                }}>Close the item</button>
            </div>
            <${SubmitStatus} st=${st} />
        </form>
    </section>`;
}

export function CoachingItem({ params, me }) {
    const id = params[0];
    const st = useLoad(
        () => api.get(`/coaching/${encodeURIComponent(id)}`),
        [id],
    );
    return html`<${Loaded} state=${st}>${(
        c,
    ) => html`<div class="page" data-testid="coaching-item">
        <h1>Coaching item ${c.id} ${
            c.status === 'closed'
                ? html`<${Badge} kind="muted">Closed<//>`
                : html`<${Badge}>Open<//>`
        }</h1>
        <dl class="facts">
            <div><dt>AE</dt><dd>${c.ae_name ?? '—'}</dd></div><div><dt>Period</dt><dd>${c.period}</dd></div>
            <div><dt>Cause</dt><dd data-testid="coaching-cause">${label(c.cause)}</dd></div><div><dt>Status</dt><dd>${label(c.status)}</dd></div>
            ${c.created_at && html`<div><dt>Opened</dt><dd>${day(c.created_at)}</dd></div>`}
        </dl>
        ${c.note && html`<p class="note-body" data-testid="coaching-note">${c.note}</p>`}
        ${c.session_id ? html`<p><a href=${`/sessions/${c.session_id}`}>The review session</a></p>` : null}
        ${
            WRITERS.includes(me.role) &&
            c.status === 'open' &&
            html`<${FollowUp} c=${c} onSaved=${st.reload} />`
        }
    </div>`}<//>`;
}
