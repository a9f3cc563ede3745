// account.js - accounts, and the account page: deals, won-deal review,
// health, churn and its tag, recoveries and the audit trail on one screen.
// Every field shown is one the API returned for this viewer.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { DatedChart } from '../svgchart.js';
import {
    html,
    useLoad,
    Loaded,
    ErrorView,
    Loading,
    navigate,
    money,
    day,
    text,
    label,
    person,
    when,
    Badge,
    Select,
    TextInput,
    TableWrap,
} from '../ui.js';

const CS_ACTORS = ['csm', 'cs_manager', 'revops'];

export const QUESTIONS = [
    ['q1', 'Q1 Buying trigger', 'What made them buy now?'],
    [
        'q2',
        "Q2 Champion's personal stake",
        'What does the champion personally win or lose?',
    ],
    [
        'q3',
        'Q3 Objections that nearly killed it',
        'Internal record: never customer-facing.',
    ],
    [
        'q4',
        'Q4 Promises, explicit and implicit',
        'Everything the customer heard us promise.',
    ],
    [
        'q5',
        'Q5 What makes them expand or renew',
        'Their success criteria, measurably.',
    ],
    ['q6', 'Q6 Risks in the account', 'Risk summary and context.'],
    ['q7', "Q7 AE's 12-month gut read", "In the AE's words."],
];

// /go/KIND/ID: finds the account a record belongs to and opens its page.
export function Go({ params }) {
    const [kind, id] = params;
    const [error, setError] = useState(null);
    useEffect(() => {
        const plural = {
            deal: 'deals',
            churn: 'churns',
            recovery: 'recoveries',
            account: 'accounts',
            review: 'reviews',
        }[kind];
        if (!plural) {
            setError({ status: 404, message: `no page for ${kind}` });
            return;
        }
        (async () => {
            const rec = await api.get(`/${plural}/${encodeURIComponent(id)}`);
            let account = kind === 'account' ? rec.id : rec.account_id;
            if (!account) {
                const deal = await api.get(
                    `/deals/${encodeURIComponent(
                        rec.new_deal_id || rec.deal_id || rec.original_deal_id,
                    )}`,
                );
                account = deal.account_id;
            }
            navigate(`/accounts/${encodeURIComponent(account)}#${kind}-${id}`, {
                replace: true,
            });
        })().catch(setError);
    }, [kind, id]);
    return error ? html`<${ErrorView} error=${error} />` : html`<${Loading} />`;
}

function Facts({ rows }) {
    return html`<dl class="facts">${rows
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

function Deals({ deals, people }) {
    if (!deals.length) return html`<p class="empty">No deals.</p>`;
    const has = (k) => deals.some((d) => k in d);
    return html`<${TableWrap} name="deals"><table class="data">
        <thead><tr><th scope="col">Deal</th><th scope="col">Type</th><th scope="col">Stage</th>
            <th scope="col">Closed</th><th scope="col" class="n">ARR</th>
            ${has('ae_id') && html`<th scope="col">AE</th>`}
            <th scope="col" class="n">ICP fit</th><th scope="col">Champion</th>
            <th scope="col">Kickoff</th><th scope="col">Review</th></tr></thead>
        <tbody>${deals.map(
            (d) => html`<tr id=${'deal-' + d.id}>
            <td>${d.id}</td><td>${label(d.type)}</td><td>${label(d.stage)}</td>
            <td>${day(d.closed_on)}</td><td class="n">${money(d.arr)}</td>
            ${has('ae_id') && html`<td>${person(people, d.ae_id)}</td>`}
            <td class="n">${text(d.icp_fit_score)}</td>
            <td>${d.champion_level ? label(d.champion_level) : '—'}${d.champion_tenure_months !== undefined && d.champion_tenure_months !== null ? `, ${d.champion_tenure_months} mo` : ''}${d.exec_sponsor === false ? ', no exec sponsor' : ''}</td>
            <td>${day(d.kickoff_on)}</td>
            <td>${
                d.stage === 'closed_won' && d.type === 'new'
                    ? html`<a href=${`/deals/${encodeURIComponent(d.id)}/review`}>Won-deal review</a>`
                    : '—'
            }</td>
        </tr>`,
        )}</tbody></table><//>`;
}

// The CSM's own flags on a review (issue 14): internal, as Q6's context.
const FLAGS = [
    ['implementation_risk', 'Implementation risk'],
    ['capacity_risk', 'CS capacity risk'],
    ['context_gaps', 'Context gaps'],
];

// Every health reading, oldest first: the review's, then each check-in's,
// drawn on a date axis to scale; the list is the chart's numbers as text.
function HealthHistory({ history, people }) {
    if (!history || history.length === 0) return null;
    const title = `Health score over time: ${history.length} ${history.length === 1 ? 'reading' : 'readings'}, latest ${history[history.length - 1].score}`;
    return html`<${DatedChart} testid="health-chart" title=${title}
        points=${history.map((h) => ({ on: h.on, value: h.score }))} />
    <ol class="plain health-history" data-testid="health-history"
        aria-label="Health history">${history.map(
            (h, i) => html`<li key=${i}>
        <time datetime=${h.on}>${day(h.on)}</time> <strong>${h.score}</strong>${' '}
        ${h.source === 'checkin' ? 'check-in' : 'won-deal review'}${h.by ? ` by ${person(people, h.by)}` : ''}
        ${h.note && html`<span class="meta"> — ${h.note}</span>`}</li>`,
        )}</ol>`;
}

function Review({ review }) {
    if (!review) return html`<p class="empty">No won-deal review recorded.</p>`;
    return html`<div>
        <p class="meta">Deal ${review.deal_id}, held ${day(review.held_on)}${review.gut_read ? `, gut read: ${label(review.gut_read).toLowerCase()}` : ''}</p>
        <dl class="qa">${QUESTIONS.filter(([k]) => k in review).map(
            ([k, l]) =>
                html`<div><dt>${l}</dt><dd>${text(review[k])}</dd></div>`,
        )}</dl>
        ${
            'implementation_risk' in review &&
            html`<div class="tag-box" data-testid="csm-flags">
            <p><strong>CSM flags:</strong> ${
                FLAGS.filter(([k]) => review[k])
                    .map(([, l]) => l)
                    .join(', ') || 'none'
            }</p>
            ${review.csm_note && html`<p>${review.csm_note}</p>`}</div>`
        }
        <p><a href=${`/deals/${encodeURIComponent(review.deal_id)}/review`}>Edit the review</a></p>
    </div>`;
}

function Churn({ churn, me, people }) {
    const causes = (churn.contributing_causes || '').split(';').filter(Boolean);
    return html`<div id=${'churn-' + churn.id}>
        <${Facts} rows=${[
            ['Churned', day(churn.churned_on)],
            ['ARR lost', money(churn.arr_lost)],
            ['Original deal', text(churn.deal_id)],
            [
                'Tagged',
                churn.tagged_on
                    ? `${day(churn.tagged_on)} by ${person(people, churn.tagged_by)}`
                    : 'not yet',
            ],
            [
                'Record',
                churn.closed_on ? `closed ${day(churn.closed_on)}` : 'open',
            ],
        ]} />
        ${
            churn.primary_cause
                ? html`<div class="tag-box">
                <p><strong>Primary cause:</strong> <span data-testid="primary-cause">${churn.tag ? churn.tag.label : label(churn.primary_cause)}</span></p>
                ${churn.tag && html`<p class="definition">${churn.tag.definition}</p>`}
                ${causes.length > 0 && html`<p><strong>Contributing:</strong> ${causes.map(label).join(', ')}</p>`}
              </div>`
                : html`<p><${Badge} kind="warn">Untagged<//> A churn cannot be closed until it is tagged.</p>`
        }
        <dl class="qa">
            <div><dt>Customer's words</dt><dd>${text(churn.stated_reason)}</dd></div>
            <div><dt>CS diagnosis</dt><dd>${text(churn.diagnosis)}</dd></div>
            <div><dt>Pre-sale behaviour that predicted it</dt><dd>${text(churn.predictive_behavior)}</dd></div>
        </dl>
        ${
            CS_ACTORS.includes(me.role) &&
            html`<p><a class="button" href=${`/churns/${encodeURIComponent(churn.id)}/tag`}>
            ${churn.closed_on ? 'Reopen to change the tag' : churn.primary_cause ? 'Change the tag or close' : 'Tag this churn'}</a></p>`
        }
    </div>`;
}

function Recoveries({ recoveries, me }) {
    if (!recoveries.length)
        return html`<p class="empty">No recovered deals.</p>`;
    return html`<ul class="plain">${recoveries.map(
        (r) => html`<li id=${'recovery-' + r.id} class="card inner">
        <p><strong>${r.recovery_type ? label(r.recovery_type) : 'Not classified yet'}</strong>
            — original deal ${text(r.original_deal_id)}, new deal ${text(r.new_deal_id)}</p>
        <${Facts} rows=${[
            ['CS intervention', text(r.cs_intervention)],
            ['What changed', text(r.what_changed)],
            ['Logged', day(r.logged_on)],
            ...(r.cs_led === false
                ? [['CS-led', 'No (left out of the recovery review)']]
                : []),
            ...(r.months_to_reengagement !== undefined
                ? [['Months to re-engagement', text(r.months_to_reengagement)]]
                : []),
        ]} />
        ${CS_ACTORS.includes(me.role) && html`<a href=${`/recoveries/${encodeURIComponent(r.id)}/classify`}>Classify this recovery</a>`}
    </li>`,
    )}</ul>`;
}

const ENTITY = {
    accounts: 'Account',
    deals: 'Deal',
    churns: 'Churn',
    reviews: 'Review of deal',
    recoveries: 'Recovery',
};

// A changed value: a code in words, a list of codes too.
const value = (v) =>
    typeof v === 'string' && /^[a-z]+(_[a-z]+)+(;[a-z]+(_[a-z]+)*)*$/.test(v)
        ? v.split(';').map(label).join(', ')
        : text(v);

// What an audit entry changed, in words.
function changed(a) {
    if (!a.old || !a.new) return label(a.action);
    return (
        Object.keys(a.new)
            .filter(
                (k) => JSON.stringify(a.old[k]) !== JSON.stringify(a.new[k]),
            )
            .map((k) => `${label(k)}: ${value(a.old[k])} → ${value(a.new[k])}`)
            .join('; ') || label(a.action)
    );
}

function AuditTable({ rows, caption, people }) {
    return html`<${TableWrap} name="audit"><table class="data audit">
        <caption>${caption}</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Record</th><th scope="col">Change</th></tr></thead>
        <tbody>${rows.map(
            (
                a,
            ) => html`<tr key=${a.id}><td><time datetime=${a.at}>${when(a.at)}</time></td>
            <td>${person(people, a.actor)}</td><td>${ENTITY[a.entity] || label(a.entity)} ${a.entity_id}</td><td class="wrap">${changed(a)}</td></tr>`,
        )}</tbody>
    </table><//>`;
}

// The account's own trail, a page at a time from the audit API (oldest
// first); "Load more" follows next_cursor.  The trails of its deals, churn
// and review come with the account page.
function Audit({ audit, account, people }) {
    const [open, setOpen] = useState(false);
    const [own, setOwn] = useState({
        items: [],
        cursor: null,
        busy: true,
        error: null,
    });
    const path = `/audit/accounts/${encodeURIComponent(account)}`;
    const more = (cursor) => {
        setOwn((o) => ({ ...o, busy: true, error: null }));
        api.get(path, { limit: 20, cursor }).then(
            (d) =>
                setOwn((o) => ({
                    items: cursor ? [...o.items, ...d.items] : d.items,
                    cursor: d.next_cursor,
                    busy: false,
                    error: null,
                })),
            (error) => setOwn((o) => ({ ...o, busy: false, error })),
        );
    };
    useEffect(() => {
        if (audit) more(null);
    }, [account, !!audit]);
    if (!audit)
        return html`<p class="empty">The audit trail is not shown to your role.</p>`;
    const related = audit.filter((a) => a.entity !== 'accounts');
    const rows = open ? related : related.slice(-8);
    return html`<div>
        ${
            own.error
                ? html`<${ErrorView} error=${own.error} />`
                : html`<${AuditTable} rows=${own.items} people=${people} caption="The account's changes, oldest first" />`
        }
        ${
            own.cursor &&
            html`<button class="small" disabled=${own.busy} data-testid="audit-more"
            onClick=${() => more(own.cursor)}>Load more</button>`
        }
        ${
            related.length > 0 &&
            html`<${AuditTable} rows=${rows} people=${people}
            caption="Changes to its deals, churn and review" />`
        }
        ${
            related.length > 8 &&
            html`<button class="link" aria-expanded=${open} onClick=${() => setOpen(!open)}>
            ${open ? 'Show the latest only' : `Show all ${related.length} entries`}</button>`
        }
    </div>`;
}

export function AccountPage({ params, me }) {
    const id = params[0];
    const st = useLoad(
        () => api.get(`/accounts/${encodeURIComponent(id)}/page`),
        [id],
    );
    useEffect(() => {
        if (st.data && location.hash) {
            const el = document.getElementById(location.hash.slice(1));
            if (el) el.scrollIntoView();
        }
    }, [st.data]);
    return html`<${Loaded} state=${st}>${(p) => {
        const a = p.account;
        const churns = p.churns || (p.churn ? [p.churn] : []);
        return html`<div class="page account">
            <h1>${a.name} <${Badge} kind=${a.status === 'churned' ? 'danger' : 'info'}>${label(a.status)}<//></h1>
            <section class="card" aria-labelledby="acc-h"><h2 id="acc-h">Account</h2>
                <${Facts} rows=${[
                    ['Industry', label(text(a.industry))],
                    ['Employees', text(a.employees)],
                    ['Region', text(a.region)],
                    ['Ops function', a.has_ops_function ? 'Yes' : 'No'],
                    ['CSM', person(p.people, a.csm_id)],
                    ['Customer since', day(a.customer_since)],
                ]} /></section>
            <div class="two-col">
                <section class="card" aria-labelledby="health-h"><h2 id="health-h">Health</h2>
                    ${
                        p.health
                            ? html`<p class="big" data-testid="health">${p.health.score ?? '—'}</p>
                        <p class="meta">${
                            p.health.score != null
                                ? (p.health.history || []).some(
                                      (h) => h.source === 'checkin',
                                  )
                                    ? html`Latest check-in of deal ${text(p.health.deal_id)}; it started from the won-deal review (Q2, Q5, Q7)`
                                    : html`Initial health from the won-deal review (Q2, Q5, Q7) of deal ${text(p.health.deal_id)}`
                                : html`No health score for deal ${text(p.health.deal_id)} yet: it is set from Q2, Q5 and Q7 when its won-deal review is recorded in closeloop, or by the next daily run after the review is imported.`
                        }</p>`
                            : html`<p class="empty">The health score is not shown to your role.</p>`
                    }
                    ${p.health && html`<${HealthHistory} history=${p.health.history} people=${p.people} />`}
                </section>
                <section class="card" aria-labelledby="churn-h"><h2 id="churn-h">Churn and its tag</h2>
                    ${
                        churns.length
                            ? churns.map(
                                  (c) => html`<${Churn} key=${c.id}
                        churn=${p.churn && p.churn.id === c.id ? p.churn : c} me=${me} people=${p.people} />`,
                              )
                            : html`<p class="empty">Not churned.</p>`
                    }
                </section>
            </div>
            <section class="card" aria-labelledby="deals-h"><h2 id="deals-h">Deals</h2><${Deals} deals=${p.deals} people=${p.people} /></section>
            <section class="card" aria-labelledby="review-h"><h2 id="review-h">Won-deal review</h2><${Review} review=${p.won_deal_review} /></section>
            <section class="card" aria-labelledby="rec-h"><h2 id="rec-h">Recovered deals</h2><${Recoveries} recoveries=${p.recoveries || []} me=${me} /></section>
            <section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Audit trail</h2><${Audit} audit=${p.audit} account=${a.id} people=${p.people} /></section>
        </div>`;
    }}<//>`;
}
