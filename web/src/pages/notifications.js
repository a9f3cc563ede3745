// notifications.js - "My notifications" (issues 15 and 16): how a person
// gets what closeloop tells them: an e-mail at once, a chat message at once
// (their own Slack or Teams incoming webhook), or one e-mail a day.  The
// administrator opens the same form for anyone from People.  The webhook
// is write-only: the page says whether one is set, never what it is.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    TextInput,
    Select,
    useSubmit,
    SubmitStatus,
    fieldError,
} from '../ui.js';

const hour = (h) => `${String(h).padStart(2, '0')}:00 UTC`;

function modes(d) {
    return [
        ['email', 'E-mail', 'One e-mail for each notification, as it happens.'],
        [
            'chat',
            'Chat',
            'A direct message in Slack or Microsoft Teams, as it happens.',
        ],
        [
            'digest',
            'Daily digest',
            `One e-mail a day, from ${hour(d.digest_hour)}, with everything since the last one.`,
        ],
    ];
}

function NotifyForm({ d, path, whose, onSaved }) {
    const [mode, setMode] = useState(d.mode);
    const [format, setFormat] = useState(d.chat_format || 'slack');
    const [url, setUrl] = useState('');
    const [remove, setRemove] = useState(false);
    const [sub, run] = useSubmit();
    const general =
        sub.error &&
        !['mode', 'chat_url', 'chat_format'].includes(sub.error.field);
    return html`<form class="card" aria-labelledby="nt-title" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const body = { mode };
        if (remove) body.chat_url = '';
        else if (url) body.chat_url = url;
        if ((url && !remove) || (d.chat_url_set && mode === 'chat'))
            body.chat_format = format;
        const r = await run(() => api.put(path, body), 'Saved');
        if (r !== undefined) {
            setUrl('');
            setRemove(false);
            onSaved();
        }
    }}>
        <h2 id="nt-title">How ${whose} notifications come</h2>
        <fieldset class="causes stack" aria-describedby="nt-inbox">
            <legend>Send ${whose} notifications by</legend>
            ${modes(d).map(
                ([v, l, hint]) => html`<label class="check" key=${v}>
                <input type="radio" name="mode" value=${v} checked=${mode === v}
                    onChange=${() => setMode(v)} />
                <span><strong>${l}</strong>: ${hint}</span></label>`,
            )}
            ${
                fieldError(sub, 'mode') &&
                html`<p class="field-error" role="alert">${fieldError(sub, 'mode')}</p>`
            }
        </fieldset>
        <p class="meta" id="nt-inbox">The inbox in closeloop shows every notification, whichever you choose.</p>
        <fieldset class="causes stack">
            <legend>Chat webhook</legend>
            <p class="meta" data-testid="chat-state">${
                d.chat_url_set
                    ? `A ${d.chat_format === 'teams' ? 'Microsoft Teams' : 'Slack'} webhook is set.`
                    : 'No chat webhook is set.'
            }</p>
            <${Select} label="Chat service" name="chat_format" value=${format}
                onChange=${setFormat} error=${fieldError(sub, 'chat_format')}
                options=${[
                    { value: 'slack', label: 'Slack' },
                    { value: 'teams', label: 'Microsoft Teams' },
                ]} />
            <${TextInput} label=${d.chat_url_set ? 'New incoming webhook URL (empty: keep the one set)' : 'Incoming webhook URL'}
                name="chat_url" type="password" autocomplete="off" value=${url}
                onInput=${setUrl} maxlength="1000" error=${fieldError(sub, 'chat_url')}
                hint="The URL Slack or Teams gives when you add an incoming webhook for yourself: https://…, at most 1,000 characters. It is kept secret and never shown again." />
            ${
                d.chat_url_set &&
                html`<label class="check"><input type="checkbox" name="remove_chat"
                    checked=${remove} onChange=${(e) => setRemove(e.currentTarget.checked)} />
                Remove the webhook</label>`
            }
        </fieldset>
        <button type="submit" disabled=${sub.busy}>Save</button>
        <${SubmitStatus} st=${general ? sub : { ...sub, error: null }} />
    </form>`;
}

// The page: /me/notifications for oneself; /people/ID/notifications for
// the administrator.
export function Notifications({ params, me }) {
    const id = params && params[0];
    const path = id
        ? `/people/${encodeURIComponent(id)}/notifications`
        : '/me/notifications';
    const st = useLoad(
        () =>
            Promise.all([
                api.get(path),
                id
                    ? api
                          .get('/people')
                          .then((p) => p.items.find((x) => x.id === id))
                          .catch(() => null)
                    : null,
            ]),
        [path],
    );
    return html`<div class="page notifications"><${Loaded} state=${st}>${([
        d,
        who,
    ]) => html`
        <h1>${id ? `Notifications of ${who ? who.name : 'this person'}` : 'My notifications'}</h1>
        ${id && html`<p><a href="/people">Back to People</a></p>`}
        <${NotifyForm} d=${d} path=${path} whose=${id ? 'their' : 'your'}
            onSaved=${st.reload} />
        ${!id && html`<p><a href="/me">Your account</a></p>`}`}<//></div>`;
}
