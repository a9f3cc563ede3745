// sessions_plan.js - what opens next, and (RevOps) opening a session now
// for a chosen finished period or scheduling one for a day (issue 16).
// The server's today decides the periods and days offered.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    day,
    label,
    Select,
    TextInput,
    useSubmit,
    SubmitStatus,
    navigate,
} from '../ui.js';

const KINDS = [
    'monthly_debrief',
    'bad_fit_review',
    'icp_review',
    'recovery_review',
];

const pad = (n) => String(n).padStart(2, '0');

// Months (YYYY-MM) or quarters (YYYYQn) from `from` periods before the one
// holding today to `to` after it, newest first.
function periods(kind, today, from, to) {
    const y = Number(today.slice(0, 4));
    const m = Number(today.slice(5, 7));
    const out = [];
    for (let k = to; k >= -from; k--) {
        if (kind === 'monthly_debrief') {
            const i = y * 12 + (m - 1) + k;
            out.push(`${Math.floor(i / 12)}-${pad((i % 12) + 1)}`);
        } else {
            const i = y * 4 + Math.floor((m - 1) / 3) + k;
            out.push(`${Math.floor(i / 4)}Q${(i % 4) + 1}`);
        }
    }
    return out;
}

const addDays = (iso, n) => {
    const d = new Date(iso + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
};

const kindOptions = KINDS.map((k) => ({ value: k, label: label(k) }));

function OpenNow({ today, reload }) {
    const [kind, setKind] = useState('bad_fit_review');
    const [period, setPeriod] = useState('');
    const [sub, run] = useSubmit();
    // Finished periods only: the last twelve months or eight quarters.
    const list = periods(kind, today, kind === 'monthly_debrief' ? 12 : 8, -1);
    return html`<form class="card" aria-labelledby="open-now-h" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const s = await run(
            () => api.post('/sessions', { kind, period: period || list[0] }),
            'Opened',
        );
        if (s) navigate(`/sessions/${s.id}`);
    }}>
        <h2 id="open-now-h">Open a session now</h2>
        <p class="meta">For a finished period, with its pack as the cadence builds it. A session that is already open is shown, not opened twice.</p>
        <${Select} label="Session" name="open_kind" value=${kind} onChange=${(
            v,
        ) => {
            setKind(v);
            setPeriod('');
        }} options=${kindOptions} />
        <${Select} label="Period" name="open_period" value=${period || list[0]} onChange=${setPeriod}
            options=${list.map((p) => ({ value: p, label: p }))} />
        <button type="submit" disabled=${sub.busy}>Open the session</button>
        <${SubmitStatus} st=${sub} />
    </form>`;
}

function Schedule({ today, reload }) {
    const [kind, setKind] = useState('monthly_debrief');
    const [period, setPeriod] = useState('');
    const [on, setOn] = useState('');
    const [sub, run] = useSubmit();
    const max = addDays(today, 365);
    // The current period and those before it (the day must come after
    // the period ends; the server says so if it does not).
    const list = periods(kind, today, kind === 'monthly_debrief' ? 12 : 8, 0);
    return html`<form class="card" aria-labelledby="schedule-h" noValidate onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        if (
            await run(
                () =>
                    api.post('/sessions/schedule', {
                        kind,
                        period: period || list[0],
                        open_on: on,
                    }),
                'Scheduled',
            )
        ) {
            setOn('');
            reload();
        }
    }}>
        <h2 id="schedule-h">Schedule a session</h2>
        <p class="meta">It opens on the day you choose instead of the cadence's day: from today to a year ahead, after its period ends.</p>
        <${Select} label="Session" name="schedule_kind" value=${kind} onChange=${(
            v,
        ) => {
            setKind(v);
            setPeriod('');
        }} options=${kindOptions} />
        <${Select} label="Period" name="schedule_period" value=${period || list[0]} onChange=${setPeriod}
            options=${list.map((p) => ({ value: p, label: p }))} />
        <${TextInput} label="Opens on" name="open_on" type="date" value=${on} onInput=${setOn}
            min=${today} max=${max} required hint=${`From ${day(today)} to ${day(max)}`} />
        <button type="submit" disabled=${!on || sub.busy}>Schedule</button>
        <${SubmitStatus} st=${sub} />
    </form>`;
}

export function SessionPlan({ me }) {
    const st = useLoad(() => api.get('/sessions/next'), []);
    const runs = me && me.role === 'revops';
    return html`<${Loaded} state=${st}>${(
        d,
    ) => html`<section aria-labelledby="next-h" class="card">
            <h2 id="next-h">Coming next</h2>
            ${
                d.items.length === 0
                    ? html`<p class="empty">Nothing scheduled.</p>`
                    : html`<ul class="next-sessions">${d.items.map(
                          (n) =>
                              html`<li>${label(n.kind)} ${n.period}: opens ${day(n.open_on)} <span class="meta">(${n.scheduled ? 'scheduled' : 'by the cadence'})</span></li>`,
                      )}</ul>`
            }
        </section>
        ${
            runs &&
            html`<${OpenNow} today=${d.today} reload=${st.reload} />
        <${Schedule} today=${d.today} reload=${st.reload} />`
        }`}<//>`;
}
