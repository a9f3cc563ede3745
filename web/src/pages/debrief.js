// debrief.js - the AE+CSM debrief of a churn (issue 16): its notes and
// whether the tag is right.  A disputed tag reaches the CSM and the audit
// trail (the server's rule: cl_wf_debrief_held); changing the tag stays
// the CSM's, by reopening the churn.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    label,
    navigate,
    TextArea,
    useSubmit,
    SubmitStatus,
    AccountName,
} from '../ui.js';

function Form({ task, churn }) {
    const [notes, setNotes] = useState('');
    const [outcome, setOutcome] = useState('accepted');
    const [reason, setReason] = useState('');
    const [st, run] = useSubmit();
    return html`<form class="card" aria-labelledby="debrief-h" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const r = await run(
            () =>
                api.post(`/tasks/${task.id}/debrief`, {
                    notes,
                    outcome,
                    ...(outcome === 'disputed' ? { reason } : {}),
                }),
            'Recorded',
        );
        if (r) navigate('/');
    }}>
        <h2 id="debrief-h">What the debrief found</h2>
        <${TextArea} label="Notes" name="notes" value=${notes} onInput=${setNotes}
            rows="4" maxlength="4000" required
            hint="What the deal looked like before it closed, and what Sales will do differently." />
        <fieldset class="causes">
            <legend>The tag (${churn.primary_cause ? label(churn.primary_cause_label || churn.primary_cause) : 'untagged'})</legend>
            <label class="check"><input type="radio" name="outcome" value="accepted"
                checked=${outcome === 'accepted'} onChange=${() => setOutcome('accepted')} />
                The tag is right</label>
            <label class="check"><input type="radio" name="outcome" value="disputed"
                checked=${outcome === 'disputed'} onChange=${() => setOutcome('disputed')} />
                I dispute the tag</label>
        </fieldset>
        ${
            outcome === 'disputed' &&
            html`<${TextArea} label="Why the tag is wrong"
            name="reason" value=${reason} onInput=${setReason} rows="3" maxlength="4000"
            required hint="Which cause it should be and why; the CSM hears it." />`
        }
        <div class="actions"><button class="primary" type="submit" disabled=${st.busy}>Record the debrief</button></div>
        <${SubmitStatus} st=${st} />
    </form>`;
}

export function DebriefForm({ params }) {
    const id = params[0];
    const st = useLoad(async () => {
        const task = await api.get(`/tasks/${encodeURIComponent(id)}`);
        const churn = await api.get(
            `/churns/${encodeURIComponent(task.subject_id)}`,
        );
        return { task, churn };
    }, [id]);
    return html`<${Loaded} state=${st}>${({
        task,
        churn,
    }) => html`<div class="page">
        <h1>Debrief of the churn of <${AccountName} id=${churn.account_id} /></h1>
        <dl class="facts card">
            <div><dt>Primary cause</dt><dd>${churn.primary_cause ? label(churn.primary_cause) : '—'}</dd></div>
            <div><dt>Customer's words</dt><dd>${churn.stated_reason || '—'}</dd></div>
            <div><dt>CS diagnosis</dt><dd>${churn.diagnosis || '—'}</dd></div>
            <div><dt>Pre-sale behaviour</dt><dd>${churn.predictive_behavior || '—'}</dd></div>
        </dl>
        ${
            task.status === 'open'
                ? html`<${Form} task=${task} churn=${churn} />`
                : html`<p class="meta">This debrief was recorded.</p>`
        }
    </div>`}<//>`;
}
