// login.js - the sign-in page.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, TextInput } from '../ui.js';

export function Login({ onSignedIn }) {
    const [email, setEmail] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const submit = async (ev) => {
        ev.preventDefault();
        setBusy(true);
        setError(null);
        try {
            const r = await api.post('/auth/login', { email, password });
            onSignedIn({ ...r.user, csrf_token: r.csrf_token }, r.csrf_token);
        } catch (e) {
            setError(
                e.status === 429
                    ? 'Too many failed sign-ins; wait a minute and try again.'
                    : e.message,
            );
        } finally {
            setBusy(false);
        }
    };
    return html`<main id="main" class="login">
        <form class="card login-card" onSubmit=${submit} aria-labelledby="login-title">
            <h1 id="login-title">Sign in to closeloop</h1>
            <${TextInput} label="Email" name="email" type="email" value=${email}
                onInput=${setEmail} autocomplete="username" required />
            <${TextInput} label="Password" name="password" type="password"
                value=${password} onInput=${setPassword}
                autocomplete="current-password" required />
            ${error && html`<p class="form-error" role="alert">${error}</p>`}
            <button type="submit" class="primary" disabled=${busy}>Sign in</button>
        </form>
    </main>`;
}
