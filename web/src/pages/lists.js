// lists.js - the accounts list and the open pipeline: sorted, filtered,
// searched and paged by the API (GET /accounts, GET /deals?open=true,
// docs/server.md "Lists").  The filters, the sort and the search live in
// the URL, so a view can be shared and Back returns to it; more rows come
// a page at a time through the API's cursors; the whole list under its
// filters and sort downloads as CSV (csv.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { toCsv, downloadCsv } from '../csv.js';
import {
    html,
    navigate,
    money,
    day,
    text,
    label,
    ErrorView,
    Loading,
    Select,
    TextInput,
} from '../ui.js';

const PAGE = 25;

// Who reads health scores (docs/visibility.md): an AE on its own deals'
// accounts only, which the API sees to.
const HEALTH_ROLES = ['csm', 'cs_manager', 'vp_cs', 'revops', 'admin', 'ae'];

// The URL's parameters each list passes on to the API.
const PARAMS = [
    'q',
    'sort',
    'status',
    'industry',
    'region',
    'csm_id',
    'ae_id',
    'arr_min',
    'arr_max',
    'renewal_from',
    'renewal_to',
    'health_min',
    'health_max',
];

const health = (x, key) =>
    key in x ? (x[key] === null ? '—' : String(x[key])) : '—';

const LISTS = {
    accounts: {
        path: '/accounts',
        api: '/accounts',
        fixed: {},
        title: 'Accounts',
        noun: ['account', 'accounts'],
        search: 'Search accounts (name or id)',
        tableId: 'accounts-table',
        person: { param: 'csm_id', role: 'csm', label: 'CSM', any: 'Any CSM' },
        statuses: ['prospect', 'customer', 'churned'],
        columns: [
            {
                sort: 'name',
                head: 'Account',
                csv: (a) => a.name,
                cell: (a) =>
                    html`<a href=${`/accounts/${encodeURIComponent(a.id)}`}>${a.name}</a>`,
            },
            {
                sort: 'status',
                head: 'Status',
                csv: (a) => label(a.status),
                cell: (a) => label(a.status),
            },
            {
                sort: 'industry',
                head: 'Industry',
                csv: (a) => a.industry,
                cell: (a) => label(text(a.industry)),
            },
            {
                sort: 'region',
                head: 'Region',
                csv: (a) => a.region,
                cell: (a) => text(a.region),
            },
            {
                sort: 'csm',
                head: 'CSM',
                csv: (a) => a.csm_name,
                cell: (a) => a.csm_name || '—',
            },
            {
                sort: 'arr',
                head: 'ARR',
                n: true,
                csv: (a) => a.arr,
                cell: (a) => money(a.arr),
            },
            {
                sort: 'renewal_on',
                head: 'Renewal',
                csv: (a) => a.renewal_on,
                cell: (a) => day(a.renewal_on),
            },
            {
                sort: 'health',
                head: 'Health',
                n: true,
                health: true,
                csv: (a) => a.health_score,
                cell: (a) => health(a, 'health_score'),
            },
        ],
    },
    pipeline: {
        path: '/pipeline',
        api: '/deals',
        fixed: { open: 'true' },
        title: 'Open pipeline',
        noun: ['open deal', 'open deals'],
        search: 'Search open deals (account name or deal id)',
        tableId: 'pipeline-table',
        person: { param: 'ae_id', role: 'ae', label: 'AE', any: 'Any AE' },
        columns: [
            {
                sort: 'account',
                head: 'Account',
                csv: (d) => d.account_name,
                cell: (d) =>
                    html`<a href=${`/accounts/${encodeURIComponent(d.account_id)}#deal-${d.id}`}>${d.account_name}</a>`,
            },
            { sort: 'id', head: 'Deal', csv: (d) => d.id, cell: (d) => d.id },
            {
                sort: 'stage',
                head: 'Stage',
                csv: (d) => label(d.stage),
                cell: (d) => label(d.stage),
            },
            {
                sort: 'ae',
                head: 'AE',
                ae: true,
                csv: (d) => d.ae_name,
                cell: (d) => d.ae_name || '—',
            },
            {
                sort: 'arr',
                head: 'ARR',
                n: true,
                csv: (d) => d.arr,
                cell: (d) => money(d.arr),
            },
            {
                sort: 'created_on',
                head: 'Created',
                csv: (d) => d.created_on,
                cell: (d) => day(d.created_on),
            },
            {
                sort: 'renewal_on',
                head: 'Account renewal',
                csv: (d) => d.renewal_on,
                cell: (d) => day(d.renewal_on),
            },
            {
                sort: 'health',
                head: 'Account health',
                n: true,
                health: true,
                csv: (d) => d.account_health,
                cell: (d) => health(d, 'account_health'),
            },
        ],
    },
};

// ", by ARR, largest first": the caption's words for the sort.
function sortCaption(c, desc) {
    if (!c) return '';
    const h = c.head === c.head.toUpperCase() ? c.head : c.head.toLowerCase();
    return `, by ${h}${desc ? (c.n ? ', largest first' : ', descending') : ''}`;
}

// The list's first page for params, and more pages on request (cursors).
function useList(path, params) {
    const key = JSON.stringify(params);
    const [st, setSt] = useState({
        items: [],
        total: null,
        cursor: null,
        choices: null,
        loading: true,
        more: false,
        error: null,
    });
    useEffect(() => {
        let live = true;
        setSt((s) => ({ ...s, loading: true, error: null }));
        api.get(path, { ...params, limit: PAGE }).then(
            (d) =>
                live &&
                setSt({
                    items: d.items,
                    total: d.total,
                    cursor: d.next_cursor,
                    choices: d.choices,
                    loading: false,
                    more: false,
                    error: null,
                }),
            (error) =>
                live &&
                setSt((s) => ({
                    ...s,
                    items: [],
                    total: null,
                    cursor: null,
                    loading: false,
                    error,
                })),
        );
        return () => {
            live = false;
        };
    }, [key]);
    // A page that arrives after the filters changed belongs to no list.
    const current = useRef(key);
    current.current = key;
    const more = () => {
        const asked = key;
        setSt((s) => ({ ...s, more: true }));
        api.get(path, { ...params, limit: PAGE, cursor: st.cursor }).then(
            (d) =>
                current.current === asked &&
                setSt((s) => ({
                    ...s,
                    items: [...s.items, ...d.items],
                    cursor: d.next_cursor,
                    more: false,
                })),
            (error) =>
                current.current === asked &&
                setSt((s) => ({ ...s, more: false, error })),
        );
    };
    return [st, more];
}

// Every row of the list under params (its filters and sort), page after
// page, as a CSV of the columns shown; at most CSV_MAX rows.
const CSV_MAX = 10000;
async function listCsv(path, params, columns) {
    const rows = [];
    let cursor = null;
    do {
        const d = await api.get(path, {
            ...params,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
        });
        rows.push(...d.items);
        cursor = d.next_cursor;
    } while (cursor && rows.length < CSV_MAX);
    return toCsv(
        columns.map((c) => c.head),
        rows.map((x) => columns.map((c) => c.csv(x))),
    );
}

// A text or number field that applies its value when it is committed
// (Enter, or leaving the field), not at each keystroke.
function CommitInput({ value, onCommit, ...rest }) {
    const [v, setV] = useState(value || '');
    useEffect(() => setV(value || ''), [value]);
    return html`<${TextInput} value=${v} onInput=${setV}
        onChange=${(e) => onCommit(e.currentTarget.value.trim())} ...${rest} />`;
}

// The people a list filters by, by name (never by id).
function usePeople(role, wanted) {
    const [people, setPeople] = useState([]);
    useEffect(() => {
        if (!wanted) return;
        api.get('/users', { role, limit: 1000 }).then(
            (d) => setPeople(d.items),
            () => setPeople([]),
        );
    }, [role, wanted]);
    return people;
}

function List({ conf, me, query }) {
    const mayHealth = HEALTH_ROLES.includes(me.role);
    // Marketing reads no individual AE's data (docs/design.md section 6).
    const mayAe = me.role !== 'marketing';
    const params = { ...conf.fixed };
    for (const k of PARAMS) if (query.get(k)) params[k] = query.get(k);
    const [st, more] = useList(conf.api, params);
    const personShown = conf.person.role !== 'ae' || mayAe;
    const people = usePeople(conf.person.role, personShown);
    const go = (changes, opts) => {
        const next = new URLSearchParams(query);
        for (const [k, v] of Object.entries(changes))
            if (v === '' || v === null || v === undefined) next.delete(k);
            else next.set(k, v);
        const s = next.toString();
        navigate(`${conf.path}${s ? `?${s}` : ''}`, opts);
    };
    // The search box applies as you type, replacing the URL's entry (Back
    // goes to the previous filters, not to each letter).
    const box = useRef(null);
    const [find, setFind] = useState(query.get('q') || '');
    const urlQ = query.get('q') || '';
    useEffect(() => {
        const t = setTimeout(() => {
            if (find.trim() !== urlQ) go({ q: find.trim() }, { replace: true });
        }, 250);
        return () => clearTimeout(t);
    }, [find]);
    useEffect(() => {
        const input = box.current && box.current.querySelector('input');
        if (document.activeElement !== input) setFind(urlQ);
    }, [urlQ]);
    // Enter opens the first match: the search is already on screen.
    const open = async (ev) => {
        ev.preventDefault();
        const t = find.trim();
        if (!t) return;
        const hit = await api
            .get(conf.api, { ...conf.fixed, q: t, limit: 1 })
            .catch(() => null);
        if (!hit || !hit.items.length) return;
        const x = hit.items[0];
        navigate(
            conf.api === '/deals'
                ? `/accounts/${encodeURIComponent(x.account_id)}#deal-${x.id}`
                : `/accounts/${encodeURIComponent(x.id)}`,
        );
    };
    const sort = query.get('sort') || '';
    const desc = sort.startsWith('-');
    const sortCol = desc ? sort.slice(1) : sort;
    const columns = conf.columns.filter(
        (c) => (!c.health || mayHealth) && (!c.ae || mayAe),
    );
    const sortBy = (c) => {
        // A column sorts ascending first, amounts and health largest first.
        const first = c.n ? `-${c.sort}` : c.sort;
        const flip = c.n ? c.sort : `-${c.sort}`;
        go({
            sort: sortCol === c.sort ? (sort === first ? flip : first) : first,
        });
    };
    const nset = PARAMS.filter(
        (k) => k !== 'sort' && k !== 'q' && query.get(k),
    ).length;
    const filtered = nset > 0 || !!query.get('q');
    // On a phone the filters fold away until asked for.
    const [openFilters, setOpenFilters] = useState(
        () => !window.matchMedia('(max-width: 640px)').matches,
    );
    const [csvBusy, setCsvBusy] = useState(false);
    const choices = st.choices || { industry: [], region: [] };
    const [one, many] = conf.noun;
    const shown = st.items.length;
    return html`<div class="page">
        <h1>${conf.title}</h1>
        ${
            conf.api === '/deals' &&
            html`<p class="meta">Deals not yet won or lost. Flagged deals, ranked by evidence, are in the <a href="/reports/pipeline">pipeline report</a>.</p>`
        }
        <form class="filters card" onSubmit=${open} role="search" ref=${box}>
            <${TextInput} label=${conf.search} name="find" type="search"
                value=${find} onInput=${setFind}
                hint="Matches as you type; Enter opens the first match."
                aria-controls=${conf.tableId} autocomplete="off" />
            <button type="submit">Open</button>
        </form>
        <details class="filter-box" open=${openFilters}
            onToggle=${(e) => setOpenFilters(e.currentTarget.open)}>
        <summary>Filters${nset ? ` (${nset} set)` : ''}</summary>
        <div class="filters" role="group" aria-label=${`Filter ${many}`}>
            ${
                conf.statuses &&
                html`<${Select} label="Status" name="status" value=${query.get('status') || ''} placeholder="Any"
                onChange=${(v) => go({ status: v })}
                options=${conf.statuses.map((s) => ({ value: s, label: label(s) }))} />`
            }
            <${Select} label="Industry" name="industry" value=${query.get('industry') || ''} placeholder="Any industry"
                onChange=${(v) => go({ industry: v })}
                options=${choices.industry.map((s) => ({ value: s, label: label(s) }))} />
            <${Select} label="Region" name="region" value=${query.get('region') || ''} placeholder="Any region"
                onChange=${(v) => go({ region: v })}
                options=${choices.region.map((s) => ({ value: s, label: s }))} />
            ${
                personShown &&
                html`<${Select} label=${conf.person.label} name=${conf.person.param}
                value=${query.get(conf.person.param) || ''} placeholder=${conf.person.any}
                onChange=${(v) => go({ [conf.person.param]: v })}
                options=${people.map((u) => ({ value: u.id, label: u.name }))} />`
            }
            <${CommitInput} label="ARR at least" name="arr_min" type="number" min="0" step="1000"
                inputmode="numeric" value=${query.get('arr_min')} onCommit=${(v) => go({ arr_min: v })} />
            <${CommitInput} label="ARR at most" name="arr_max" type="number" min="0" step="1000"
                inputmode="numeric" value=${query.get('arr_max')} onCommit=${(v) => go({ arr_max: v })} />
            <${CommitInput} label="Renews on or after" name="renewal_from" type="date"
                value=${query.get('renewal_from')} onCommit=${(v) => go({ renewal_from: v })} />
            <${CommitInput} label="Renews on or before" name="renewal_to" type="date"
                value=${query.get('renewal_to')} onCommit=${(v) => go({ renewal_to: v })} />
            ${
                mayHealth &&
                html`<${CommitInput} label="Health at least (0–100)" name="health_min" type="number"
                min="0" max="100" inputmode="numeric" value=${query.get('health_min')}
                onCommit=${(v) => go({ health_min: v })} />
            <${CommitInput} label="Health at most (0–100)" name="health_max" type="number"
                min="0" max="100" inputmode="numeric" value=${query.get('health_max')}
                onCommit=${(v) => go({ health_max: v })} />`
            }
            ${
                filtered &&
                html`<button type="button" class="secondary" onClick=${() => {
                    setFind('');
                    navigate(
                        sort
                            ? `${conf.path}?sort=${encodeURIComponent(sort)}`
                            : conf.path,
                    );
                }}>Clear filters</button>`
            }
        </div>
        </details>
        ${
            st.error &&
            (st.error.status === 400
                ? html`<p class="form-error" role="alert">${st.error.message}</p>`
                : html`<${ErrorView} error=${st.error} />`)
        }
        ${st.loading && !shown && !st.error && html`<${Loading} />`}
        ${
            !st.error || shown
                ? html`<div class="table-wrap"><table class="data" id=${conf.tableId} aria-live="polite" aria-busy=${st.loading}>
            <caption>${st.total === null ? '' : `${st.total} ${st.total === 1 ? one : many}`}${filtered ? ' matching the filters' : ''}${
                sortCol &&
                sortCaption(
                    columns.find((c) => c.sort === sortCol),
                    desc,
                )
            }</caption>
            <thead><tr>${columns.map(
                (c) => html`<th scope="col" class=${c.n ? 'n' : undefined}
                aria-sort=${sortCol === c.sort ? (desc ? 'descending' : 'ascending') : undefined}>
                <button type="button" class="link sort" onClick=${() => sortBy(c)}>${c.head}${
                    sortCol === c.sort
                        ? html`<span aria-hidden="true">${desc ? ' ▼' : ' ▲'}</span>`
                        : ''
                }</button></th>`,
            )}</tr></thead>
            <tbody>${st.items.map(
                (x) =>
                    html`<tr key=${x.id} data-id=${x.id}>${columns.map(
                        (c) =>
                            html`<td class=${c.n ? 'n' : undefined}>${c.cell(x)}</td>`,
                    )}</tr>`,
            )}</tbody></table></div>`
                : ''
        }
        ${!st.loading && !st.error && shown === 0 && html`<p class="empty">No ${many} match.</p>`}
        ${
            shown > 0 &&
            html`<div class="pager">
            <span data-testid="shown">Showing ${shown}${st.total !== null ? ` of ${st.total}` : ''}</span>
            <button type="button" class="link no-print" disabled=${csvBusy} onClick=${async () => {
                setCsvBusy(true);
                try {
                    downloadCsv(
                        `${conf.path.slice(1)}.csv`,
                        await listCsv(conf.api, params, columns),
                    );
                } finally {
                    setCsvBusy(false);
                }
            }}>Download ${st.total > CSV_MAX ? `the first ${CSV_MAX}` : `all ${st.total ?? ''}`} as CSV</button>
            ${
                st.cursor &&
                html`<button type="button" disabled=${st.more} onClick=${more}>Show more</button>`
            }
        </div>`
        }
    </div>`;
}

export function Accounts({ me, query }) {
    return html`<${List} conf=${LISTS.accounts} me=${me} query=${query} />`;
}

export function OpenPipeline({ me, query }) {
    return html`<${List} conf=${LISTS.pipeline} me=${me} query=${query} />`;
}
