// settings.js - RevOps' settings: the taxonomy (add, edit, retire and
// re-route causes), thresholds, holidays and notification channels.  Edits
// carry the record's ETag (If-Match), so two people cannot overwrite each
// other.  Ranges, units and descriptions come from the API (the one table
// of each in src/core), never from a copy here.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { CrmWriteback } from './settings_crm.js';
import { Calendar } from './settings_calendar.js';
import {
    html,
    useLoad,
    Loaded,
    TextInput,
    TextArea,
    Select,
    useSubmit,
    useId,
    fieldError,
    Badge,
    setCauseLabels,
    TableWrap,
} from '../ui.js';

// Who may use these pages: the roles the API lets change settings
// (CL_VA_SETTINGS, docs/design.md section 6).
const SETTINGS_ROLES = ['revops', 'admin'];

// People (invite, edit, deactivate) are the administrator's own page,
// /people (pages/people.js).
const TABS = [
    ['taxonomy', 'Taxonomy'],
    ['thresholds', 'Thresholds'],
    ['holidays', 'Holidays'],
    ['channels', 'Notification channels'],
    ['crm', 'CRM write-back'],
];

export const ROLE_LABELS = {
    csm: 'CSM',
    cs_manager: 'CS manager',
    ae: 'Account executive',
    sales_manager: 'Sales manager',
    vp_sales: 'VP Sales',
    vp_cs: 'VP CS',
    marketing: 'Marketing',
    revops: 'RevOps',
    admin: 'Admin',
};

const OWNER_OPTIONS = [
    ...Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })),
    { value: 'none', label: 'Nobody (monitored only)' },
];

const CATEGORY_LABELS = {
    wrong_icp: 'Wrong ICP',
    misaligned_use_case: 'Misaligned use case',
    over_promised: 'Over-promised',
};

export function Settings({ params, me }) {
    // Nothing of the settings (no form, no data) for a role that may not
    // use them: the page asks the API for nothing.
    if (!me || !SETTINGS_ROLES.includes(me.role))
        return html`<section class="error-page" role="alert" data-status="403">
            <h1>Not allowed</h1>
            <p>Settings are kept by RevOps and administrators.</p>
            <p><a href="/">Back to my inbox</a></p></section>`;
    const tab = params[0] || 'taxonomy';
    const Body =
        {
            taxonomy: Taxonomy,
            thresholds: Thresholds,
            holidays: Holidays,
            channels: Channels,
            crm: CrmWriteback,
        }[tab] || Taxonomy;
    return html`<div class="page settings"><h1>Settings</h1>
        <nav class="tabs" aria-label="Settings sections">${TABS.map(
            ([k, l]) => html`<a href=${`/settings/${k}`}
            aria-current=${k === tab ? 'page' : undefined}>${l}</a>`,
        )}</nav>
        <${Body} /></div>`;
}

// A form's outcome: "Saved" (or the form's word), or an error that no field
// of the form shows next to itself.
function Status({ st, fields = [] }) {
    const own = st.error && fields.includes(st.error.field);
    return html`<div class="submit-status" aria-live="polite">
        ${st.error && !own && html`<p class="form-error" role="alert">${st.error.message}</p>`}
        ${st.done && html`<p class="form-done">${st.done}</p>`}
    </div>`;
}

// ---- the taxonomy ----------------------------------------------------------

const CAUSE_FIELDS = [
    'code',
    'label',
    'definition',
    'category',
    'owner_role',
    'routes_to',
    'sales_attributable',
    'retired',
];

function AddCause({ onAdded }) {
    const empty = {
        label: '',
        code: '',
        definition: '',
        attributable: false,
        category: '',
        owner: 'revops',
        routes: '',
    };
    const [f, setF] = useState(empty);
    const set = (k) => (v) => setF({ ...f, [k]: v });
    const [sub, run] = useSubmit();
    const attrId = useId('attributable');
    const submit = async (e) => {
        e.preventDefault();
        const body = {
            label: f.label,
            definition: f.definition,
            sales_attributable: f.attributable,
        };
        if (f.code.trim()) body.code = f.code.trim();
        if (f.routes.trim()) body.routes_to = f.routes.trim();
        if (f.attributable) {
            if (f.category) body.category = f.category;
        } else body.owner_role = f.owner;
        const r = await run(
            () => api.post('/settings/taxonomy', body),
            'Cause added',
        );
        if (r) {
            setF(empty);
            onAdded();
        }
    };
    return html`<form class="card" onSubmit=${submit} aria-labelledby="add-cause-h">
        <h2 id="add-cause-h">Add a cause</h2>
        <${TextInput} label="Label" name="label" value=${f.label} onInput=${set('label')}
            required maxlength="80" hint="What CSMs choose when tagging; 1 to 80 characters."
            error=${fieldError(sub, 'label')} />
        <${TextInput} label="Code (optional)" name="code" value=${f.code} onInput=${set('code')}
            hint="Kept in tags and exports. Left empty, it is made from the label (lower case, words joined by _); 2 to 40 of a-z, 0-9 and _."
            error=${fieldError(sub, 'code')} />
        <${TextArea} label="Definition" name="definition" value=${f.definition} onInput=${set('definition')}
            required maxlength="2000" hint="What the cause means, so CSMs tag alike; 1 to 2000 characters."
            error=${fieldError(sub, 'definition')} />
        <div class="field">
            <label class="check"><input type="checkbox" name="sales_attributable" checked=${f.attributable}
                aria-describedby=${attrId}
                onChange=${(e) => set('attributable')(e.currentTarget.checked)} /> Deal-attributable</label>
            <div class="hint" id=${attrId}>A deal-attributable tag notifies the AE who closed the deal and their manager, and opens an AE+CSM debrief.</div>
        </div>
        ${
            f.attributable
                ? html`<${Select} label="Bad-fit category" name="category" value=${f.category}
                    onChange=${set('category')} placeholder="None"
                    hint="The quarterly bad-fit review counts the cause in this category."
                    error=${fieldError(sub, 'category')}
                    options=${Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }))} />`
                : html`<${Select} label="Owner role" name="owner_role" value=${f.owner}
                    onChange=${set('owner')} options=${OWNER_OPTIONS}
                    hint="Who gets the follow-up task when a churn is tagged with it."
                    error=${fieldError(sub, 'owner_role')} />`
        }
        <${TextInput} label="Where the signal goes (optional)" name="routes_to" value=${f.routes}
            onInput=${set('routes')} maxlength="200" hint="In words, for the tagging form; up to 200 characters."
            error=${fieldError(sub, 'routes_to')} />
        <button type="submit" class="primary" disabled=${sub.busy}>Add the cause</button>
        <${Status} st=${sub} fields=${CAUSE_FIELDS} /></form>`;
}

function CauseEditor({ t, onSaved }) {
    const [lab, setLab] = useState(t.label);
    const [def, setDef] = useState(t.definition);
    const [owner, setOwner] = useState(t.owner_role || '');
    const [sub, run] = useSubmit();
    const save = (body, done) =>
        run(
            () => api.patch(`/settings/taxonomy/${t.code}`, body, t.etag),
            done,
        ).then((r) => r && onSaved());
    const hId = useId('cause');
    return html`<form class="card" aria-labelledby=${hId} data-testid=${'cause-' + t.code}
        onSubmit=${(e) => {
            e.preventDefault();
            const body = { label: lab, definition: def };
            if (t.owner_role !== null && owner !== t.owner_role)
                body.owner_role = owner;
            save(body, 'Saved');
        }}>
        <h2 id=${hId}>${t.label}
            ${t.sales_attributable ? html` <${Badge} kind="warn">Deal-attributable<//>` : ''}
            ${t.category ? html` <${Badge} kind="info">${CATEGORY_LABELS[t.category]}<//>` : ''}
            ${t.retired ? html` <${Badge} kind="muted">Retired<//>` : ''}</h2>
        <${TextInput} label=${`Label of ${t.label}`} name="label" value=${lab} onInput=${setLab}
            maxlength="80" hint="1 to 80 characters." error=${fieldError(sub, 'label')} />
        <${TextArea} label=${`Definition of ${t.label}`} name="definition" value=${def} onInput=${setDef}
            maxlength="2000" hint="1 to 2000 characters." error=${fieldError(sub, 'definition')} />
        ${
            t.owner_role === null
                ? html`<p class="meta">Goes to the AE who closed the deal and their manager.</p>`
                : html`<${Select} label=${`Owner role of ${t.label}`} name="owner_role" value=${owner}
                    onChange=${setOwner} options=${OWNER_OPTIONS}
                    hint="Who gets the follow-up task of a churn tagged with it."
                    error=${fieldError(sub, 'owner_role')} />`
        }
        ${t.routes_to && html`<p class="meta">Where the signal goes: ${t.routes_to}</p>`}
        <div class="actions">
            <button type="submit" disabled=${sub.busy}>Save ${t.label}</button>
            <button type="button" disabled=${sub.busy}
                onClick=${() => save({ retired: !t.retired }, t.retired ? 'Back in use' : 'Retired')}>${
                    t.retired
                        ? `Put ${t.label} back in use`
                        : `Retire ${t.label}`
                }</button>
        </div>
        ${
            t.retired &&
            html`<p class="meta">Retired: old tags and reports keep it; it is no longer offered when tagging.</p>`
        }
        <${Status} st=${sub} fields=${CAUSE_FIELDS} /></form>`;
}

function Taxonomy() {
    // What it reads is what every page labels causes with from now on.
    const st = useLoad(
        () =>
            api.get('/settings/taxonomy').then((d) => {
                setCauseLabels(
                    Object.fromEntries(
                        (d.items || []).map((c) => [c.code, c.label]),
                    ),
                );
                return d;
            }),
        [],
    );
    return html`<${Loaded} state=${st}>${(d) =>
        html`<${AddCause} onAdded=${st.reload} />
        <div class="grid">${d.items.map(
            (t) =>
                html`<${CauseEditor} key=${t.code} t=${t} onSaved=${st.reload} />`,
        )}</div>`}<//>`;
}

// ---- thresholds ------------------------------------------------------------

// A share is a fraction in the API and a percentage here.
const isShare = (t) => t.unit === 'share';
const shown = (t, v) =>
    isShare(t) ? String(Number((v * 100).toFixed(6))) : String(v);
const UNIT_WORDS = {
    hour: '',
    days: 'days',
    business_days: 'business days',
    count: '',
    months: 'months',
    currency: '',
    hours: 'hours',
    seconds: 'seconds',
};
const fmt = (n) => Number(n).toLocaleString('en-US');

// The range in words: "from 0% to 100%", "a whole number of business days
// from 1 to 366".
export function rangeText(t) {
    if (isShare(t)) return `From ${fmt(t.min * 100)}% to ${fmt(t.max * 100)}%`;
    const unit = UNIT_WORDS[t.unit] ?? (t.unit || '').replace(/_/g, ' ');
    const what = t.whole
        ? `A whole number${unit ? ' of ' + unit : ''}`
        : `An amount${unit ? ' in ' + unit : ''}`;
    return `${what} from ${fmt(t.min)} to ${fmt(t.max)}`;
}

const sentence = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

function ThresholdRow({ t, onSaved }) {
    const [v, setV] = useState(shown(t, t.value));
    const [local, setLocal] = useState(null);
    const [sub, run] = useSubmit();
    const id = 'th-' + t.key;
    const value = isShare(t) ? Number(v) / 100 : Number(v);
    const error = local || fieldError(sub, 'value');
    return html`<form class="threshold" noValidate data-testid=${id}
        onSubmit=${async (e) => {
            e.preventDefault();
            // The API refuses it too; here the range reads in the form's unit.
            if (
                v.trim() === '' ||
                !Number.isFinite(value) ||
                value < t.min ||
                value > t.max ||
                (t.whole && !Number.isInteger(value))
            ) {
                setLocal(`${rangeText(t)}; got ${v.trim() || 'nothing'}.`);
                return;
            }
            setLocal(null);
            if (
                await run(
                    () =>
                        api.patch(
                            `/settings/thresholds/${t.key}`,
                            { value },
                            t.etag,
                        ),
                    'Saved',
                )
            )
                onSaved();
        }}>
        <label for=${id}>${sentence(t.description)}</label>
        <div class="threshold-input">
            <input id=${id} name=${t.key} type="number" inputmode="decimal"
                min=${isShare(t) ? t.min * 100 : t.min} max=${isShare(t) ? t.max * 100 : t.max}
                step=${t.whole ? 1 : 'any'} value=${v}
                aria-describedby=${`${id}-range${error ? ` ${id}-error` : ''}`}
                aria-invalid=${error ? 'true' : undefined}
                onInput=${(e) => setV(e.currentTarget.value)} />
            ${isShare(t) && html`<span class="suffix" aria-hidden="true">%</span>`}
            <button type="submit" class="small" disabled=${sub.busy}
                aria-label=${'Save: ' + t.description}>Save</button>
        </div>
        <div class="hint" id=${id + '-range'}>${rangeText(t)}.</div>
        ${error && html`<div class="field-error" id=${id + '-error'} role="alert">${error}</div>`}
        <${Status} st=${sub} fields=${['value']} /></form>`;
}

function Thresholds() {
    const st = useLoad(() => api.get('/settings/thresholds'), []);
    return html`<${Loaded} state=${st}>${(
        d,
    ) => html`<div class="card thresholds">
        <p class="meta">Each rule of the loop, its value and the range it may take. Shares are percentages.</p>
        ${d.items.map((t) => html`<${ThresholdRow} key=${t.key} t=${t} onSaved=${st.reload} />`)}
    </div>`}<//>`;
}

// ---- holidays --------------------------------------------------------------

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
        }}>Delete</button><${Status} st=${sub} />`;
}

function Holidays() {
    const st = useLoad(() => api.get('/holidays', { limit: 1000 }), []);
    const [on, setOn] = useState('');
    const [name, setName] = useState('');
    const [sub, run] = useSubmit();
    return html`<${Calendar} /><div class="card">
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
            <${TextInput} label="Date" name="on" type="date" value=${on} onInput=${setOn} required
                hint="From 1900-01-01 to 2999-12-31." error=${fieldError(sub, 'on')} />
            <${TextInput} label="Name" name="name" value=${name} onInput=${setName} required
                error=${fieldError(sub, 'name')} />
            <button type="submit" disabled=${sub.busy}>Add the holiday</button></form>
        <${Status} st=${sub} fields=${['on', 'name']} />
        <${Loaded} state=${st}>${(
            d,
        ) => html`<${TableWrap} name="holidays"><table class="data"><caption>${d.total} holidays (business days skip them)</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Name</th><th scope="col">Delete</th></tr></thead>
            <tbody>${[...d.items].reverse().map(
                (h) => html`<tr key=${h.on}><td>${h.on}</td><td>${h.name}</td>
                <td><${DeleteHoliday} h=${h} onDone=${st.reload} /></td></tr>`,
            )}</tbody></table><//>`}<//>
    </div>`;
}

// ---- notification channels and delivery ------------------------------------

// The fields of this form and their labels; what each takes (range, unit,
// description) comes from /settings/config/keys.  The people the loop
// routes to are picked by name, from the users of their role.
const CHANNEL_LABELS = [
    ['smtp_url', 'SMTP server'],
    ['smtp_from', 'E-mail sender'],
    ['webhook_url', 'Webhook address'],
    ['webhook_format', 'Webhook format'],
    ['max_attempts', 'Delivery attempts'],
    ['retry_base_seconds', 'First retry after'],
    ['deliver_batch', 'Messages a delivery round sends'],
    ['engine_lookback_days', 'Look-back of the daily run'],
    ['route_due_business_days', 'Follow-up of a routed cause due after'],
    ['invite_expiry_hours', 'Invitation links work for'],
    ['public_url', 'Address of closeloop'],
    ['digest_hour', 'Daily digest from (hour of the day)'],
    ['revops_id', 'RevOps person', 'revops'],
    ['marketing_id', 'Marketing person', 'marketing'],
    ['vp_sales_id', 'VP Sales person', 'vp_sales'],
];

function keyHint(k) {
    if (!k) return undefined;
    const unit = UNIT_WORDS[k.unit] ?? k.unit;
    const range =
        k.unit && k.min !== undefined
            ? ` A whole number${unit ? ' of ' + unit : ''} from ${fmt(k.min)} to ${fmt(k.max)}.`
            : '';
    return sentence(k.description) + '.' + range;
}

function ChannelsForm({ cfg, etag, keys, users, onSaved }) {
    const fields = CHANNEL_LABELS.filter(([k]) => keys[k]);
    const [v, setV] = useState(
        Object.fromEntries(fields.map(([k]) => [k, cfg[k] ?? ''])),
    );
    const [sub, run] = useSubmit();
    return html`<form class="card" onSubmit=${async (e) => {
        e.preventDefault();
        const body = {};
        for (const [k] of fields) if ((cfg[k] ?? '') !== v[k]) body[k] = v[k];
        // The settings' ETag as read: a change made meanwhile is refused.
        if (await run(() => api.patch('/settings/config', body, etag), 'Saved'))
            onSaved();
    }}>
        ${fields.map(([k, l, role]) => {
            const common = {
                key: k,
                label: l,
                name: k,
                hint: keyHint(keys[k]),
                error: fieldError(sub, k),
            };
            if (role)
                return html`<${Select} ...${common} value=${v[k]} placeholder="The first person with the role"
                    onChange=${(x) => setV({ ...v, [k]: x })}
                    options=${users
                        .filter((u) => u.role === role)
                        .map((u) => ({ value: u.id, label: u.name }))} />`;
            if (k === 'webhook_format')
                return html`<${Select} ...${common} value=${v[k]} placeholder="JSON (the default)"
                    onChange=${(x) => setV({ ...v, [k]: x })}
                    options=${[
                        { value: 'json', label: 'JSON' },
                        { value: 'slack', label: 'Slack' },
                    ]} />`;
            return html`<${TextInput} ...${common} value=${v[k]}
                type=${keys[k].unit ? 'number' : 'text'}
                min=${keys[k].min} max=${keys[k].max}
                onInput=${(x) => setV({ ...v, [k]: x })} />`;
        })}
        <button type="submit" disabled=${sub.busy}>Save the channels</button>
        <${Status} st=${sub} fields=${fields.map(([k]) => k)} /></form>`;
}

// ---- team chat channels (issue 15) -----------------------------------------

// The kinds a team channel may hear: those that never name an AE and are
// nobody's private matter (core/notify_route.c says which and why).
const TEAM_KINDS = [
    ['what_changed', 'What a session changed'],
    ['cause_route', 'A churn cause routed to its owner'],
    ['checkin_reminder', "A process change's check-in is due"],
];

function TeamChannel({ n, cfg, etag, onSaved }) {
    const k = (f) => `chat_channel_${n}_${f}`;
    const set = Boolean(cfg[k('url')] && cfg[k('url')].set);
    const had = (cfg[k('kinds')] || '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const [url, setUrl] = useState('');
    const [format, setFormat] = useState(cfg[k('format')] || 'slack');
    const [kinds, setKinds] = useState(had);
    const [sub, run] = useSubmit();
    const title = `team-channel-${n}`;
    return html`<form class="card" aria-labelledby=${title} onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const body = {};
        if (url) body[k('url')] = url;
        if (format !== (cfg[k('format')] || 'slack'))
            body[k('format')] = format;
        const list = TEAM_KINDS.map(([c]) => c)
            .filter((c) => kinds.includes(c))
            .join(',');
        if (list !== had.join(',')) body[k('kinds')] = list;
        if (
            await run(() => api.patch('/settings/config', body, etag), 'Saved')
        ) {
            setUrl('');
            onSaved();
        }
    }}>
        <h3 id=${title}>Team channel ${n}</h3>
        <p class="meta">${set ? 'A webhook is set.' : 'No webhook yet: the channel hears nothing.'}</p>
        <${Select} label=${`Chat service of team channel ${n}`} name=${k('format')}
            value=${format} onChange=${setFormat} error=${fieldError(sub, k('format'))}
            options=${[
                { value: 'slack', label: 'Slack' },
                { value: 'teams', label: 'Microsoft Teams' },
            ]} />
        <${TextInput} label=${set ? `New webhook URL of team channel ${n} (empty: keep it)` : `Webhook URL of team channel ${n}`}
            name=${k('url')} type="password" autocomplete="off" value=${url}
            onInput=${setUrl} maxlength="1000" error=${fieldError(sub, k('url'))}
            hint="The channel's incoming webhook: https://…, at most 1,000 characters; kept secret." />
        <fieldset class="causes stack">
            <legend>What team channel ${n} hears</legend>
            ${TEAM_KINDS.map(
                ([
                    c,
                    l,
                ]) => html`<label class="check" key=${c}><input type="checkbox"
                    name=${k('kinds')} value=${c} checked=${kinds.includes(c)}
                    onChange=${(e) =>
                        setKinds(
                            e.currentTarget.checked
                                ? [...kinds, c]
                                : kinds.filter((x) => x !== c),
                        )} />${l}</label>`,
            )}
            ${
                fieldError(sub, k('kinds')) &&
                html`<p class="field-error" role="alert">${fieldError(sub, k('kinds'))}</p>`
            }
        </fieldset>
        <button type="submit" disabled=${sub.busy}>Save team channel ${n}</button>
        <${Status} st=${sub} fields=${[k('url'), k('format'), k('kinds')]} /></form>`;
}

function TeamChannels({ cfg, etag, onSaved }) {
    return html`<section aria-labelledby="team-channels">
        <h2 id="team-channels">Team chat channels</h2>
        <p class="meta">Slack or Microsoft Teams channels that hear what is
        meant for the whole team, never an AE's flag or a private coaching
        item. Each person chooses their own e-mail, chat or daily digest on
        My notifications.</p>
        ${[1, 2, 3].map(
            (n) =>
                html`<${TeamChannel} key=${n} n=${n} cfg=${cfg} etag=${etag}
                    onSaved=${onSaved} />`,
        )}
    </section>`;
}

function Channels() {
    const st = useLoad(async () => {
        const [tagged, keys, users] = await Promise.all([
            api.getTagged('/settings/config'),
            api.get('/settings/config/keys'),
            api.get('/users', { limit: 1000 }).catch(() => ({ items: [] })),
        ]);
        return {
            cfg: tagged.doc,
            etag: tagged.etag,
            keys: Object.fromEntries(keys.items.map((k) => [k.key, k])),
            users: users.items,
        };
    }, []);
    return html`<${Loaded} state=${st}>${(
        d,
    ) => html`<${ChannelsForm} cfg=${d.cfg} etag=${d.etag} keys=${d.keys}
        users=${d.users} onSaved=${st.reload} />
        <${TeamChannels} cfg=${d.cfg} etag=${d.etag} onSaved=${st.reload} />`}<//>`;
}
