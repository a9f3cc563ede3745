// ui.js - what every page shares: htm bound to Preact, navigation, data
// loading with error states, number formats and labelled form fields.
import { h } from 'preact';
import { api } from './api.js';
import { downloadCsv, toCsv } from './csv.js';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

// ---- navigation (History API; the server answers index.html for any
// path without an extension) -------------------------------------------
const listeners = new Set();
export function navigate(url, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    listeners.forEach((f) => f());
    window.scrollTo(0, 0);
}
export function useLocation() {
    const [, set] = useState(0);
    useEffect(() => {
        const f = () => set((n) => n + 1);
        listeners.add(f);
        window.addEventListener('popstate', f);
        return () => {
            listeners.delete(f);
            window.removeEventListener('popstate', f);
        };
    }, []);
    return {
        path: location.pathname,
        query: new URLSearchParams(location.search),
    };
}
// Same-origin links navigate without a reload.
document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || a.target || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button)
        return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/'))
        return;
    ev.preventDefault();
    navigate(url.pathname + url.search + url.hash);
});

// ---- loading -----------------------------------------------------------
// Runs load() whenever deps change; returns {data, error, loading, reload}.
export function useLoad(load, deps) {
    const [state, setState] = useState({
        data: null,
        error: null,
        loading: true,
    });
    const [tick, setTick] = useState(0);
    useEffect(() => {
        let live = true;
        setState((s) => ({ ...s, loading: true, error: null }));
        load().then(
            (data) => live && setState({ data, error: null, loading: false }),
            (error) => live && setState({ data: null, error, loading: false }),
        );
        return () => {
            live = false;
        };
    }, [...deps, tick]);
    const reload = useCallback(() => setTick((n) => n + 1), []);
    return { ...state, reload };
}

// The page for an error the API gave (403: the rules refuse).
export function ErrorView({ error }) {
    if (!error) return null;
    const title =
        error.status === 403
            ? 'You do not have access to this'
            : error.status === 404
              ? 'Not found'
              : error.status === 401
                ? 'Please sign in'
                : 'Something went wrong';
    return html`<section class="error-page" role="alert" data-status=${error.status}>
        <h1>${title}</h1>
        <p>${error.message}</p>
        <p><a href="/">Back to my inbox</a></p>
    </section>`;
}

export function Loading() {
    return html`<p class="loading" role="status">Loading…</p>`;
}

// Shows loading, the error page, or children(data).
export function Loaded({ state, children }) {
    if (state.error) return html`<${ErrorView} error=${state.error} />`;
    if (state.loading && !state.data) return html`<${Loading} />`;
    return children(state.data);
}

// ---- formats -----------------------------------------------------------
export const money = (v) =>
    v === null || v === undefined
        ? '—'
        : new Intl.NumberFormat('en-US', {
              style: 'currency',
              currency: 'USD',
              maximumFractionDigits: 0,
          }).format(v);
export const pct = (v, d = 1) =>
    v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)}%`;
export const num = (v, d = 2) =>
    v === null || v === undefined
        ? '—'
        : Number.isInteger(v)
          ? String(v)
          : Number(v).toFixed(d);
const MONTHS = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
];
// A day as people read it ("13 Nov 2026"); the ISO form stays in <time>.
export const day = (v) => {
    const m = v && String(v).match(/^(\d{4})-(\d{2})-(\d{2})/);
    if (!m) return v ? String(v) : '—';
    return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
};
// A moment: its day and UTC time ("13 Nov 2026, 09:30 UTC").
export const when = (v) => {
    const m = v && String(v).match(/T(\d{2}:\d{2})/);
    return m ? `${day(v)}, ${m[1]} UTC` : day(v);
};
export const text = (v) =>
    v === null || v === undefined || v === '' ? '—' : v;

// The words for the codes the API uses (kinds, stages, roles, types).  A
// code not listed reads as its words, first letter capitalised.
const LABELS = {
    // tasks and sessions
    won_deal_review: 'Won-deal review',
    churn_tagging: 'Churn tagging',
    recovery_classification: 'Recovery classification',
    debrief: 'AE+CSM debrief',
    process_change_checkin: 'Process-change check-in',
    cause_followup: 'Churn cause follow-up',
    monthly_debrief: 'Monthly debrief',
    bad_fit_review: 'Bad-fit review',
    icp_review: 'ICP review',
    recovery_review: 'Recovery review',
    discovery_review: 'Discovery review',
    enablement_review: 'Enablement review',
    qualification_review: 'Qualification review',
    deal_brief_template: 'Deal-brief template review',
    handoff_sla_review: 'Handoff SLA review',
    trust_ae_cluster: 'Trust recoveries on one AE',
    trust_breakdown: 'Trust breakdown (recoveries)',
    // notifications
    task_reminder: 'Task reminder',
    task_escalation: 'Overdue task',
    churn_flag: 'Churn flag',
    cause_route: 'Churn cause routed to you',
    pipeline_flag: 'Pipeline flag',
    pipeline_digest: 'Pipeline digest',
    review_flag: 'Review flag',
    coaching_item: 'Coaching item',
    what_changed: 'What changed',
    checkin_reminder: 'Check-in reminder',
    checkin_escalation: 'Overdue check-in',
    // deal stages and types, statuses
    closed_won: 'Closed won',
    closed_lost: 'Closed lost',
    new: 'New business',
    open: 'Open',
    done: 'Done',
    closed: 'Closed',
    prospect: 'Prospect',
    customer: 'Customer',
    churned: 'Churned',
    // roles
    csm: 'CSM',
    cs_manager: 'CS manager',
    ae: 'Account executive',
    sales_manager: 'Sales manager',
    vp_sales: 'VP Sales',
    vp_cs: 'VP CS',
    marketing: 'Marketing',
    revops: 'RevOps',
    admin: 'Admin',
    // the pipeline's flags
    churn_pattern: 'Matches a churn pattern',
    outside_icp: 'Outside the ICP',
    champion_stability: 'Champion stability',
    slow_to_demo: 'Slow to demo',
    // report words
    icp: 'ICP',
    arr: 'ARR',
    'bad-fit': 'bad-fit',
    // the ICP review's segment dimensions
    employees_band: 'Employees',
    icp_fit_band: 'ICP fit score at close',
    champion_tenure_band: "Champion's months in the role",
    exec_sponsor: 'Executive sponsor',
    has_ops_function: 'Ops function',
    promises: 'Concrete promises at close (review Q4)',
    gut_read: "AE's gut read at close (review Q7)",
};
// The workspace's cause labels by code (its taxonomy, relabelled and added
// causes included), which /me brings and the taxonomy settings renew;
// label() prefers them.
let CAUSE_LABELS = {};
export const setCauseLabels = (byCode) => {
    CAUSE_LABELS = { ...(byCode || {}) };
};
export const label = (code) => {
    if (code === null || code === undefined || code === '') return '';
    const c = String(code);
    if (Object.hasOwn(CAUSE_LABELS, c)) return CAUSE_LABELS[c];
    if (LABELS[c]) return LABELS[c];
    const w = c.replace(/_/g, ' ');
    return w.charAt(0).toUpperCase() + w.slice(1);
};

// A person's name from a map of id -> name (the API's "people"), or the id.
export const person = (people, id) =>
    !id ? '—' : (people && people[id]) || id;

// ---- form fields: every control has a visible label -----------------------
let nextId = 0;
export function useId(prefix) {
    const [id] = useState(() => `${prefix}-${++nextId}`);
    return id;
}

export function Field({ label: l, hint, error, children, id }) {
    return html`<div class="field">
        <label for=${id}>${l}</label>
        ${children}
        ${hint && html`<div class="hint" id=${id + '-hint'}>${hint}</div>`}
        ${error && html`<div class="field-error" id=${id + '-error'} role="alert">${error}</div>`}
    </div>`;
}

// The ids that describe a control: its hint and its error, when shown.
const describedBy = (id, hint, error) =>
    [hint && id + '-hint', error && id + '-error'].filter(Boolean).join(' ') ||
    undefined;

// The API's error for one field of a form (useSubmit's state), to show
// next to that field; null for another field's or a form-wide error.
export const fieldError = (st, field) =>
    st.error && st.error.field === field ? st.error.message : null;

export function TextInput({
    label: l,
    value,
    onInput,
    type = 'text',
    hint,
    error,
    required,
    name,
    ...rest
}) {
    const id = useId(name || 'f');
    return html`<${Field} label=${l} hint=${hint} error=${error} id=${id}>
        <input id=${id} name=${name} type=${type} value=${value ?? ''}
            required=${required} aria-describedby=${describedBy(id, hint, error)}
            aria-invalid=${error ? 'true' : undefined}
            onInput=${(e) => onInput(e.currentTarget.value)} ...${rest} />
    <//>`;
}

export function TextArea({
    label: l,
    value,
    onInput,
    hint,
    error,
    name,
    rows = 3,
    children,
    ...rest
}) {
    const id = useId(name || 't');
    return html`<div class="field">
        <label for=${id}>${l}</label>
        <textarea id=${id} name=${name} rows=${rows} value=${value ?? ''}
            aria-describedby=${describedBy(id, hint, error)}
            aria-invalid=${error ? 'true' : undefined}
            onInput=${(e) => onInput(e.currentTarget.value)} ...${rest}></textarea>
        ${hint && html`<div class="hint" id=${id + '-hint'}>${hint}</div>`}
        ${error && html`<div class="field-error" id=${id + '-error'} role="alert">${error}</div>`}
        ${children}
    </div>`;
}

export function Select({
    label: l,
    value,
    onChange,
    options,
    name,
    hint,
    error,
    placeholder,
    ...rest
}) {
    const id = useId(name || 's');
    return html`<${Field} label=${l} hint=${hint} error=${error} id=${id}>
        <select id=${id} name=${name} value=${value ?? ''}
            aria-describedby=${describedBy(id, hint, error)}
            aria-invalid=${error ? 'true' : undefined}
            onChange=${(e) => onChange(e.currentTarget.value)} ...${rest}>
            ${placeholder !== undefined && html`<option value="">${placeholder}</option>`}
            ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
        </select>
    <//>`;
}

// A form's submit state: busy, the API's error, a done message.
export function useSubmit() {
    const [st, setSt] = useState({ busy: false, error: null, done: null });
    const run = async (fn, doneText) => {
        setSt({ busy: true, error: null, done: null });
        try {
            const r = await fn();
            setSt({ busy: false, error: null, done: doneText || 'Saved' });
            return r;
        } catch (error) {
            setSt({ busy: false, error, done: null });
            return undefined;
        }
    };
    return [st, run];
}

export function SubmitStatus({ st }) {
    return html`<div class="submit-status" aria-live="polite">
        ${st.error && html`<p class="form-error" role="alert">${st.error.message}</p>`}
        ${st.done && html`<p class="form-done">${st.done}</p>`}
    </div>`;
}

export function Badge({ kind = 'info', children }) {
    return html`<span class=${'badge badge-' + kind}>${children}</span>`;
}

// An account's name, looked up once per account (an id until it arrives or
// when the viewer may not read the account).
const accountNames = new Map();
export function AccountName({ id }) {
    const [name, setName] = useState(accountNames.get(id) || null);
    useEffect(() => {
        if (!id || accountNames.has(id)) return;
        api.get(`/accounts/${encodeURIComponent(id)}`).then(
            (a) => {
                accountNames.set(id, a.name);
                setName(a.name);
            },
            () => {},
        );
    }, [id]);
    return name || id || '—';
}

// ---- tables ------------------------------------------------------------
// A table as the page shows it, as CSV: the header cells' text and every
// body row's, a plain number as a number (csv.js neutralises the formula
// cells of text, never a negative number); a sort button's arrow is not
// part of its column's name.
export function tableCsv(table) {
    const cells = (tr) =>
        [...tr.querySelectorAll('th, td')].map((c) => {
            const t = c.innerText.replace(/[▲▼↑↓]/g, '').trim();
            return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
        });
    const head = table.tHead ? cells(table.tHead.rows[0]) : [];
    const rows = [...table.tBodies].flatMap((b) => [...b.rows].map(cells));
    return toCsv(head, rows);
}

// A data table with a "Download CSV" button for what it shows (issue 16:
// every table downloads); name is the file's, without .csv, and in words
// the button's accessible name after its text (two tables on a page, two
// buttons).
export function TableWrap({ name, children }) {
    const ref = useRef(null);
    const download = () => {
        const table = ref.current && ref.current.querySelector('table');
        if (table) downloadCsv(`${name}.csv`, tableCsv(table));
    };
    return html`<div class="table-wrap" ref=${ref}>${children}</div>
        <p class="table-tools no-print">
            <button type="button" class="link" onClick=${download}
                aria-label=${`Download CSV of ${name.replace(/-/g, ' ')}`}>Download CSV</button>
        </p>`;
}
