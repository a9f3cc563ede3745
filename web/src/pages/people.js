// people.js - the administrator's People page (invite, edit, reset a
// password, deactivate) and the page a one-time link opens (choose a
// password, signed in).  People are picked by name; no internal id is
// shown or typed anywhere.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    TextInput,
    Select,
    useSubmit,
    SubmitStatus,
    Badge,
    when,
    TableWrap,
} from '../ui.js';

const STATUS = {
    active: ['ok', 'Active'],
    invited: ['info', 'Invited'],
    deactivated: ['muted', 'Deactivated'],
};

// "2026-11-21T10:00:00Z" as people read it.
const at = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '');

// Managers to pick from: active people (invited ones too: they will sign
// in), by name with their role, never the person themself.
function managerOptions(items, self) {
    return items
        .filter((p) => p.status !== 'deactivated' && p.id !== self)
        .map((p) => ({ value: p.id, label: `${p.name} (${p.role_label})` }));
}

function PersonFields({ v, set, d, self }) {
    return html`<div class="inline-form">
        <${TextInput} label="Name" name="name" value=${v.name} onInput=${set('name')} required maxlength="200" />
        <${TextInput} label="E-mail" name="email" type="email" value=${v.email} onInput=${set('email')} required
            hint="Their sign-in" maxlength="254" />
        <${Select} label="Role" name="role" value=${v.role} onChange=${set('role')}
            options=${d.roles.map((r) => ({ value: r.code, label: r.label }))} />
        <${Select} label="Manager" name="manager" value=${v.manager_id} onChange=${set('manager_id')}
            placeholder="No manager" options=${managerOptions(d.items, self)} />
        <${TextInput} label="Team" name="team" value=${v.team} onInput=${set('team')} maxlength="200" />
    </div>`;
}

const blankToNull = (o) =>
    Object.fromEntries(
        Object.entries(o).map(([k, x]) => [k, x === '' ? null : x]),
    );

// What a link was sent, and the link itself for when e-mail does not
// reach the person (no SMTP set up yet).
function LinkSent({ sent }) {
    if (!sent) return null;
    return html`<div class="card inner" role="status" data-testid="link-sent">
        <p>${sent.what} e-mailed to ${sent.email}. The link works once, until ${at(sent.until)}.</p>
        <details><summary>Show the link (to hand over another way)</summary>
            <input class="wide" readonly aria-label="The one-time link" value=${sent.url} /></details>
    </div>`;
}

function InviteForm({ d, onDone }) {
    const empty = {
        name: '',
        email: '',
        role: 'csm',
        manager_id: '',
        team: '',
    };
    const [v, setV] = useState(empty);
    const [sub, run] = useSubmit();
    const set = (k) => (x) => setV({ ...v, [k]: x });
    return html`<form class="card" aria-labelledby="invite-h" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        const r = await run(
            () => api.post('/people', blankToNull(v)),
            'Invited',
        );
        if (r) {
            setV(empty);
            onDone({
                what: `An invitation to ${r.name} was`,
                email: r.email,
                until: r.link_expires_at,
                url: r.link_url,
            });
        }
    }}>
        <h2 id="invite-h">Invite a person</h2>
        <p class="meta">They get an e-mail with a link to choose their password; it works once, for the hours set in
            the invitation setting (72 unless changed).</p>
        <${PersonFields} v=${v} set=${set} d=${d} self=${null} />
        <button type="submit" class="primary" disabled=${sub.busy}>Send the invitation</button>
        <${SubmitStatus} st=${sub} />
    </form>`;
}

function EditForm({ p, d, onDone, onCancel }) {
    const [v, setV] = useState({
        name: p.name,
        email: p.email,
        role: p.role,
        manager_id: p.manager_id || '',
        team: p.team || '',
    });
    const [sub, run] = useSubmit();
    const set = (k) => (x) => setV({ ...v, [k]: x });
    return html`<form class="card" aria-labelledby="edit-h" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        // The record's ETag goes back as If-Match: an edit made meanwhile
        // by someone else is refused rather than overwritten.
        const ok = await run(async () => {
            const cur = await api.getTagged(
                `/users/${encodeURIComponent(p.id)}`,
            );
            return api.patch(
                `/users/${encodeURIComponent(p.id)}`,
                blankToNull(v),
                cur.etag,
            );
        }, 'Saved');
        if (ok) onDone();
    }}>
        <h2 id="edit-h">Edit ${p.name}</h2>
        <${PersonFields} v=${v} set=${set} d=${d} self=${p.id} />
        <button type="submit" class="primary" disabled=${sub.busy}>Save ${p.name}</button>
        <button type="button" class="link" onClick=${onCancel}>Cancel</button>
        <${SubmitStatus} st=${sub} />
    </form>`;
}

function Actions({ p, me, onEdit, onChanged, onSent }) {
    const [sub, run] = useSubmit();
    const id = encodeURIComponent(p.id);
    const send = async (kind) => {
        const r = await run(
            () => api.post(`/people/${id}/${kind}`),
            kind === 'reset' ? 'Reset link sent' : 'Invitation sent',
        );
        if (r) {
            onSent({
                what:
                    kind === 'reset'
                        ? `A password-reset link for ${p.name} was`
                        : `A new invitation to ${p.name} was`,
                email: r.email,
                until: r.link_expires_at,
                url: r.link_url,
            });
            onChanged();
        }
    };
    const active = async (on) => {
        if (
            !on &&
            !confirm(
                `Deactivate ${p.name}? They are signed out everywhere at once, their API tokens stop working, ` +
                    'and they cannot sign in. Everything they recorded stays.',
            )
        )
            return;
        if (
            await run(
                () =>
                    api.post(`/people/${id}/${on ? 'activate' : 'deactivate'}`),
                on ? 'Reactivated' : 'Deactivated',
            )
        )
            onChanged();
    };
    return html`<div class="row-actions">
        <button class="small" onClick=${onEdit} aria-label=${`Edit ${p.name}`}>Edit</button>
        ${
            p.status === 'invited' &&
            html`<button class="small" disabled=${sub.busy} onClick=${() => send('invite')}
            aria-label=${`Resend invitation to ${p.name}`}>Resend invitation</button>`
        }
        ${
            p.status === 'active' &&
            !p.has_password &&
            html`<button class="small" disabled=${sub.busy}
            onClick=${() => send('invite')} aria-label=${`Invite ${p.name} to choose a password`}>Invite</button>`
        }
        ${
            p.status === 'active' &&
            p.has_password &&
            html`<button class="small" disabled=${sub.busy} onClick=${() => send('reset')}
            aria-label=${`Reset password of ${p.name}`}>Reset password</button>`
        }
        ${
            p.id === me.id
                ? null
                : p.status === 'deactivated'
                  ? html`<button class="small" disabled=${sub.busy} onClick=${() => active(true)}
                aria-label=${`Reactivate ${p.name}`}>Reactivate</button>`
                  : html`<button class="small danger" disabled=${sub.busy} onClick=${() => active(false)}
                aria-label=${`Deactivate ${p.name}`}>Deactivate</button>`
        }
        <a class="button small" href=${`/people/${encodeURIComponent(p.id)}/notifications`}
            aria-label=${`Notifications of ${p.name}`}>Notifications</a>
        ${sub.error && html`<p class="form-error" role="alert">${sub.error.message}</p>`}
    </div>`;
}

function StatusCell({ p }) {
    const [kind, text] = STATUS[p.status] || STATUS.active;
    return html`<${Badge} kind=${kind}>${text}<//>
        ${p.status === 'invited' && p.link_expires_at && html`<div class="meta">link until ${at(p.link_expires_at)}</div>`}
        ${p.status === 'active' && !p.has_password && html`<div class="meta">no password yet</div>`}
        ${p.status === 'deactivated' && html`<div class="meta">since ${when(p.deactivated_at)}</div>`}`;
}

export function People({ me }) {
    const st = useLoad(() => api.get('/people'), []);
    const [editing, setEditing] = useState(null);
    const [sent, setSent] = useState(null);
    return html`<div class="page people"><h1>People</h1>
        <${Loaded} state=${st}>${(d) => html`
            <${LinkSent} sent=${sent} />
            ${
                editing && d.items.find((p) => p.id === editing)
                    ? html`<${EditForm} key=${editing} p=${d.items.find((p) => p.id === editing)} d=${d}
                    onDone=${() => {
                        setEditing(null);
                        st.reload();
                    }} onCancel=${() => setEditing(null)} />`
                    : html`<${InviteForm} d=${d} onDone=${(s) => {
                          setSent(s);
                          st.reload();
                      }} />`
            }
            <div class="card"><${TableWrap} name="people"><table class="data people-table">
                <caption>${d.total} people (${d.items.filter((p) => p.status === 'active').length} active)</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th>
                    <th scope="col">Manager</th><th scope="col">Team</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
                <tbody>${d.items.map(
                    (p) => html`<tr key=${p.id} data-person=${p.name}>
                    <th scope="row">${p.name}</th><td class="wrap" data-label="E-mail">${p.email}</td>
                    <td data-label="Role">${p.role_label}</td><td data-label="Manager">${p.manager_name || '—'}</td>
                    <td data-label="Team">${p.team || '—'}</td><td data-label="Status"><${StatusCell} p=${p} /></td>
                    <td><${Actions} p=${p} me=${me} onEdit=${() => {
                        setEditing(p.id);
                        window.scrollTo(0, 0);
                    }}
                        onChanged=${st.reload} onSent=${setSent} /></td></tr>`,
                )}</tbody>
            </table><//></div>`}<//>
    </div>`;
}

// ---- the one-time link's page (no sign-in needed) --------------------------

const LINK_TROUBLE = {
    link_used: 'This link was used already',
    link_expired: 'This link has expired',
    link_unknown: 'This link is not valid',
};

export function AcceptLink({ onSignedIn }) {
    // The secret is the URL's fragment: never sent to the server with the
    // page, and taken out of the address bar and history at once.
    const [token] = useState(() =>
        decodeURIComponent(location.hash.replace(/^#/, '')),
    );
    useEffect(() => {
        if (location.hash) history.replaceState(null, '', location.pathname);
    }, []);
    const st = useLoad(
        () =>
            token
                ? api.post('/auth/link', { token })
                : Promise.reject(
                      Object.assign(
                          new Error(
                              'The link is incomplete: open it again from the e-mail.',
                          ),
                          { code: 'link_unknown' },
                      ),
                  ),
        [],
    );
    const [pw, setPw] = useState('');
    const [pw2, setPw2] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    if (st.loading)
        return html`<main id="main" class="login"><p>Checking the link…</p></main>`;
    if (st.error)
        return html`<main id="main" class="login"><section class="card login-card" role="alert" data-testid="link-trouble">
            <h1>${LINK_TROUBLE[st.error.code] || 'This link does not work'}</h1>
            <p>${st.error.message}</p><p><a href="/">Go to the sign-in page</a></p></section></main>`;
    const d = st.data;
    const submit = async (ev) => {
        ev.preventDefault();
        if (pw !== pw2) {
            setError('The two passwords differ.');
            return;
        }
        setBusy(true);
        setError(null);
        try {
            const r = await api.post('/auth/link/accept', {
                token,
                new_password: pw,
            });
            onSignedIn({ ...r.user, csrf_token: r.csrf_token }, r.csrf_token);
        } catch (e) {
            setError(e.message);
        } finally {
            setBusy(false);
        }
    };
    return html`<main id="main" class="login">
        <form class="card login-card" onSubmit=${submit} aria-labelledby="link-title">
            <h1 id="link-title">${d.kind === 'reset' ? 'Choose a new password' : `Welcome to closeloop, ${d.name}`}</h1>
            <p>${d.kind === 'reset' ? `For ${d.email}.` : `You sign in as ${d.email} (${d.role_label}).`}
                This link works once, until ${at(d.expires_at)}.</p>
            <input type="email" name="username" autocomplete="username" value=${d.email} hidden readonly />
            <${TextInput} label="New password" name="new_password" type="password" value=${pw} onInput=${setPw}
                autocomplete="new-password" hint="At least 10 characters" required minlength="10" />
            <${TextInput} label="The same password again" name="confirm_password" type="password" value=${pw2}
                onInput=${setPw2} autocomplete="new-password" required minlength="10" />
            ${error && html`<p class="form-error" role="alert">${error}</p>`}
            <button type="submit" class="primary" disabled=${busy}>Set the password and sign in</button>
        </form>
    </main>`;
}
