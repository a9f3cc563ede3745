// settings.js - RevOps' settings: the taxonomy's labels and definitions,
// thresholds, holidays, users and notification channels.  Edits carry the
// record's ETag (If-Match), so two people cannot overwrite each other.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    TextInput,
    TextArea,
    Select,
    useSubmit,
    SubmitStatus,
    label,
} from '../ui.js';

// People (invite, edit, deactivate) are the administrator's own page,
// /people (pages/people.js).
const TABS = [
    ['taxonomy', 'Taxonomy'],
    ['thresholds', 'Thresholds'],
    ['holidays', 'Holidays'],
    ['channels', 'Notification channels'],
];

export function Settings({ params }) {
    const tab = params[0] || 'taxonomy';
    const Body =
        {
            taxonomy: Taxonomy,
            thresholds: Thresholds,
            holidays: Holidays,
            channels: Channels,
        }[tab] || Taxonomy;
    return html`<div class="page settings"><h1>Settings</h1>
        <nav class="tabs" aria-label="Settings sections">${TABS.map(
            ([k, l]) => html`<a href=${`/settings/${k}`}
            aria-current=${k === tab ? 'page' : undefined}>${l}</a>`,
        )}</nav>
        <${Body} /></div>`;
}

function CauseEditor({ t, onSaved }) {
    const [lab, setLab] = useState(t.label);
    const [def, setDef] = useState(t.definition);
    const [sub, run] = useSubmit();
    return html`<form class="card" onSubmit=${async (e) => {
        e.preventDefault();
        if (
            await run(
                () =>
                    api.patch(
                        `/settings/taxonomy/${t.code}`,
                        { label: lab, definition: def },
                        t.etag,
                    ),
                'Saved',
            )
        )
            onSaved();
    }}>
        <h2><code>${t.code}</code> ${t.sales_attributable ? '(deal-attributable)' : ''}</h2>
        <${TextInput} label=${`Label of ${t.code}`} name="label" value=${lab} onInput=${setLab} />
        <${TextArea} label=${`Definition of ${t.code}`} name="definition" value=${def} onInput=${setDef} />
        <p class="meta">Routes to: ${t.routes_to}</p>
        <button type="submit" disabled=${sub.busy}>Save ${t.code}</button><${SubmitStatus} st=${sub} /></form>`;
}

function Taxonomy() {
    const st = useLoad(() => api.get('/settings/taxonomy'), []);
    return html`<${Loaded} state=${st}>${(d) =>
        html`<div class="grid">${d.items.map(
            (t) =>
                html`<${CauseEditor} key=${t.code + t.etag} t=${t} onSaved=${st.reload} />`,
        )}</div>`}<//>`;
}

function ThresholdRow({ t, onSaved }) {
    const [v, setV] = useState(String(t.value));
    const [sub, run] = useSubmit();
    return html`<tr><th scope="row"><label for=${'th-' + t.key}>${label(t.key)}</label></th>
        <td><input id=${'th-' + t.key} type="number" min=${t.min} max=${t.max} step=${t.whole ? 1 : 'any'}
            aria-describedby=${'th-range-' + t.key} value=${v} onInput=${(e) => setV(e.currentTarget.value)} />
            <small id=${'th-range-' + t.key}> ${t.min}–${t.max} ${(t.unit || '').replace('_', ' ')}</small></td>
        <td><button class="small" disabled=${sub.busy || v === String(t.value)} aria-label=${'Save ' + label(t.key)}
            onClick=${async () => {
                if (
                    await run(
                        () =>
                            api.patch(
                                `/settings/thresholds/${t.key}`,
                                { value: Number(v) },
                                t.etag,
                            ),
                        'Saved',
                    )
                )
                    onSaved();
            }}>Save</button>
            <${SubmitStatus} st=${sub} /></td></tr>`;
}

function Thresholds() {
    const st = useLoad(() => api.get('/settings/thresholds'), []);
    return html`<${Loaded} state=${st}>${(
        d,
    ) => html`<div class="card"><div class="table-wrap"><table class="data">
        <caption>Shares are fractions (0.25 = 25%)</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">Value</th><th scope="col">Save</th></tr></thead>
        <tbody>${d.items.map((t) => html`<${ThresholdRow} key=${t.key + t.etag} t=${t} onSaved=${st.reload} />`)}</tbody>
    </table></div></div>`}<//>`;
}

// Deleting a holiday makes it a business day again for later due dates.
function DeleteHoliday({ h, onDone }) {
    const [sub, run] = useSubmit();
    return html`<button class="small" disabled=${sub.busy} aria-label=${`Delete the holiday ${h.name} on ${h.on}`}
        onClick=${async () => {
            if (
                !confirm(
                    `Delete the holiday ${h.name} on ${h.on}? Later due dates will count it as a business day.`,
                )
            )
                return;
            if (
                (await run(() => api.del(`/holidays/${h.on}`), 'Deleted')) !==
                undefined
            )
                onDone();
        }}>Delete</button><${SubmitStatus} st=${sub} />`;
}

function Holidays() {
    const st = useLoad(() => api.get('/holidays', { limit: 1000 }), []);
    const [on, setOn] = useState('');
    const [name, setName] = useState('');
    const [sub, run] = useSubmit();
    return html`<div class="card">
        <form class="inline-form" onSubmit=${async (e) => {
            e.preventDefault();
            if (
                await run(
                    () => api.post('/holidays', { on, name }),
                    'Holiday added',
                )
            ) {
                setOn('');
                setName('');
                st.reload();
            }
        }}>
            <${TextInput} label="Date" name="on" type="date" value=${on} onInput=${setOn} required />
            <${TextInput} label="Name" name="name" value=${name} onInput=${setName} required />
            <button type="submit" disabled=${sub.busy}>Add the holiday</button></form>
        <${SubmitStatus} st=${sub} />
        <${Loaded} state=${st}>${(
            d,
        ) => html`<div class="table-wrap"><table class="data"><caption>${d.total} holidays (business days skip them)</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Name</th><th scope="col">Delete</th></tr></thead>
            <tbody>${[...d.items].reverse().map(
                (h) => html`<tr key=${h.on}><td>${h.on}</td><td>${h.name}</td>
                <td><${DeleteHoliday} h=${h} onDone=${st.reload} /></td></tr>`,
            )}</tbody></table></div>`}<//>
    </div>`;
}

const CHANNEL_KEYS = [
    ['smtp_url', 'SMTP server URL', 'smtp://host:25'],
    ['smtp_from', 'E-mail sender', 'closeloop@example.com'],
    ['webhook_url', 'Webhook URL', 'https://hooks.example.com/...'],
    ['webhook_format', 'Webhook format', 'json or slack'],
    ['max_attempts', 'Delivery attempts before dead letter', ''],
    ['retry_base_seconds', 'First retry after (seconds)', ''],
    ['revops_id', 'RevOps user id', ''],
    ['marketing_id', 'Marketing user id', ''],
    ['vp_sales_id', 'VP Sales user id', ''],
];

function ChannelsForm({ cfg, onSaved }) {
    const [v, setV] = useState(
        Object.fromEntries(CHANNEL_KEYS.map(([k]) => [k, cfg[k] ?? ''])),
    );
    const [sub, run] = useSubmit();
    return html`<form class="card" onSubmit=${async (e) => {
        e.preventDefault();
        const body = {};
        for (const [k] of CHANNEL_KEYS)
            if ((cfg[k] ?? '') !== v[k]) body[k] = v[k];
        if (await run(() => api.patch('/settings/config', body), 'Saved'))
            onSaved();
    }}>
        ${CHANNEL_KEYS.map(
            ([
                k,
                l,
                ph,
            ]) => html`<${TextInput} key=${k} label=${l} name=${k} value=${v[k]}
            placeholder=${ph} onInput=${(x) => setV({ ...v, [k]: x })} />`,
        )}
        <button type="submit" disabled=${sub.busy}>Save the channels</button><${SubmitStatus} st=${sub} /></form>`;
}

function Channels() {
    const st = useLoad(() => api.get('/settings/config'), []);
    return html`<${Loaded} state=${st}>${(cfg) => html`<${ChannelsForm} cfg=${cfg} onSaved=${st.reload} />`}<//>`;
}
