// import.js - RevOps' CSV import: the same importer as `closeloop import
// KIND FILE`, all or nothing.  The file goes to the server as it is; the
// server answers the counts, or every bad row as "LINE: COLUMN: message".
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Select, useId, label } from '../ui.js';

// Each kind and its canonical columns (* required), as `closeloop import
// --help` lists them; where its records can be seen afterwards.
const KINDS = [
    [
        'accounts',
        'id*, name*, industry, employees, region, has_ops_function, csm_id, customer_since, status*',
        '/accounts',
    ],
    [
        'deals',
        'id*, account_id*, ae_id, type*, source, stage*, created_on*, first_demo_on, closed_on, arr, loss_reason, icp_fit_score, champion_level, champion_tenure_months, exec_sponsor, use_case, kickoff_on',
        '/accounts',
    ],
    [
        'churns',
        'id*, account_id*, deal_id, churned_on*, arr_lost, stated_reason, diagnosis, predictive_behavior, primary_cause, contributing_causes, tagged_by, tagged_on',
        '/accounts',
    ],
    [
        'recoveries',
        'id*, original_deal_id*, new_deal_id*, recovery_type, cs_intervention, what_changed, csm_id, logged_on, cs_led',
        '/accounts',
    ],
    [
        'reviews',
        'deal_id*, held_on*, q1, q2, q3, q4, q5, q6, q7, gut_read',
        '/accounts',
    ],
    ['users', 'id*, name*, email*, role*, manager_id, team', '/people'],
    ['cs_hours', 'account_id*, month*, hours*', '/reports'],
    ['arr_movements', 'account_id*, on*, kind*, amount*', '/reports'],
    [
        'icp',
        'version*, effective_on*, criteria*, owner_id, rationale',
        '/reports/icp',
    ],
    ['holidays', 'on*, name*', '/settings/holidays'],
];

const MAPPINGS = [
    {
        value: 'canonical',
        label: 'Canonical columns (as closeloop export writes them)',
    },
    {
        value: 'salesforce',
        label: 'Salesforce report export (users, accounts, opportunities)',
    },
    { value: 'hubspot', label: 'HubSpot export (users, companies, deals)' },
];

// The source columns each CRM preset reads (* required) and the canonical
// column each becomes, as src/io/mapping.c defines them; other columns of
// the export are ignored.  See docs/import.md.
const PRESETS = {
    salesforce: {
        users: 'User ID* → id, Full Name* → name, Email* → email, Role* → role, Manager ID → manager_id, Department → team',
        accounts:
            'Account ID* → id, Account Name* → name, Industry, Employees, Billing Country → region, Type* → status',
        deals: 'Opportunity ID* → id, Account ID* → account_id, Owner ID → ae_id, Type* → type, Lead Source → source, Stage* → stage, Created Date* → created_on, Close Date → closed_on (closed deals only), Amount → arr',
    },
    hubspot: {
        users: 'User ID* → id, First Name* + Last Name* → name, Email* → email, Role* → role, Team → team',
        accounts:
            'Record ID* → id, Company name* → name, Industry, Number of Employees → employees, Country/Region → region, Became a Customer Date → customer_since, Lifecycle Stage* → status',
        deals: 'Record ID* → id, Associated Company IDs* → account_id, Deal Type* → type, Original Source Type → source, Deal Stage* → stage, Create Date* → created_on, Close Date → closed_on (closed deals only), Amount → arr',
    },
};

function Result({ res, kind, me }) {
    let where = KINDS.find((k) => k[0] === kind)?.[2];
    // The People page is the administrator's alone.
    if (where === '/people' && me?.role !== 'admin') where = null;
    return html`<section class="card import-result" aria-labelledby="import-result-h">
        <h2 id="import-result-h">Imported</h2>
        <table class="data"><caption>${label(kind)}: ${res.rows} rows read</caption>
            <thead><tr><th scope="col">Inserted</th><th scope="col">Updated</th>
                <th scope="col">Unchanged</th><th scope="col">Skipped (bad)</th></tr></thead>
            <tbody><tr><td data-testid="import-inserted">${res.inserted}</td>
                <td data-testid="import-updated">${res.updated}</td>
                <td data-testid="import-unchanged">${res.unchanged}</td>
                <td data-testid="import-skipped">${res.skipped}</td></tr></tbody></table>
        ${where && html`<p><a href=${where}>See the ${label(kind)}</a></p>`}
    </section>`;
}

function Errors({ res }) {
    return html`<section class="card import-errors" role="alert" aria-labelledby="import-errors-h">
        <h2 id="import-errors-h">${res.applied ? 'Bad rows (skipped)' : 'The file has errors; nothing was imported'}</h2>
        ${res.error && html`<p class="form-error">${res.error.message}</p>`}
        <table class="data"><caption>Fix these lines of the file and upload it again</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
            <tbody>${res.errors.map(
                (e) => html`<tr><td>${e.line || '—'}</td>
                <td>${e.column ? html`<code>${e.column}</code>` : '—'}</td><td>${e.message}</td></tr>`,
            )}</tbody></table>
        ${res.more_errors > 0 && html`<p class="meta">…and ${res.more_errors} more bad rows.</p>`}
    </section>`;
}

export function Import({ me }) {
    const [kind, setKind] = useState('accounts');
    const [mapping, setMapping] = useState('canonical');
    const [skipBad, setSkipBad] = useState(false);
    const [file, setFile] = useState(null);
    const [busy, setBusy] = useState(false);
    const [res, setRes] = useState(null);
    const [failure, setFailure] = useState(null);
    const fileId = useId('import-file');
    if (!['revops', 'admin'].includes(me.role))
        return html`<section class="error-page" role="alert" data-status="403">
            <h1>You do not have access to this</h1>
            <p>RevOps and admins import records.</p></section>`;
    const preset = mapping !== 'canonical' ? PRESETS[mapping][kind] : null;
    const cols = KINDS.find((k) => k[0] === kind)[1];
    const presetHint =
        mapping === 'canonical'
            ? null
            : preset
              ? html`<p class="hint" id="import-mapping-hint">Columns the preset reads (* required):
            <code data-testid="import-preset-columns">${preset}</code></p>`
              : html`<p class="hint form-error" id="import-mapping-hint">The ${mapping === 'hubspot' ? 'HubSpot' : 'Salesforce'} preset maps
                users, accounts and deals only; import ${label(kind)} as canonical CSV.</p>`;
    const submit = async (ev) => {
        ev.preventDefault();
        if (!file) return;
        setBusy(true);
        setRes(null);
        setFailure(null);
        const q = new URLSearchParams();
        if (mapping !== 'canonical') q.set('mapping', mapping);
        if (skipBad) q.set('skip_bad', 'true');
        const qs = q.toString() ? `?${q}` : '';
        try {
            setRes(await api.upload(`/imports/${kind}${qs}`, file));
        } catch (e) {
            if (e.body && Array.isArray(e.body.errors)) setRes(e.body);
            else setFailure(e);
        } finally {
            setBusy(false);
        }
    };
    return html`<div class="page import"><h1>Import</h1>
        <p>Upload a CSV file with a header row. One file is one transaction: if any row is bad,
        nothing of the file is applied (unless you choose to skip bad rows). Importing the same
        file again changes nothing. A Salesforce or HubSpot export is read through its mapping preset.
        The same as <code>closeloop import ${kind} FILE${mapping !== 'canonical' ? ` --mapping ${mapping}` : ''}</code>.</p>
        <form class="card" onSubmit=${submit}>
            <${Select} label="What the file holds" name="kind" value=${kind}
                onChange=${(v) => {
                    setKind(v);
                    setRes(null);
                }}
                options=${KINDS.map(([k]) => ({ value: k, label: label(k) }))}
                hint=${html`Columns (* required): <code>${cols}</code>`} />
            <div class="field">
                <label for=${fileId}>CSV file</label>
                <input id=${fileId} type="file" name="file" accept=".csv,text/csv" required
                    onChange=${(e) => {
                        setFile(e.currentTarget.files[0] || null);
                        setRes(null);
                    }} />
            </div>
            <div class="field">
                <label for="import-mapping">Column mapping</label>
                <select id="import-mapping" name="mapping" value=${mapping}
                    aria-describedby=${presetHint ? 'import-mapping-hint' : undefined}
                    onChange=${(e) => {
                        setMapping(e.currentTarget.value);
                        setRes(null);
                    }}>
                    ${MAPPINGS.map((m) => html`<option value=${m.value}>${m.label}</option>`)}
                </select>
                ${presetHint}
            </div>
            <label class="check">
                <input type="checkbox" name="skip_bad" checked=${skipBad}
                    onChange=${(e) => setSkipBad(e.currentTarget.checked)} />
                Skip bad rows (apply the good ones and list the bad)</label>
            <button type="submit" disabled=${busy || !file || (mapping !== 'canonical' && !preset)}>${busy ? 'Importing…' : 'Import the file'}</button>
            <div class="submit-status" aria-live="polite">
                ${failure && html`<p class="form-error" role="alert">${failure.message}</p>`}
            </div>
        </form>
        ${res && res.applied && html`<${Result} res=${res} kind=${kind} me=${me} />`}
        ${res && res.errors.length > 0 && html`<${Errors} res=${res} />`}
    </div>`;
}
