// inbox.js - my work: open tasks (overdue first, with due dates) and my
// notifications.  Both lists are the caller's own, as the API returns them.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    day,
    Badge,
    useSubmit,
    SubmitStatus,
    Select,
    label,
} from '../ui.js';

// Where a task is done in the UI.
export function taskHref(t) {
    switch (t.kind) {
        case 'won_deal_review':
            return `/deals/${encodeURIComponent(t.subject_id)}/review`;
        case 'review_answers':
            return `/deals/${encodeURIComponent(t.subject_id)}/review/answers`;
        case 'review_checkin_1':
        case 'review_checkin_2':
        case 'review_checkin_3':
            return `/tasks/${t.id}/checkin`;
        case 'churn_tagging':
            return `/churns/${encodeURIComponent(t.subject_id)}/tag`;
        case 'recovery_classification':
            return `/recoveries/${encodeURIComponent(t.subject_id)}/classify`;
        case 'process_change_checkin':
            return '/changes';
        default:
            return t.subject_kind && t.subject_id
                ? `/go/${t.subject_kind}/${encodeURIComponent(t.subject_id)}`
                : null;
    }
}

export function subjectHref(kind, id) {
    if (!kind || !id) return null;
    if (kind === 'coaching') return `/coaching/${encodeURIComponent(id)}`;
    if (kind === 'session') return `/sessions/${encodeURIComponent(id)}`;
    if (kind === 'task') return null;
    // A digest points at the report that lists what it says.
    if (kind === 'report') return `/reports/${encodeURIComponent(id)}`;
    return `/go/${kind}/${encodeURIComponent(id)}`;
}

// Overdue first, then by due day.
function byUrgency(a, b) {
    if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
    return String(a.due_on).localeCompare(String(b.due_on)) || a.id - b.id;
}

function TaskRow({ t, onDone }) {
    const [st, run] = useSubmit();
    const href = taskHref(t);
    // Tasks with no form of their own: the assignee says when it is done.
    const manual = t.kind === 'cause_followup';
    return html`<li class=${'task' + (t.overdue ? ' overdue' : '')} data-kind=${t.kind}>
        <div class="task-main">
            ${href ? html`<a href=${href}>${t.title}</a>` : html`<span>${t.title}</span>`}
            <div class="meta">
                <span>${label(t.kind)}</span>
                ${t.account_name && html`<span>${t.account_name}</span>`}
                ${t.attendees && html`<span>with ${(t.attendee_names || t.attendees.split(';')).join(', ')}</span>`}
            </div>
        </div>
        <div class="task-due">
            ${t.overdue ? html`<${Badge} kind="danger">Overdue<//>` : null}
            <time datetime=${t.due_on}>Due ${day(t.due_on)}</time>
            ${
                t.kind === 'debrief' &&
                html`<a class="button small" href=${`/tasks/${t.id}/debrief`}>
                Record the debrief</a>`
            }
            ${
                manual &&
                html`<button class="small" disabled=${st.busy}
                aria-label=${'Mark done: ' + t.title}
                onClick=${() => run(() => api.post(`/tasks/${t.id}/done`)).then(onDone)}>
                Mark done</button>`
            }
        </div>
        <${SubmitStatus} st=${{ ...st, done: null }} />
    </li>`;
}

function Note({ n, onRead }) {
    const href = subjectHref(n.subject_kind, n.subject_id);
    return html`<li class=${'note' + (n.unread ? ' unread' : '')} data-kind=${n.kind}>
        <div class="note-head">
            ${n.unread && html`<${Badge} kind="info">New<//>`}
            ${href ? html`<a href=${href}>${n.subject}</a>` : html`<strong>${n.subject}</strong>`}
        </div>
        ${n.account_name && html`<p class="note-account">${n.account_name}</p>`}
        <p class="note-body">${n.body}</p>
        <div class="meta">
            <span>${label(n.kind)}</span>
            <time datetime=${n.created_at}>${day(n.created_at)}</time>
            ${
                n.unread &&
                html`<button class="link small" aria-label=${'Mark read: ' + n.subject}
                onClick=${() => api.post(`/inbox/${n.id}/read`).then(onRead, onRead)}>Mark read</button>`
            }
        </div>
    </li>`;
}

// The first page of notifications, and the pages "Load more" adds by
// following next_cursor (of the same kind).
function Notes({ d, reload, kind }) {
    const [extra, setExtra] = useState({
        items: [],
        cursor: d.next_cursor,
        busy: false,
        error: null,
    });
    useEffect(
        () =>
            setExtra({
                items: [],
                cursor: d.next_cursor,
                busy: false,
                error: null,
            }),
        [d],
    );
    const more = () => {
        setExtra((x) => ({ ...x, busy: true, error: null }));
        api.get('/inbox', { limit: 50, cursor: extra.cursor, kind }).then(
            (p) =>
                setExtra((x) => ({
                    items: [...x.items, ...p.items],
                    cursor: p.next_cursor,
                    busy: false,
                    error: null,
                })),
            (error) => setExtra((x) => ({ ...x, busy: false, error })),
        );
    };
    const items = [...d.items, ...extra.items];
    const [all, runAll] = useSubmit();
    return html`<div class="notes-head"><p class="summary">${d.unread ?? 0} unread of ${d.total}</p>
        ${
            d.unread > 0 &&
            html`<button class="small" disabled=${all.busy} data-testid="inbox-read-all"
            onClick=${() => runAll(() => api.post('/inbox/read')).then(reload)}>Mark all read</button>`
        }</div>
        <${SubmitStatus} st=${{ ...all, done: null }} />
        ${
            items.length === 0
                ? html`<p class="empty">No notifications.</p>`
                : html`<ul class="notes" data-testid="notifications">${items.map(
                      (n) =>
                          html`<${Note} key=${n.id} n=${n} onRead=${reload} />`,
                  )}</ul>`
        }
        ${extra.error && html`<p role="alert" class="error">${extra.error.message}</p>`}
        ${
            extra.cursor &&
            html`<button class="small" disabled=${extra.busy} data-testid="inbox-more"
            onClick=${more}>Load more</button>`
        }`;
}

// "Show: all, or one kind", for a list of items of several kinds.  counts:
// kind -> how many.
function KindFilter({ what, value, onChange, counts }) {
    const kinds = Object.keys(counts).sort((a, b) =>
        label(a).localeCompare(label(b)),
    );
    if (kinds.length < 2 && !value) return null;
    return html`<div class="kind-filter"><${Select} label=${`Show ${what}`}
        name=${`${what}-kind`} value=${value} onChange=${onChange}
        placeholder=${`All ${what}`}
        options=${kinds.map((k) => ({
            value: k,
            label: `${label(k)} (${counts[k]})`,
        }))} /></div>`;
}

const countKinds = (items) =>
    items.reduce((m, x) => ({ ...m, [x.kind]: (m[x.kind] || 0) + 1 }), {});

export function Inbox({ me }) {
    const [taskKind, setTaskKind] = useState('');
    const [noteKind, setNoteKind] = useState('');
    const [noteKinds, setNoteKinds] = useState({});
    const tasks = useLoad(
        () => api.get('/tasks', { status: 'open', limit: 200 }),
        [],
    );
    const inbox = useLoad(
        () => api.get('/inbox', { limit: 50, kind: noteKind }),
        [noteKind],
    );
    // The filter keeps its choices while a kind's page loads.
    useEffect(() => {
        if (inbox.data) setNoteKinds(inbox.data.kinds || {});
    }, [inbox.data]);
    return html`<div class="page inbox">
        <h1>My inbox</h1>
        <p class="lead">Hello ${me.name.split(' ')[0]}. Your open work, overdue first, and what the loop told you.</p>
        <div class="two-col">
            <section aria-labelledby="tasks-h" class="card">
                <h2 id="tasks-h">My tasks</h2>
                <${Loaded} state=${tasks}>${(d) => {
                    const all = d.items.filter((t) => t.status === 'open');
                    const open = all
                        .filter((t) => !taskKind || t.kind === taskKind)
                        .sort(byUrgency);
                    const overdue = open.filter((t) => t.overdue).length;
                    return html`<${KindFilter} what="tasks" value=${taskKind}
                        onChange=${setTaskKind} counts=${countKinds(all)} />
                    <p class="summary" data-testid="task-summary">${open.length} open${overdue ? `, ${overdue} overdue` : ''}</p>
                    ${
                        open.length === 0
                            ? html`<p class="empty">Nothing due. Well done.</p>`
                            : html`<ul class="tasks" data-testid="tasks">${open.map(
                                  (t) =>
                                      html`<${TaskRow} key=${t.id} t=${t} onDone=${tasks.reload} />`,
                              )}</ul>`
                    }`;
                }}<//>
            </section>
            <section aria-labelledby="notes-h" class="card">
                <h2 id="notes-h">Notifications</h2>
                <${KindFilter} what="notifications" value=${noteKind}
                    onChange=${setNoteKind} counts=${noteKinds} />
                <${Loaded} state=${inbox}>${(d) => html`<${Notes} d=${d} reload=${inbox.reload} kind=${noteKind} />`}<//>
            </section>
        </div>
    </div>`;
}
