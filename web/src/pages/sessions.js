// sessions.js - the debriefs and quarterly reviews RevOps runs: the pack,
// decisions, the debrief's one process change with its 30-day check-in,
// and closing the session.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    day,
    text,
    label,
    person,
    Badge,
    TextArea,
    Select,
    useSubmit,
    SubmitStatus,
} from '../ui.js';
import { ReportBody } from './reports/index.js';
import { SessionPlan } from './sessions_plan.js';

export function Sessions({ me }) {
    const [status, setStatus] = useState('open');
    const st = useLoad(() => api.get('/sessions', { status }), [status]);
    return html`<div class="page">
        <h1>Sessions</h1>
        <div class="filters"><${Select} label="Show" name="status" value=${status} onChange=${setStatus}
            options=${[
                { value: 'open', label: 'Open sessions' },
                { value: 'closed', label: 'Closed sessions' },
            ]} /></div>
        <p><a href="/changes">Process changes and their check-ins</a></p>
        <${Loaded} state=${st}>${(d) =>
            d.items.length === 0
                ? html`<p class="empty">No ${status} sessions.</p>`
                : html`<ul class="report-list">${d.items.map(
                      (s) => html`<li class="card">
                <a href=${`/sessions/${s.id}`}>${label(s.kind)} ${s.period}</a>
                <span class="meta">${label(s.status)}, opened ${day(s.opened_at)}${s.owner_name ? `, owner ${s.owner_name}` : ''}, ${s.decisions.length} ${s.decisions.length === 1 ? 'decision' : 'decisions'}</span></li>`,
                  )}</ul>`}<//>
        <${SessionPlan} me=${me} />
    </div>`;
}

function PackSummary({ s }) {
    const p = s.pack;
    if (!p) return html`<p class="empty">No pack.</p>`;
    const reportName = {
        monthly_debrief: 'monthly',
        bad_fit_review: 'bad-fit',
        icp_review: 'icp',
        recovery_review: 'recovery',
    }[s.kind];
    // The pack is the report as it stood when the session opened: shown
    // with the dashboard's own charts and tables, not as today's figures.
    return html`<div class="report pack-body" data-report=${reportName || s.kind} data-testid="pack">
        <p class="meta">The ${reportName ? label(reportName) : label(s.kind)} report for ${s.period} as it stood when the session opened${reportName ? html`; <a href=${`/reports/${reportName}?period=${encodeURIComponent(s.period)}`}>today's dashboard</a>` : ''}.</p>
        ${reportName ? html`<${ReportBody} name=${reportName} d=${p} />` : null}
        <details><summary>The pack as generated (JSON)</summary><pre class="pack">${JSON.stringify(p, null, 2)}</pre></details>
    </div>`;
}

export function SessionPage({ params, me }) {
    const id = params[0];
    const st = useLoad(async () => {
        const [s, users, changes] = await Promise.all([
            api.get(`/sessions/${encodeURIComponent(id)}`),
            api.get('/users', { limit: 1000 }).catch(() => ({ items: [] })),
            api.get('/changes').catch(() => ({ items: [] })),
        ]);
        const mine = changes.items.filter(
            (c) => String(c.session_id) === String(id),
        );
        // Who may not list users still sees the owners by name.
        const names = Object.fromEntries(
            [s, ...mine]
                .filter((x) => x.owner_name)
                .map((x) => [x.owner_id, x.owner_name]),
        );
        for (const u of users.items) names[u.id] = u.name;
        return { s, users: users.items, names, changes: mine };
    }, [id]);
    const [decision, setDecision] = useState('');
    const [owner, setOwner] = useState('');
    const [desc, setDesc] = useState('');
    const [sub, run] = useSubmit();
    return html`<${Loaded} state=${st}>${({
        s,
        users,
        changes,
        names,
    }) => html`<div class="page">
        <h1>${label(s.kind)} ${s.period} <${Badge} kind=${s.status === 'open' ? 'info' : 'muted'}>${label(s.status)}<//></h1>
        <p class="meta">Owner ${person(names, s.owner_id)}; opened ${day(s.opened_at)}${s.closed_at ? `, closed ${day(s.closed_at)}` : ''}</p>
        <section aria-labelledby="pack-h" class="pack-section"><h2 id="pack-h">The pack</h2><${PackSummary} s=${s} /></section>
        <section class="card"><h2>Decisions</h2>
            ${s.decisions.length ? html`<ol>${s.decisions.map((d) => html`<li>${typeof d === 'string' ? d : d.text}</li>`)}</ol>` : html`<p class="empty">None yet.</p>`}
            ${
                s.status === 'open' &&
                html`<form onSubmit=${async (e) => {
                    e.preventDefault();
                    if (
                        await run(
                            () =>
                                api.post(`/sessions/${s.id}/decisions`, {
                                    text: decision,
                                }),
                            'Decision recorded',
                        )
                    ) {
                        setDecision('');
                        st.reload();
                    }
                }}>
                <${TextArea} label="Record a decision" name="decision" value=${decision} onInput=${setDecision} />
                <button type="submit" disabled=${!decision.trim() || sub.busy}>Add the decision</button></form>`
            }
        </section>
        ${
            s.kind === 'monthly_debrief' &&
            html`<section class="card"><h2>The one process change</h2>
            ${
                changes.length
                    ? changes.map(
                          (
                              c,
                          ) => html`<div class="tag-box"><p>${c.description}</p>
                <p class="meta">Owner ${person(names, c.owner_id)}; check-in due ${day(c.checkin_due)}${c.checkin_on ? `; checked in ${day(c.checkin_on)}: ${c.checkin_note}` : ''}</p></div>`,
                      )
                    : s.status === 'open'
                      ? html`<form onSubmit=${async (e) => {
                            e.preventDefault();
                            if (
                                await run(
                                    () =>
                                        api.post(`/sessions/${s.id}/change`, {
                                            owner_id: owner,
                                            description: desc,
                                        }),
                                    'Change recorded; its 30-day check-in is scheduled',
                                )
                            )
                                st.reload();
                        }}>
                    <p class="meta">Exactly one change per debrief, with a named owner; the check-in is due 30 days later and is chased.</p>
                    <${Select} label="Owner" name="owner_id" value=${owner} onChange=${setOwner} placeholder="Choose the owner" required
                        options=${users.filter((u) => u.active !== false).map((u) => ({ value: u.id, label: `${u.name} (${label(u.role)})` }))} />
                    <${TextArea} label="The process change" name="description" value=${desc} onInput=${setDesc} />
                    <button type="submit" disabled=${!owner || !desc.trim() || sub.busy}>Record the change</button></form>`
                      : html`<p class="empty">No change was recorded.</p>`
            }
        </section>`
        }
        ${
            s.status === 'open' &&
            me.role === 'revops' &&
            html`<section class="card"><h2>Close the session</h2>
            <p class="meta">Closing runs what follows the session (for quarterly reviews, the "what changed" note to CSMs).</p>
            ${s.kind === 'monthly_debrief' && !changes.length && html`<p class="hint" data-testid="close-needs-change">A debrief closes once its one process change is recorded.</p>`}
            <button onClick=${async () => {
                if (
                    await run(
                        () => api.post(`/sessions/${s.id}/close`),
                        'Session closed',
                    )
                )
                    st.reload();
            }}
                disabled=${sub.busy || (s.kind === 'monthly_debrief' && !changes.length)}>Close the session</button></section>`
        }
        <${SubmitStatus} st=${sub} />
    </div>`}<//>`;
}

function Checkin({ c, onDone }) {
    const [note, setNote] = useState('');
    const [sub, run] = useSubmit();
    return html`<form onSubmit=${async (e) => {
        e.preventDefault();
        if (
            await run(
                () => api.post(`/changes/${c.id}/checkin`, { note }),
                'Check-in recorded',
            )
        )
            onDone();
    }}>
        <${TextArea} label=${`Check-in on: ${c.description}`} name="note" value=${note} onInput=${setNote} />
        <button type="submit" disabled=${!note.trim() || sub.busy}>Record the check-in</button>
        <${SubmitStatus} st=${sub} /></form>`;
}

export function Changes() {
    const st = useLoad(() => api.get('/changes'), []);
    return html`<div class="page"><h1>Process changes</h1>
        <${Loaded} state=${st}>${(d) =>
            d.items.length === 0
                ? html`<p class="empty">No process changes yet.</p>`
                : html`<ul class="plain">${d.items.map(
                      (c) => html`<li class="card">
                <p><strong>${c.description}</strong></p>
                <p class="meta">Debrief <a href=${`/sessions/${c.session_id}`}>${c.session_id}</a>, owner ${c.owner_name ?? c.owner_id},
                    check-in due ${day(c.checkin_due)} ${c.escalated ? html`<${Badge} kind="danger">escalated<//>` : ''}</p>
                ${c.checkin_on ? html`<p>Checked in ${day(c.checkin_on)}: ${text(c.checkin_note)}</p>` : html`<${Checkin} c=${c} onDone=${st.reload} />`}
            </li>`,
                  )}</ul>`}<//></div>`;
}
