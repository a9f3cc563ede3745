// forms.js - what CS records: a churn's tag (with the taxonomy's
// definitions inline), the won-deal review (generic answers flagged as
// you type, by the server's own rule) and a recovery's classification.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    navigate,
    money,
    day,
    when,
    text,
    Badge,
    TextArea,
    Select,
    TextInput,
    useSubmit,
    SubmitStatus,
    useId,
    AccountName,
    label,
} from '../ui.js';
import { QUESTIONS } from './account.js';

export function TagChurn({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const [churn, tax] = await Promise.all([
            api.get(`/churns/${encodeURIComponent(id)}`),
            api.get('/settings/taxonomy'),
        ]);
        return { churn, tax: tax.items };
    }, [id]);
    const [closed, setClosed] = useState(undefined);
    return html`<${Loaded} state=${st}>${(d) => {
        const churn =
            closed === undefined ? d.churn : { ...d.churn, closed_on: closed };
        return churn.closed_on
            ? html`<${ReopenForm} churn=${churn} onReopened=${() => setClosed(null)} />`
            : html`<${TagForm} churn=${churn} tax=${d.tax} onClosed=${(on) => setClosed(on)} />`;
    }}<//>`;
}

// A closed churn's tag changes only once it is reopened, for a reason the
// audit trail keeps.
function ReopenForm({ churn, onReopened }) {
    const [reason, setReason] = useState('');
    const [sub, run] = useSubmit();
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(
            () =>
                api.post(`/churns/${encodeURIComponent(churn.id)}/reopen`, {
                    reason,
                }),
            'Churn reopened',
        );
        if (r) onReopened();
    };
    return html`<div class="page form-page">
        <h1>The churn of <${AccountName} id=${churn.account_id} /> is closed</h1>
        <p class="lead">Closed ${day(churn.closed_on)} with its tag and its three signals. To change the tag, reopen it:
            the reason goes into the audit trail.</p>
        <form class="card" onSubmit=${submit} aria-label="Reopen the churn">
            <${TextArea} label="Why reopen it" name="reason" value=${reason} onInput=${setReason} required />
            <${SubmitStatus} st=${sub} />
            <div class="actions">
                <button type="submit" class="primary" disabled=${sub.busy || !reason.trim()}>Reopen the churn</button>
            </div>
        </form>
    </div>`;
}

// As the server reads a signal (cl_wf_signal_check): empty, or "not known"
// without a reason, is missing.
function signalMissing(t) {
    const s = (t || '').trim();
    const m = s.match(/^(not known|unknown)(?![a-z0-9])\s*(.*)$/i);
    if (!s) return true;
    if (!m) return false;
    const rest = m[2];
    if (!rest) return true;
    if (!/^[:\-(]/.test(rest)) return false;
    return (rest.slice(1).match(/[a-z]/gi) || []).length < 3;
}

// The causes a tag may take: those in use, and a retired one only where
// the churn's tag has it already (the server refuses it in a new tag).
export function offeredCauses(tax, churn) {
    const had = [
        churn.primary_cause,
        ...(churn.contributing_causes || '').split(';'),
    ].filter(Boolean);
    return tax.filter((t) => !t.retired || had.includes(t.code));
}

function TagForm({ churn, tax: all, onClosed }) {
    const tax = offeredCauses(all, churn);
    const [primary, setPrimary] = useState(churn.primary_cause || '');
    const [contrib, setContrib] = useState(
        (churn.contributing_causes || '').split(';').filter(Boolean),
    );
    const [stated, setStated] = useState(churn.stated_reason || '');
    const [diag, setDiag] = useState(churn.diagnosis || '');
    const [pred, setPred] = useState(churn.predictive_behavior || '');
    const [sub, run] = useSubmit();
    const sel = tax.find((t) => t.code === primary);
    const defId = useId('def');
    const closeId = useId('close');
    // What the server holds: closing reads the saved signals.
    const [saved, setSaved] = useState([
        churn.stated_reason,
        churn.diagnosis,
        churn.predictive_behavior,
    ]);
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(
            () =>
                api.post(`/churns/${encodeURIComponent(churn.id)}/tag`, {
                    primary_cause: primary,
                    contributing_causes: contrib.filter((c) => c !== primary),
                    stated_reason: stated,
                    diagnosis: diag,
                    predictive_behavior: pred,
                }),
            'Tag saved',
        );
        if (r) {
            setSaved([r.stated_reason, r.diagnosis, r.predictive_behavior]);
            navigate(
                `/accounts/${encodeURIComponent(r.account_id)}#churn-${r.id}`,
            );
        }
    };
    return html`<div class="page form-page">
        <h1>Tag the churn of <${AccountName} id=${churn.account_id} /></h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(churn.account_id)}`}><${AccountName} id=${churn.account_id} /></a>,
            churned ${day(churn.churned_on)}, ${money(churn.arr_lost)} ARR lost, original deal ${text(churn.deal_id)}.</p>
        <form class="card" onSubmit=${submit} aria-label="Tag the churn">
            <${Select} label="Primary cause" name="primary_cause" value=${primary}
                onChange=${setPrimary} placeholder="Choose the root cause" required
                aria-describedby=${defId}
                options=${tax.map((t) => ({
                    value: t.code,
                    label: `${t.label}${t.sales_attributable ? ' (deal-attributable)' : ''}`,
                }))} />
            <div id=${defId} class="definition-box" aria-live="polite" data-testid="cause-definition">
                ${
                    sel
                        ? html`<p><strong>${sel.label}:</strong> ${sel.definition}</p>
                    <p class="meta">Routes to: ${sel.routes_to}</p>
                    ${
                        sel.sales_attributable &&
                        html`<p><${Badge} kind="warn">Deal-attributable<//>
                        Tagging this notifies the AE who closed the original deal and their manager, and opens a 20-minute AE+CSM debrief due within 5 business days.</p>`
                    }`
                        : html`<p class="meta">Choose a cause to see its definition.</p>`
                }
            </div>
            <fieldset class="causes">
                <legend>Contributing causes (any)</legend>
                ${tax
                    .filter((t) => t.code !== primary)
                    .map(
                        (t) => html`<label class="check" title=${t.definition}>
                    <input type="checkbox" name="contributing" value=${t.code}
                        checked=${contrib.includes(t.code)}
                        onChange=${(e) =>
                            setContrib(
                                e.currentTarget.checked
                                    ? [...contrib, t.code]
                                    : contrib.filter((c) => c !== t.code),
                            )} />
                    ${t.label}</label>`,
                    )}
            </fieldset>
            <${TextArea} label="The customer's stated reason, in their words" name="stated_reason" value=${stated} onInput=${setStated} />
            <${TextArea} label="CS diagnosis" name="diagnosis" value=${diag} onInput=${setDiag} />
            <${TextArea} label="Pre-sale deal behaviour that predicted it" name="predictive_behavior" value=${pred} onInput=${setPred} />
            <${SubmitStatus} st=${sub} />
            <div class="actions">
                <button type="submit" class="primary" disabled=${sub.busy || !primary}>Save the tag</button>
                ${
                    churn.primary_cause &&
                    html`<button type="button"
                    disabled=${sub.busy || saved.some(signalMissing)}
                    aria-describedby=${closeId}
                    onClick=${async () => {
                        const r = await run(
                            () =>
                                api.post(
                                    `/churns/${encodeURIComponent(churn.id)}/close`,
                                ),
                            'Churn closed',
                        );
                        if (r) onClosed(r.closed_on);
                    }}>Close the churn record</button>`
                }
            </div>
            ${
                churn.primary_cause &&
                html`<p id=${closeId} class="meta">Closing needs all three signals, saved with the tag.
                If nobody knows one, write <q>not known: </q> and why.</p>`
            }
        </form>
    </div>`;
}

// The server's reasons (docs/reviews.md, cl_review_answer_generic) in words.
const REASONS = {
    empty: 'empty',
    'stock phrase': 'a stock phrase that says nothing',
    vague: 'vague (say who, what or when)',
    'no name, number, date or commitment':
        'without a name, number, date or commitment',
};

// The questions the deal's AE answers before or after the meeting (issue
// 14); the CSM answers Q5 and Q6 and holds the review.
export const AE_QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q7'];

// The CSM's own flags on the account, kept with the review.
export const CSM_FLAGS = [
    ['implementation_risk', 'Implementation risk'],
    ['capacity_risk', 'CS capacity risk'],
    ['context_gaps', 'Context gaps'],
];

const notFound = (e) => {
    if (e.status === 404) return null;
    throw e;
};

export function ReviewForm({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const deal = await api.get(`/deals/${encodeURIComponent(id)}`);
        const [review, answers] = await Promise.all([
            api.get(`/reviews/${encodeURIComponent(id)}`).catch(notFound),
            api
                .get(`/deals/${encodeURIComponent(id)}/review/answers`)
                .catch(() => null),
        ]);
        return { deal, review, answers };
    }, [id]);
    return html`<${Loaded} state=${st}>${(d) => html`<${ReviewEditor} deal=${d.deal} review=${d.review} answers=${d.answers} />`}<//>`;
}

// /deals/ID/review/answers: the deal's AE answers its questions, at any
// time before the CSM holds the review; each save is audited.
export function AeAnswersForm({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const deal = await api.get(`/deals/${encodeURIComponent(id)}`);
        const [review, answers] = await Promise.all([
            api.get(`/reviews/${encodeURIComponent(id)}`).catch(notFound),
            api.get(`/deals/${encodeURIComponent(id)}/review/answers`),
        ]);
        return { deal, review, answers };
    }, [id]);
    return html`<${Loaded} state=${st}>${(d) => html`<${AeAnswersEditor} ...${d} />`}<//>`;
}

function AeAnswersEditor({ deal, review, answers }) {
    const init = {};
    for (const k of AE_QUESTIONS) init[k] = answers[k] || '';
    const [ans, setAns] = useState(init);
    const flags = useGenericFlags(ans);
    const [sub, run] = useSubmit();
    const submit = async (ev) => {
        ev.preventDefault();
        const body = {};
        for (const k of AE_QUESTIONS)
            if (ans[k].trim() !== '') body[k] = ans[k];
        await run(
            () =>
                api.put(
                    `/deals/${encodeURIComponent(deal.id)}/review/answers`,
                    body,
                ),
            'Answers saved: the CSM sees them in the review',
        );
    };
    return html`<div class="page form-page">
        <h1>Your answers for the review of the deal with <${AccountName} id=${deal.account_id} /></h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(deal.account_id)}`}><${AccountName} id=${deal.account_id} /></a>,
            closed ${day(deal.closed_on)}, ${money(deal.arr)} ARR. Answer before or after the review meeting:
            the CSM sees your answers in the review form and holds the review.</p>
        ${
            review
                ? html`<p class="definition-box" data-testid="review-held">The review was held ${day(review.held_on)};
            its CSM owns the answers now.</p>`
                : html`<form class="card" onSubmit=${submit} aria-label="Your review answers">
            ${QUESTIONS.filter(([k]) => AE_QUESTIONS.includes(k)).map(
                ([k, l, hint]) => html`<${TextArea} key=${k}
                label=${l} name=${k} hint=${hint} value=${ans[k]} onInput=${(v) => setAns({ ...ans, [k]: v })}
                aria-invalid=${flags[k] ? 'true' : undefined}><${GenericWarning} q=${k} reason=${flags[k]} /><//>`,
            )}
            ${answers.answered_at && html`<p class="meta">Last saved ${when(answers.answered_at)}.</p>`}
            <${SubmitStatus} st=${sub} />
            <div class="actions"><button type="submit" class="primary"
                disabled=${sub.busy || AE_QUESTIONS.every((k) => !ans[k].trim())}>Save my answers</button></div>
        </form>`
        }
    </div>`;
}

// As the answers are typed: the server's rule decides which are generic
// ({question: reason}).
function useGenericFlags(ans) {
    const [flags, setFlags] = useState({});
    const timer = useRef(null);
    useEffect(() => {
        clearTimeout(timer.current);
        timer.current = setTimeout(async () => {
            const body = {};
            for (const [k, v] of Object.entries(ans))
                if (v.trim() !== '') body[k] = v;
            try {
                const r = await api.post('/reviews/check', body);
                const f = {};
                for (const x of r.flags) f[x.question] = x.reason;
                setFlags(f);
            } catch {
                /* the warnings are a help; recording still flags them */
            }
        }, 250);
        return () => clearTimeout(timer.current);
    }, [ans]);
    return flags;
}

// The generic-answer warning under an answer.
function GenericWarning({ q, reason }) {
    return html`<div class="generic-warning" aria-live="polite" data-testid=${'flag-' + q}>
        ${reason && html`<${Badge} kind="warn">Generic<//> This answer is ${REASONS[reason] || reason}.`}
    </div>`;
}

function ReviewEditor({ deal, review, answers }) {
    const init = {};
    // The AE's own answers fill its questions until the review is held.
    for (const [k] of QUESTIONS)
        init[k] = (review && review[k]) || (answers && answers[k]) || '';
    const fromAe = !review && answers && AE_QUESTIONS.some((k) => answers[k]);
    const [csmFlags, setCsmFlags] = useState(
        Object.fromEntries(
            CSM_FLAGS.map(([k]) => [k, !!(review && review[k])]),
        ),
    );
    const [note, setNote] = useState((review && review.csm_note) || '');
    const [ans, setAns] = useState(init);
    const [gut, setGut] = useState((review && review.gut_read) || '');
    const [held, setHeld] = useState(
        (review && review.held_on) || new Date().toISOString().slice(0, 10),
    );
    const flags = useGenericFlags(ans);
    const [sub, run] = useSubmit();
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(
            () =>
                api.post(`/deals/${encodeURIComponent(deal.id)}/review`, {
                    ...ans,
                    gut_read: gut || null,
                    held_on: held || null,
                    ...csmFlags,
                    csm_note: note.trim() || null,
                }),
            'Review recorded',
        );
        if (r) navigate(`/accounts/${encodeURIComponent(deal.account_id)}`);
    };
    const nflags = Object.keys(flags).length;
    return html`<div class="page form-page">
        <h1>Won-deal review of the deal with <${AccountName} id=${deal.account_id} /></h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(deal.account_id)}`}><${AccountName} id=${deal.account_id} /></a>,
            closed ${day(deal.closed_on)}, ${money(deal.arr)} ARR. Due within 5 business days of close and before kickoff.
            Specific answers route to the right people; generic ones ("seemed enthusiastic", "n/a") are flagged.</p>
        ${
            fromAe &&
            html`<p class="definition-box" data-testid="ae-prefilled">
            <${Badge} kind="info">From the AE<//> ${AE_QUESTIONS.filter((k) => answers[k]).length} of Q1-Q4 and Q7
            are the AE's own answers${answers.answered_at ? `, saved ${when(answers.answered_at)}` : ''}. Edit them as the meeting agrees.</p>`
        }
        <form class="card" onSubmit=${submit} aria-label="Won-deal review">
            ${QUESTIONS.map(
                ([
                    k,
                    l,
                    hint,
                ]) => html`<${TextArea} key=${k} label=${l} name=${k}
                hint=${hint} value=${ans[k]} onInput=${(v) => setAns({ ...ans, [k]: v })}
                aria-invalid=${flags[k] ? 'true' : undefined}>
                <${GenericWarning} q=${k} reason=${flags[k]} /><//>`,
            )}
            <${Select} label="AE's gut read" name="gut_read" value=${gut} onChange=${setGut}
                placeholder="Not given" options=${['positive', 'neutral', 'worried'].map((g) => ({ value: g, label: label(g) }))} />
            <${TextInput} label="Held on" name="held_on" type="date" value=${held} onInput=${setHeld} />
            <fieldset class="causes" data-testid="csm-flags-form">
                <legend>Your own flags on the account (internal)</legend>
                ${CSM_FLAGS.map(
                    ([k, l]) => html`<label class="check" key=${k}>
                    <input type="checkbox" name=${k} checked=${csmFlags[k]}
                        onChange=${(e) => setCsmFlags({ ...csmFlags, [k]: e.currentTarget.checked })} />
                    ${l}</label>`,
                )}
            </fieldset>
            <${TextArea} label="Why (a short note for CS)" name="csm_note" value=${note} onInput=${setNote} rows=${2} />
            <p class="summary" aria-live="polite">${nflags ? `${nflags} answer${nflags > 1 ? 's' : ''} flagged as generic` : 'No generic answers'}</p>
            <${SubmitStatus} st=${sub} />
            <div class="actions"><button type="submit" class="primary" disabled=${sub.busy}>Record the review</button></div>
        </form>
    </div>`;
}

const RECOVERY_TYPES = [
    [
        'trust',
        'Trust',
        'The customer came back because a relationship of trust survived the loss.',
    ],
    [
        'timing',
        'Timing',
        'The need was real but the moment was wrong (budget, priorities).',
    ],
    [
        'overpromise_repair',
        'Over-promise repair',
        'A promise made in the original sale was repaired.',
    ],
    [
        'champion_change',
        'Champion change',
        'A new champion took the decision the old one could not.',
    ],
];

export function ClassifyRecovery({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        // The id is a recovery's or the new deal's (the task names the deal).
        const r = await api
            .get(`/recoveries/${encodeURIComponent(id)}`)
            .catch(async (e) => {
                if (e.status !== 404) throw e;
                const list = await api.get('/recoveries', {
                    new_deal_id: id,
                    limit: 1,
                });
                return list.items[0] || { id, new_deal_id: id };
            });
        return r;
    }, [id]);
    return html`<${Loaded} state=${st}>${(r) => html`<${ClassifyForm} rec=${r} />`}<//>`;
}

function ClassifyForm({ rec }) {
    const [type, setType] = useState(rec.recovery_type || '');
    const [cs, setCs] = useState(rec.cs_intervention || '');
    const [what, setWhat] = useState(rec.what_changed || '');
    // Empty reads as CS-led; only an explicit false is "not CS-led".
    const [notLed, setNotLed] = useState(rec.cs_led === false);
    const [sub, run] = useSubmit();
    const sel = RECOVERY_TYPES.find((t) => t[0] === type);
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(
            () =>
                api.post(`/recoveries/${encodeURIComponent(rec.id)}/classify`, {
                    recovery_type: type,
                    cs_intervention: cs,
                    what_changed: what,
                    cs_led: !notLed,
                }),
            'Recovery classified',
        );
        if (r) navigate(`/go/recovery/${encodeURIComponent(r.id)}`);
    };
    return html`<div class="page form-page">
        <h1>Classify the recovery ${rec.id}</h1>
        <p class="lead">Original deal ${text(rec.original_deal_id)}, new deal ${text(rec.new_deal_id)}.
            Recoveries are intelligence about where the sales process fails, never a CS target.</p>
        <form class="card" onSubmit=${submit} aria-label="Classify the recovery">
            <${Select} label="Recovery type" name="recovery_type" value=${type} onChange=${setType}
                placeholder="Choose a type" required options=${RECOVERY_TYPES.map(([v, l]) => ({ value: v, label: l }))} />
            <p class="definition-box" aria-live="polite">${sel ? sel[2] : 'Choose a type to see what it means.'}</p>
            <${TextArea} label="CS intervention" name="cs_intervention" value=${cs} onInput=${setCs} />
            <${TextArea} label="What changed" name="what_changed" value=${what} onInput=${setWhat} />
            <label class="check">
                <input type="checkbox" name="not_cs_led" checked=${notLed} aria-describedby="not-cs-led-hint"
                    onChange=${(e) => setNotLed(e.currentTarget.checked)} />
                CS did not lead this recovery</label>
            <p class="hint" id="not-cs-led-hint">It stays on record; the recovery review leaves it out of its figures and clusters.</p>
            <${SubmitStatus} st=${sub} />
            <div class="actions"><button type="submit" class="primary" disabled=${sub.busy || !type}>Save</button></div>
        </form>
    </div>`;
}

// /tasks/ID/checkin: a 30/60/90-day check-in shows the review's answers
// (those the viewer may read) and records a health reading (issue 14).
export function CheckinForm({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const task = await api.get(`/tasks/${encodeURIComponent(id)}`);
        const deal = await api.get(
            `/deals/${encodeURIComponent(task.subject_id)}`,
        );
        const review = await api
            .get(`/reviews/${encodeURIComponent(task.subject_id)}`)
            .catch(notFound);
        return { task, deal, review };
    }, [id]);
    return html`<${Loaded} state=${st}>${(d) => html`<${CheckinEditor} ...${d} />`}<//>`;
}

function CheckinEditor({ task, deal, review }) {
    const [score, setScore] = useState('');
    const [note, setNote] = useState('');
    const [sub, run] = useSubmit();
    const n = Number(score);
    const valid =
        score !== '' &&
        Number.isInteger(n) &&
        n >= 0 &&
        n <= 100 &&
        note.trim() !== '';
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(
            () =>
                api.post(`/tasks/${encodeURIComponent(task.id)}/checkin`, {
                    score: n,
                    note,
                }),
            'Check-in recorded',
        );
        if (r) navigate(`/accounts/${encodeURIComponent(deal.account_id)}`);
    };
    const flags = review ? CSM_FLAGS.filter(([k]) => review[k]) : [];
    return html`<div class="page form-page">
        <h1>${task.title}</h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(deal.account_id)}`}><${AccountName} id=${deal.account_id} /></a>,
            deal ${deal.id}, kickoff ${day(deal.kickoff_on)}. Due ${day(task.due_on)}.
            Check what the review said against what happened, then record the account's health.</p>
        <section class="card" aria-labelledby="ck-review-h" data-testid="checkin-review">
            <h2 id="ck-review-h">What the won-deal review said</h2>
            ${
                review
                    ? html`<p class="meta">Held ${day(review.held_on)}${review.gut_read ? `, gut read: ${label(review.gut_read).toLowerCase()}` : ''}</p>
                <dl class="qa">${QUESTIONS.filter(([k]) => k in review).map(
                    ([k, l]) =>
                        html`<div key=${k}><dt>${l}</dt><dd>${text(review[k])}</dd></div>`,
                )}</dl>
                ${flags.length > 0 && html`<p><strong>CSM flags:</strong> ${flags.map(([, l]) => l).join(', ')}${review.csm_note ? ` — ${review.csm_note}` : ''}</p>`}`
                    : html`<p class="empty">No review recorded for this deal.</p>`
            }
        </section>
        ${
            task.status === 'done'
                ? html`<p class="definition-box">This check-in was recorded ${day(task.done_at)}.</p>`
                : html`<form class="card" onSubmit=${submit} aria-label="Record the check-in">
            <${TextInput} label="Health score now (0-100)" name="score" type="number" min="0" max="100" step="1"
                value=${score} onInput=${setScore} required
                hint="The same scale as the review's initial score: 50 is neutral." />
            <${TextArea} label="What the check-in found" name="note" value=${note} onInput=${setNote} required />
            <${SubmitStatus} st=${sub} />
            <div class="actions"><button type="submit" class="primary" disabled=${sub.busy || !valid}>Record the check-in</button></div>
        </form>`
        }
    </div>`;
}
