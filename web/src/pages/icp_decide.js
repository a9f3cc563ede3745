// icp_decide.js - the ICP review's decision, on the ICP report's page, for
// the roles that own it (Marketing, and RevOps): adopt a new version (from
// the report's suggested change, or written by hand) with its owner and
// rationale, or record that the review keeps the definition.  Versions are
// immutable: both answers add to the history, neither edits it.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    TextArea,
    TextInput,
    Select,
    useSubmit,
    SubmitStatus,
    day,
} from '../ui.js';

const OWNERS = ['marketing', 'revops'];

export function IcpDecision({ d, me }) {
    return me && OWNERS.includes(me.role)
        ? html`<${Decide} d=${d} me=${me} />`
        : null;
}

function Decide({ d, me }) {
    const people = useLoad(
        () =>
            api
                .get('/users', { limit: 1000 })
                .then((r) =>
                    r.items.filter(
                        (u) => OWNERS.includes(u.role) && u.active !== false,
                    ),
                )
                .catch(() => [me]),
        [],
    );
    const current = d.icp_version;
    const sugg =
        d.suggested_change && d.suggested_change.new_criteria
            ? d.suggested_change
            : null;
    const [mode, setMode] = useState(null);
    const [criteria, setCriteria] = useState('');
    const [rationale, setRationale] = useState('');
    const [effective, setEffective] = useState(
        me.today || new Date().toISOString().slice(0, 10),
    );
    const [owner, setOwner] = useState(me.id);
    const [sub, run] = useSubmit();
    const [done, setDone] = useState(null);
    const open = (m) => {
        setMode(m);
        setDone(null);
        if (m === 'propose' && sugg) {
            setCriteria(sugg.new_criteria);
            setRationale(sugg.rationale);
        } else if (m === 'write') {
            setCriteria(current ? current.criteria : '');
            setRationale('');
        } else {
            setRationale('');
        }
    };
    const owners = people.data || [me];
    const submit = async (ev) => {
        ev.preventDefault();
        if (mode === 'keep') {
            const r = await run(
                () =>
                    api.post('/icp/no-change', { rationale, owner_id: owner }),
                'Recorded: the ICP stays as it is',
            );
            if (r) {
                setDone(`Kept version ${r.version} on ${day(r.decided_on)}.`);
                setMode(null);
            }
            return;
        }
        const list = await api
            .get('/icp', { limit: 1000 })
            .catch(() => ({ items: [] }));
        const next = list.items.reduce((m, v) => Math.max(m, v.version), 0) + 1;
        const r = await run(
            () =>
                api.post('/icp', {
                    version: next,
                    effective_on: effective,
                    criteria,
                    owner_id: owner,
                    rationale,
                }),
            `Version ${next} adopted`,
        );
        if (r) {
            setDone(
                `Version ${r.version} is the ICP from ${day(r.effective_on)}: ${r.criteria_words || r.criteria}`,
            );
            setMode(null);
        }
    };
    return html`<section class="card" data-testid="icp-decision"><h2>The review's decision</h2>
        <p class="meta">Versions never change: adopting one adds it to the history; keeping the definition is recorded too, and clears the stale-ICP check.</p>
        ${done && html`<p class="form-done" data-testid="icp-decided">${done}</p>`}
        <div class="actions">
            ${sugg && html`<button type="button" onClick=${() => open('propose')}>Propose a version from the suggested change</button>`}
            <button type="button" onClick=${() => open('write')}>Write a new version</button>
            <button type="button" onClick=${() => open('keep')}>Keep the definition</button>
        </div>
        ${
            mode &&
            html`<form onSubmit=${submit} aria-label=${mode === 'keep' ? 'Keep the ICP' : 'A new ICP version'}>
            ${
                mode !== 'keep' &&
                html`
                <${TextArea} label="Criteria" name="criteria" value=${criteria} onInput=${setCriteria} required
                    hint="e.g. employees >= 50 and has_ops_function = true" />
                <${TextInput} label="Effective from" name="effective_on" type="date" value=${effective}
                    onInput=${setEffective} required />`
            }
            <${Select} label="Owner" name="owner_id" value=${owner} onChange=${setOwner}
                options=${owners.map((u) => ({ value: u.id, label: u.name || u.id }))} />
            <${TextArea} label=${mode === 'keep' ? 'Why the definition stays' : 'Why this version'} name="rationale"
                value=${rationale} onInput=${setRationale} required />
            <${SubmitStatus} st=${sub} />
            <div class="actions">
                <button type="submit" class="primary" disabled=${sub.busy || !rationale.trim() || (mode !== 'keep' && !criteria.trim())}>
                    ${mode === 'keep' ? 'Record: keep the ICP' : 'Adopt this version'}</button>
                <button type="button" onClick=${() => setMode(null)}>Cancel</button>
            </div>
        </form>`
        }
    </section>`;
}
