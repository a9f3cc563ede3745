// me.js - "Your account": change your own password, and your API tokens
// (a user admin sees and manages everyone's).  A new token's secret is shown
// once, right after it is made; the server keeps only its hash.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
    html,
    useLoad,
    Loaded,
    Field,
    useId,
    useSubmit,
    SubmitStatus,
    day,
    TableWrap,
} from '../ui.js';

const USER_ADMINS = ['revops', 'admin'];

// A password input with its label and its own inline error.
function PasswordInput({ label, name, value, onInput, error, autocomplete }) {
    const id = useId(name);
    return html`<${Field} label=${label} id=${id} error=${error}>
        <input id=${id} name=${name} type="password" required value=${value}
            autocomplete=${autocomplete} aria-invalid=${error ? 'true' : undefined}
            onInput=${(e) => onInput(e.currentTarget.value)} /><//>`;
}

function ChangePassword() {
    const [cur, setCur] = useState('');
    const [pw, setPw] = useState('');
    const [again, setAgain] = useState('');
    const [sub, run] = useSubmit();
    const [mismatch, setMismatch] = useState(null);
    const fieldError = (f) =>
        sub.error && sub.error.field === f ? sub.error.message : null;
    const general =
        sub.error &&
        !['current_password', 'new_password'].includes(sub.error.field);
    return html`<form class="card" aria-labelledby="pw-title" onSubmit=${async (
        e,
    ) => {
        e.preventDefault();
        if (pw !== again) {
            setMismatch('The two new passwords differ.');
            return;
        }
        setMismatch(null);
        const r = await run(
            () =>
                api.post('/me/password', {
                    current_password: cur,
                    new_password: pw,
                }),
            'Password changed; your other sessions are signed out.',
        );
        if (r !== undefined) {
            setCur('');
            setPw('');
            setAgain('');
        }
    }}>
        <h2 id="pw-title">Change your password</h2>
        <${PasswordInput} label="Current password" name="current_password" value=${cur} onInput=${setCur}
            error=${fieldError('current_password')} autocomplete="current-password" />
        <${PasswordInput} label="New password (at least 10 characters)" name="new_password" value=${pw}
            onInput=${setPw} error=${fieldError('new_password')} autocomplete="new-password" />
        <${PasswordInput} label="New password again" name="new_password_again" value=${again}
            onInput=${setAgain} error=${mismatch} autocomplete="new-password" />
        <button type="submit" disabled=${sub.busy}>Change the password</button>
        <${SubmitStatus} st=${general ? sub : { ...sub, error: null }} />
    </form>`;
}

function NewToken({ admin, me, onMade }) {
    const [user, setUser] = useState('');
    const [made, setMade] = useState(null);
    const [copied, setCopied] = useState(false);
    const [sub, run] = useSubmit();
    const id = useId('tok-user');
    return html`<div>
        <form class="inline-form" onSubmit=${async (e) => {
            e.preventDefault();
            setCopied(false);
            const body = admin && user ? { user_id: user } : {};
            const r = await run(
                () => api.post('/tokens', body),
                'Token created',
            );
            if (r) {
                setMade(r);
                onMade();
            }
        }}>
            ${
                admin &&
                html`<${Field} label="For user id (empty: you)" id=${id}>
                <input id=${id} name="user_id" value=${user} placeholder=${me.id}
                    onInput=${(e) => setUser(e.currentTarget.value)} /><//>`
            }
            <button type="submit" disabled=${sub.busy}>Create a token</button>
        </form>
        <${SubmitStatus} st=${sub} />
        ${
            made &&
            html`<div class="card token-secret" role="status" data-testid="new-token">
            <p>Token <code>${made.id}</code> for ${made.user_id}. Copy it now: it is shown only once.
               Send it as <code>Authorization: Bearer …</code>.</p>
            <label for="new-token-value">New token</label>
            <input id="new-token-value" readonly value=${made.token} class="mono"
                onFocus=${(e) => e.currentTarget.select()} />
            <button type="button" onClick=${async () => {
                try {
                    await navigator.clipboard.writeText(made.token);
                    setCopied(true);
                } catch {
                    document.getElementById('new-token-value').select();
                }
            }}>Copy the token</button>
            ${copied && html`<span class="form-done">Copied</span>`}
            <button type="button" class="link" onClick=${() => setMade(null)}>Hide it</button>
        </div>`
        }
    </div>`;
}

function RevokeButton({ t, onDone }) {
    const [sub, run] = useSubmit();
    return html`<button class="small" disabled=${sub.busy} aria-label=${'Revoke token ' + t.id}
        onClick=${async () => {
            if (
                !confirm(
                    `Revoke token ${t.id}? Whatever uses it stops working at once.`,
                )
            )
                return;
            if (await run(() => api.post(`/tokens/${t.id}/revoke`))) onDone();
        }}>Revoke</button><${SubmitStatus} st=${sub} />`;
}

function Tokens({ me }) {
    const admin = USER_ADMINS.includes(me.role);
    const st = useLoad(() => api.get('/tokens', { limit: 1000 }), []);
    return html`<section class="card" aria-labelledby="tok-title">
        <h2 id="tok-title">API tokens</h2>
        <p class="meta">A token acts as its user for integrations.${admin ? " You see every user's tokens." : ''}</p>
        <${NewToken} admin=${admin} me=${me} onMade=${st.reload} />
        <${Loaded} state=${st}>${(
            d,
        ) => html`<${TableWrap} name="api-tokens"><table class="data" data-testid="tokens">
            <caption>${d.total} tokens</caption>
            <thead><tr><th scope="col">Id</th><th scope="col">User</th><th scope="col">Created</th>
                <th scope="col">Status</th><th scope="col">Revoke</th></tr></thead>
            <tbody>${d.items.map(
                (
                    t,
                ) => html`<tr key=${t.id}><td><code>${t.id}</code></td><td>${t.user_id}</td>
                <td>${day(t.created_at)}</td><td>${t.revoked_at ? 'revoked ' + day(t.revoked_at) : 'live'}</td>
                <td>${t.revoked_at ? '—' : html`<${RevokeButton} t=${t} onDone=${st.reload} />`}</td></tr>`,
            )}</tbody>
        </table><//>`}<//>
    </section>`;
}

export function Me({ me }) {
    return html`<div class="page me"><h1>Your account</h1>
        <p class="meta">${me.name} · ${me.email}</p>
        <p><a href="/me/notifications">My notifications</a>: e-mail, chat or a daily digest</p>
        <${ChangePassword} />
        <${Tokens} me=${me} />
    </div>`;
}
