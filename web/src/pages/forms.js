// forms.js - what CS records: a churn's tag (with the taxonomy's
// definitions inline), the won-deal review (generic answers flagged as
// you type, by the server's own rule) and a recovery's classification.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, useLoad, Loaded, navigate, money, day, text, Badge,
    TextArea, Select, TextInput, useSubmit, SubmitStatus, useId, AccountName, label } from '../ui.js';
import { QUESTIONS } from './account.js';

export function TagChurn({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const [churn, tax] = await Promise.all([
            api.get(`/churns/${encodeURIComponent(id)}`),
            api.get('/settings/taxonomy')]);
        return { churn, tax: tax.items };
    }, [id]);
    const [closed, setClosed] = useState(undefined);
    return html`<${Loaded} state=${st}>${(d) => {
        const churn = closed === undefined ? d.churn : { ...d.churn, closed_on: closed };
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
        const r = await run(() => api.post(`/churns/${encodeURIComponent(churn.id)}/reopen`,
            { reason }), 'Churn reopened');
        if (r)
            onReopened();
    };
    return html`<div class="page form-page">
        <h1>Churn ${churn.id} is closed</h1>
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

function TagForm({ churn, tax, onClosed }) {
    const [primary, setPrimary] = useState(churn.primary_cause || '');
    const [contrib, setContrib] = useState(
        (churn.contributing_causes || '').split(';').filter(Boolean));
    const [stated, setStated] = useState(churn.stated_reason || '');
    const [diag, setDiag] = useState(churn.diagnosis || '');
    const [pred, setPred] = useState(churn.predictive_behavior || '');
    const [sub, run] = useSubmit();
    const sel = tax.find((t) => t.code === primary);
    const defId = useId('def');
    const closeId = useId('close');
    // What the server holds: closing reads the saved signals.
    const [saved, setSaved] = useState([churn.stated_reason, churn.diagnosis,
        churn.predictive_behavior]);
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(() => api.post(`/churns/${encodeURIComponent(churn.id)}/tag`, {
            primary_cause: primary,
            contributing_causes: contrib.filter((c) => c !== primary),
            stated_reason: stated, diagnosis: diag, predictive_behavior: pred,
        }), 'Tag saved');
        if (r) {
            setSaved([r.stated_reason, r.diagnosis, r.predictive_behavior]);
            navigate(`/accounts/${encodeURIComponent(r.account_id)}#churn-${r.id}`);
        }
    };
    return html`<div class="page form-page">
        <h1>Tag the churn ${churn.id}</h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(churn.account_id)}`}><${AccountName} id=${churn.account_id} /></a>,
            churned ${day(churn.churned_on)}, ${money(churn.arr_lost)} ARR lost, original deal ${text(churn.deal_id)}.</p>
        <form class="card" onSubmit=${submit} aria-label="Tag the churn">
            <${Select} label="Primary cause" name="primary_cause" value=${primary}
                onChange=${setPrimary} placeholder="Choose the root cause" required
                aria-describedby=${defId}
                options=${tax.map((t) => ({ value: t.code,
                    label: `${t.label}${t.sales_attributable ? ' (deal-attributable)' : ''}` }))} />
            <div id=${defId} class="definition-box" aria-live="polite" data-testid="cause-definition">
                ${sel ? html`<p><strong>${sel.label}:</strong> ${sel.definition}</p>
                    <p class="meta">Routes to: ${sel.routes_to}</p>
                    ${sel.sales_attributable && html`<p><${Badge} kind="warn">Deal-attributable<//>
                        Tagging this notifies the AE who closed the original deal and their manager, and opens a 20-minute AE+CSM debrief due within 5 business days.</p>`}`
                    : html`<p class="meta">Choose a cause to see its definition.</p>`}
            </div>
            <fieldset class="causes">
                <legend>Contributing causes (any)</legend>
                ${tax.filter((t) => t.code !== primary).map((t) => html`<label class="check" title=${t.definition}>
                    <input type="checkbox" name="contributing" value=${t.code}
                        checked=${contrib.includes(t.code)}
                        onChange=${(e) => setContrib(e.currentTarget.checked
                            ? [...contrib, t.code] : contrib.filter((c) => c !== t.code))} />
                    ${t.label}</label>`)}
            </fieldset>
            <${TextArea} label="The customer's stated reason, in their words" name="stated_reason" value=${stated} onInput=${setStated} />
            <${TextArea} label="CS diagnosis" name="diagnosis" value=${diag} onInput=${setDiag} />
            <${TextArea} label="Pre-sale deal behaviour that predicted it" name="predictive_behavior" value=${pred} onInput=${setPred} />
            <${SubmitStatus} st=${sub} />
            <div class="actions">
                <button type="submit" class="primary" disabled=${sub.busy || !primary}>Save the tag</button>
                ${churn.primary_cause && html`<button type="button"
                    disabled=${sub.busy || saved.some(signalMissing)}
                    aria-describedby=${closeId}
                    onClick=${async () => {
                        const r = await run(() => api.post(`/churns/${encodeURIComponent(churn.id)}/close`), 'Churn closed');
                        if (r) onClosed(r.closed_on);
                    }}>Close the churn record</button>`}
            </div>
            ${churn.primary_cause && html`<p id=${closeId} class="meta">Closing needs all three signals, saved with the tag.
                If nobody knows one, write <q>not known: </q> and why.</p>`}
        </form>
    </div>`;
}

// The server's reasons (docs/reviews.md, cl_review_answer_generic) in words.
const REASONS = { empty: 'empty', 'stock phrase': 'a stock phrase that says nothing',
    vague: 'vague (say who, what or when)',
    'no name, number, date or commitment': 'without a name, number, date or commitment' };

export function ReviewForm({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const deal = await api.get(`/deals/${encodeURIComponent(id)}`);
        const review = await api.get(`/reviews/${encodeURIComponent(id)}`)
            .catch((e) => { if (e.status === 404) return null; throw e; });
        return { deal, review };
    }, [id]);
    return html`<${Loaded} state=${st}>${(d) => html`<${ReviewEditor} deal=${d.deal} review=${d.review} />`}<//>`;
}

function ReviewEditor({ deal, review }) {
    const init = {};
    for (const [k] of QUESTIONS)
        init[k] = (review && review[k]) || '';
    const [ans, setAns] = useState(init);
    const [gut, setGut] = useState((review && review.gut_read) || '');
    const [held, setHeld] = useState((review && review.held_on) || new Date().toISOString().slice(0, 10));
    const [flags, setFlags] = useState({});
    const [sub, run] = useSubmit();
    const timer = useRef(null);
    // As the CSM types: the server's rule decides which answers are generic.
    useEffect(() => {
        clearTimeout(timer.current);
        timer.current = setTimeout(async () => {
            const body = {};
            for (const [k, v] of Object.entries(ans))
                if (v.trim() !== '')
                    body[k] = v;
            try {
                const r = await api.post('/reviews/check', body);
                const f = {};
                for (const x of r.flags)
                    f[x.question] = x.reason;
                setFlags(f);
            } catch {
                /* the warnings are a help; recording still flags them */
            }
        }, 250);
        return () => clearTimeout(timer.current);
    }, [ans]);
    const submit = async (ev) => {
        ev.preventDefault();
        const r = await run(() => api.post(`/deals/${encodeURIComponent(deal.id)}/review`, {
            ...ans, gut_read: gut || null, held_on: held || null,
        }), 'Review recorded');
        if (r)
            navigate(`/accounts/${encodeURIComponent(deal.account_id)}`);
    };
    const nflags = Object.keys(flags).length;
    return html`<div class="page form-page">
        <h1>Won-deal review of ${deal.id}</h1>
        <p class="lead">Account <a href=${`/accounts/${encodeURIComponent(deal.account_id)}`}><${AccountName} id=${deal.account_id} /></a>,
            closed ${day(deal.closed_on)}, ${money(deal.arr)} ARR. Due within 5 business days of close and before kickoff.
            Specific answers route to the right people; generic ones ("seemed enthusiastic", "n/a") are flagged.</p>
        <form class="card" onSubmit=${submit} aria-label="Won-deal review">
            ${QUESTIONS.map(([k, l, hint]) => html`<${TextArea} key=${k} label=${l} name=${k}
                hint=${hint} value=${ans[k]} onInput=${(v) => setAns({ ...ans, [k]: v })}
                aria-invalid=${flags[k] ? 'true' : undefined}>
                <div class="generic-warning" aria-live="polite" data-testid=${'flag-' + k}>
                    ${flags[k] && html`<${Badge} kind="warn">Generic<//> This answer is ${REASONS[flags[k]] || flags[k]}.`}
                </div><//>`)}
            <${Select} label="AE's gut read" name="gut_read" value=${gut} onChange=${setGut}
                placeholder="Not given" options=${['positive', 'neutral', 'worried'].map((g) => ({ value: g, label: label(g) }))} />
            <${TextInput} label="Held on" name="held_on" type="date" value=${held} onInput=${setHeld} />
            <p class="summary" aria-live="polite">${nflags ? `${nflags} answer${nflags > 1 ? 's' : ''} flagged as generic` : 'No generic answers'}</p>
            <${SubmitStatus} st=${sub} />
            <div class="actions"><button type="submit" class="primary" disabled=${sub.busy}>Record the review</button></div>
        </form>
    </div>`;
}

const RECOVERY_TYPES = [
    ['trust', 'Trust', 'The customer came back because a relationship of trust survived the loss.'],
    ['timing', 'Timing', 'The need was real but the moment was wrong (budget, priorities).'],
    ['overpromise_repair', 'Over-promise repair', 'A promise made in the original sale was repaired.'],
    ['champion_change', 'Champion change', 'A new champion took the decision the old one could not.'],
];

export function ClassifyRecovery({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        // The id is a recovery's or the new deal's (the task names the deal).
        const r = await api.get(`/recoveries/${encodeURIComponent(id)}`).catch(async (e) => {
            if (e.status !== 404)
                throw e;
            const list = await api.get('/recoveries', { new_deal_id: id, limit: 1 });
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
        const r = await run(() => api.post(`/recoveries/${encodeURIComponent(rec.id)}/classify`,
            { recovery_type: type, cs_intervention: cs, what_changed: what, cs_led: !notLed }),
            'Recovery classified');
        if (r)
            navigate(`/go/recovery/${encodeURIComponent(r.id)}`);
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
