// settings_calendar.js - the workspace's time zone and working week, on the
// Holidays tab of the settings (issue 15, docs/settings.md "Calendar"):
// the day the loop calls today and the days its deadlines count.
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

const WEEKS = [
    { value: 'mon-fri', label: 'Monday to Friday' },
    { value: 'sun-thu', label: 'Sunday to Thursday' },
    { value: 'mon-sat', label: 'Monday to Saturday' },
    { value: 'mon-thu', label: 'Monday to Thursday' },
];
const FIELDS = ['timezone', 'business_days'];

function CalendarForm({ cfg, etag, onSaved }) {
    const [v, setV] = useState({
        timezone: cfg.timezone ?? '',
        business_days: cfg.business_days ?? 'mon-fri',
    });
    const [sub, run] = useSubmit();
    // A week set from the command line keeps its own words.
    const weeks = WEEKS.some((w) => w.value === v.business_days)
        ? WEEKS
        : [...WEEKS, { value: v.business_days, label: v.business_days }];
    return html`<form class="card" aria-label="Time zone and working week" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const body = {};
        for (const k of FIELDS)
            if ((cfg[k] ?? '') !== v[k])
                body[k] = k === 'timezone' && v[k] === '' ? 'UTC' : v[k];
        if (await run(() => api.patch('/settings/config', body, etag), 'Saved'))
            onSaved();
    }}>
        <h2>Time zone and working week</h2>
        <${TextInput} label="Time zone" name="timezone" value=${v.timezone} placeholder="UTC"
            hint="An IANA name such as Europe/Berlin or America/New_York. The loop's day and the daily run's hour are this zone's; empty is UTC."
            error=${fieldError(sub, 'timezone')}
            onInput=${(x) => setV({ ...v, timezone: x })} />
        <${Select} label="Working days" name="business_days" value=${v.business_days}
            hint="Deadlines in business days (the won-deal review, the debrief) count these days, less the holidays below."
            error=${fieldError(sub, 'business_days')}
            onChange=${(x) => setV({ ...v, business_days: x })} options=${weeks} />
        <button type="submit" disabled=${sub.busy}>Save the calendar</button>
        <div class="submit-status" aria-live="polite">
            ${sub.error && !FIELDS.includes(sub.error.field) && html`<p class="form-error" role="alert">${sub.error.message}</p>`}
            ${sub.done && html`<p class="form-done">${sub.done}</p>`}
        </div></form>`;
}

export function Calendar() {
    const st = useLoad(() => api.getTagged('/settings/config'), []);
    return html`<${Loaded} state=${st}>${(d) => html`<${CalendarForm}
        cfg=${d.doc} etag=${d.etag} onSaved=${st.reload} />`}<//>`;
}
