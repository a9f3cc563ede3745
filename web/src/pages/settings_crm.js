// settings_crm.js - the CRM write-back tab of the settings (issue 15,
// docs/integrations.md): which CRM, its address and token (write-only:
// the page only says whether one is set), and the pending write-backs as
// the requests they would be, so RevOps checks what goes before it goes.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    TextInput,
    Select,
    useSubmit,
    fieldError,
} from '../ui.js';

const CRM_LABELS = { off: 'Off', hubspot: 'HubSpot', salesforce: 'Salesforce' };
const FIELDS = [
    'crm_writeback',
    'crm_base_url',
    'crm_token',
    'crm_api_version',
    'crm_writeback_health',
];

function hint(keys, k) {
    const d = keys[k]?.description;
    return d ? d.charAt(0).toUpperCase() + d.slice(1) + '.' : undefined;
}

function CrmForm({ cfg, etag, keys, onSaved }) {
    const [v, setV] = useState({
        crm_writeback: cfg.crm_writeback ?? 'off',
        crm_base_url: cfg.crm_base_url ?? '',
        crm_token: '',
        crm_api_version: cfg.crm_api_version ?? '',
        crm_writeback_health: cfg.crm_writeback_health ?? 'off',
    });
    const [sub, run] = useSubmit();
    const tokenSet = Boolean(cfg.crm_token && cfg.crm_token.set);
    const common = (k, label) => ({
        key: k,
        label,
        name: k,
        hint: hint(keys, k),
        error: fieldError(sub, k),
    });
    return html`<form class="card" aria-label="CRM write-back" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const body = {};
        for (const k of FIELDS) {
            // An empty token keeps the one that is set.
            if (k === 'crm_token' && v[k] === '') continue;
            if ((cfg[k] ?? '') !== v[k]) body[k] = v[k];
        }
        if (
            await run(() => api.patch('/settings/config', body, etag), 'Saved')
        ) {
            setV({ ...v, crm_token: '' });
            onSaved();
        }
    }}>
        <h2>Write decisions back to the CRM</h2>
        <${Select} ...${common('crm_writeback', 'Write back to')} value=${v.crm_writeback}
            onChange=${(x) => setV({ ...v, crm_writeback: x })}
            options=${Object.entries(CRM_LABELS).map(([value, label]) => ({ value, label }))} />
        <${TextInput} ...${common('crm_base_url', 'CRM API address')} value=${v.crm_base_url}
            placeholder=${v.crm_writeback === 'hubspot' ? 'https://api.hubapi.com' : ''}
            onInput=${(x) => setV({ ...v, crm_base_url: x })} />
        <${TextInput} ...${common('crm_token', 'Access token')} type="password"
            autocomplete="off" value=${v.crm_token}
            placeholder=${tokenSet ? 'A token is set; type to replace it' : 'No token set'}
            onInput=${(x) => setV({ ...v, crm_token: x })} />
        <${TextInput} ...${common('crm_api_version', 'Salesforce API version')}
            value=${v.crm_api_version} placeholder="v60.0"
            onInput=${(x) => setV({ ...v, crm_api_version: x })} />
        <${Select} ...${common('crm_writeback_health', 'Also write the health score')}
            value=${v.crm_writeback_health}
            onChange=${(x) => setV({ ...v, crm_writeback_health: x })}
            options=${[
                { value: 'off', label: 'No' },
                {
                    value: 'on',
                    label: 'Yes: the CRM field is restricted to CS and the deal owner',
                },
            ]} />
        <button type="submit" disabled=${sub.busy}>Save the write-back</button>
        <div class="submit-status" aria-live="polite">
            ${sub.error && !FIELDS.includes(sub.error.field) && html`<p class="form-error" role="alert">${sub.error.message}</p>`}
            ${sub.done && html`<p class="form-done">${sub.done}</p>`}
        </div></form>`;
}

// One pending write-back: what it is, the request, and each field written.
function Pending({ items, crm }) {
    if (!items.length)
        return html`<p>Nothing is waiting to be written${crm === 'off' ? ': the write-back is off' : ''}.</p>`;
    return html`<ul class="crm-pending">${items.map((it) => {
        const fields = it.body ? it.body.properties || it.body : {};
        return html`<li key=${it.id} class="card">
            <h3>${it.subject}</h3>
            ${
                it.url
                    ? html`<p><code class="crm-url">${it.method} ${it.url}</code></p>`
                    : html`<p class="form-error">Cannot be sent: ${it.problem}</p>`
            }
            ${it.last_error && html`<p>Last attempt: ${it.last_error}</p>`}
            <dl class="crm-fields">${Object.entries(fields).map(
                ([k, val]) =>
                    html`<dt>${k}</dt><dd>${val === null ? '(cleared)' : String(val)}</dd>`,
            )}</dl></li>`;
    })}</ul>`;
}

export function CrmWriteback() {
    const st = useLoad(async () => {
        const [cfg, keys, pending] = await Promise.all([
            api.getTagged('/settings/config'),
            api.get('/settings/config/keys'),
            api.get('/crm/writeback'),
        ]);
        return {
            cfg: cfg.doc,
            etag: cfg.etag,
            keys: Object.fromEntries(keys.items.map((k) => [k.key, k])),
            pending,
        };
    }, []);
    return html`<${Loaded} state=${st}>${(d) => html`
        <${CrmForm} cfg=${d.cfg} etag=${d.etag} keys=${d.keys} onSaved=${st.reload} />
        <section aria-labelledby="crm-pending-h">
            <h2 id="crm-pending-h">Pending write-backs</h2>
            <p>What would be sent to the CRM, request by request; nothing here is sent by looking.</p>
            <${Pending} items=${d.pending.items} crm=${d.pending.crm} />
        </section>`}<//>`;
}
