// team.js - a manager's view of its people's work (issue 16): open and
// overdue tasks by person, filtered by kind, with the untagged churns past
// their tagging window (the overdue churn-tagging tasks) for CS leads; and
// for sales leadership the pipeline flags and the coaching items by AE.
// Every list is what the API lets the caller see: a manager sees the people
// it manages, RevOps everyone; nothing here reads more than the API gives.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, useLoad, Loaded, Select, label, day, TableWrap } from '../ui.js';
import { taskHref } from './inbox.js';

const SALES = ['sales_manager', 'vp_sales', 'revops'];
const CS = ['cs_manager', 'vp_cs', 'revops'];

// Rows of items grouped by key(item): [{key, name, items}], most first.
function groupBy(items, key, name) {
    const m = new Map();
    for (const x of items) {
        const k = key(x) || '';
        if (!m.has(k)) m.set(k, { key: k, name: name(x), items: [] });
        m.get(k).items.push(x);
    }
    return [...m.values()];
}

function Work({ d }) {
    const [kind, setKind] = useState('');
    const [who, setWho] = useState('');
    const kinds = [...new Set(d.items.map((t) => t.kind))].sort();
    const tasks = d.items.filter((t) => !kind || t.kind === kind);
    const rows = groupBy(
        tasks,
        (t) => t.assignee_id,
        (t) => t.assignee_name || 'Unassigned',
    )
        .map((r) => ({
            ...r,
            overdue: r.items.filter((t) => t.overdue).length,
            tagging: r.items.filter(
                (t) => t.overdue && t.kind === 'churn_tagging',
            ).length,
        }))
        .sort(
            (a, b) =>
                b.overdue - a.overdue ||
                b.items.length - a.items.length ||
                a.name.localeCompare(b.name),
        );
    const shown = rows.find((r) => r.key === who);
    return html`<section class="card" aria-labelledby="team-work">
        <h2 id="team-work">Open work by person</h2>
        <div class="filters">
            <${Select} label="Kind of task" name="kind" value=${kind}
                placeholder="Every kind" onChange=${(v) => {
                    setKind(v);
                    setWho('');
                }}
                options=${kinds.map((k) => ({ value: k, label: label(k) }))} />
        </div>
        ${
            rows.length === 0
                ? html`<p class="empty">No open tasks.</p>`
                : html`<${TableWrap} name="open-work"><table class="data" data-testid="team-work">
            <caption>${tasks.length} open tasks of ${rows.length} people</caption>
            <thead><tr><th scope="col">Person</th><th scope="col" class="n">Open</th>
                <th scope="col" class="n">Overdue</th>
                <th scope="col" class="n">Untagged churns past the window</th></tr></thead>
            <tbody>${rows.map(
                (r) => html`<tr data-person=${r.name}>
                <th scope="row"><button type="button" class="link"
                    aria-expanded=${who === r.key}
                    onClick=${() => setWho(who === r.key ? '' : r.key)}>${r.name}</button></th>
                <td class="n">${r.items.length}</td><td class="n">${r.overdue}</td>
                <td class="n">${r.tagging}</td></tr>`,
            )}</tbody>
        </table><//>`
        }
        ${
            shown &&
            html`<div class="card inner" data-testid="team-person">
            <h3>${shown.name}: ${shown.items.length} open</h3>
            <ul class="tasks">${shown.items.map((t) => {
                const href = taskHref(t);
                return html`<li class=${'task' + (t.overdue ? ' overdue' : '')}>
                    <div class="task-main">${
                        href ? html`<a href=${href}>${t.title}</a>` : t.title
                    }
                        <div class="meta"><span>${label(t.kind)}</span>
                        ${t.account_name && html`<span>${t.account_name}</span>`}</div></div>
                    <div class="task-due"><time datetime=${t.due_on}>Due ${day(t.due_on)}</time></div>
                </li>`;
            })}</ul></div>`
        }
    </section>`;
}

function SalesView() {
    const pipe = useLoad(() => api.get('/reports/pipeline'), []);
    const coach = useLoad(() => api.get('/coaching'), []);
    const aes = useLoad(
        () => api.get('/users', { role: 'ae', limit: 1000 }),
        [],
    );
    const name = (id) =>
        (aes.data?.items.find((u) => u.id === id) || {}).name || 'Unknown AE';
    return html`<section class="card" aria-labelledby="team-sales">
        <h2 id="team-sales">Pipeline flags and coaching by AE</h2>
        <${Loaded} state=${pipe}>${(p) =>
            html`<${Loaded} state=${coach}>${(c) => {
                const open = c.items.filter((x) => x.status !== 'closed');
                const ids = [
                    ...new Set(
                        [
                            ...p.deals.map((x) => x.ae_id),
                            ...c.items.map((x) => x.ae_id),
                        ].filter(Boolean),
                    ),
                ];
                const rows = ids
                    .map((id) => {
                        const deals = p.deals.filter((x) => x.ae_id === id);
                        return {
                            id,
                            name: name(id),
                            deals: deals.length,
                            flags: deals.reduce(
                                (n, x) => n + x.flags.length,
                                0,
                            ),
                            coaching: open.filter((x) => x.ae_id === id).length,
                        };
                    })
                    .sort(
                        (a, b) =>
                            b.flags - a.flags || a.name.localeCompare(b.name),
                    );
                return rows.length === 0
                    ? html`<p class="empty">No flagged deals or coaching items.</p>`
                    : html`<${TableWrap} name="flags-and-coaching"><table class="data" data-testid="team-sales">
                <caption>Open deals flagged before they close, and open coaching items</caption>
                <thead><tr><th scope="col">AE</th><th scope="col" class="n">Flagged deals</th>
                    <th scope="col" class="n">Flags</th><th scope="col" class="n">Open coaching items</th></tr></thead>
                <tbody>${rows.map(
                    (r) => html`<tr data-ae=${r.name}>
                    <th scope="row"><a href=${`/reports/pipeline?ae_id=${encodeURIComponent(r.id)}`}>${r.name}</a></th>
                    <td class="n">${r.deals}</td><td class="n">${r.flags}</td>
                    <td class="n">${r.coaching}</td></tr>`,
                )}</tbody></table><//>`;
            }}<//>`}<//>
    </section>`;
}

export function Team({ me }) {
    const st = useLoad(
        () => api.get('/tasks', { assignee: '*', status: 'open', limit: 1000 }),
        [],
    );
    return html`<div class="page">
        <h1>Your team</h1>
        <p class="lead">The open work of the people you manage${
            me.role === 'revops' ? ' (RevOps: everyone)' : ''
        }, most overdue first.</p>
        <${Loaded} state=${st}>${(d) => html`<${Work} d=${d} />`}<//>
        ${SALES.includes(me.role) && html`<${SalesView} />`}
        ${
            CS.includes(me.role) &&
            html`<p class="meta">A churn is past its tagging
            window when its churn-tagging task is overdue.</p>`
        }
    </div>`;
}
