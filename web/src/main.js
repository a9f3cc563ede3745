// main.js - the web UI's shell: who is signed in, the navigation and the
// routes.  Pages live in pages/; each loads what it shows from the API.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setCsrf } from './api.js';
import { html, navigate, useLocation, Loading } from './ui.js';
import { Login } from './pages/login.js';
import { Inbox } from './pages/inbox.js';
import { AccountPage, Go } from './pages/account.js';
import { Accounts, OpenPipeline } from './pages/lists.js';
import {
    TagChurn,
    ReviewForm,
    ClassifyRecovery,
    AeAnswersForm,
    CheckinForm,
} from './pages/forms.js';
import { Reports, ReportPage } from './pages/reports/index.js';
import { Sessions, SessionPage, Changes } from './pages/sessions.js';
import { CoachingList, CoachingItem } from './pages/coaching.js';
import { Settings } from './pages/settings.js';
import { Me } from './pages/me.js';
import { Notifications } from './pages/notifications.js';
import { Import } from './pages/import.js';
import { Team } from './pages/team.js';
import { DebriefForm } from './pages/debrief.js';
import { People, AcceptLink } from './pages/people.js';
import { Events } from './pages/events.js';

const ROUTES = [
    [/^\/$/, Inbox],
    [/^\/inbox$/, Inbox],
    [/^\/accounts$/, Accounts],
    [/^\/pipeline$/, OpenPipeline],
    [/^\/accounts\/([^/]+)$/, AccountPage],
    [/^\/go\/([a-z]+)\/([^/]+)$/, Go],
    [/^\/deals\/([^/]+)\/review$/, ReviewForm],
    [/^\/deals\/([^/]+)\/review\/answers$/, AeAnswersForm],
    [/^\/tasks\/([^/]+)\/checkin$/, CheckinForm],
    [/^\/churns\/([^/]+)\/tag$/, TagChurn],
    [/^\/recoveries\/([^/]+)\/classify$/, ClassifyRecovery],
    [/^\/reports$/, Reports],
    [/^\/reports\/([^/]+)$/, ReportPage],
    [/^\/sessions$/, Sessions],
    [/^\/sessions\/([^/]+)$/, SessionPage],
    [/^\/changes$/, Changes],
    [/^\/coaching$/, CoachingList],
    [/^\/coaching\/([^/]+)$/, CoachingItem],
    [/^\/me$/, Me],
    [/^\/me\/notifications$/, Notifications],
    [/^\/people\/([^/]+)\/notifications$/, Notifications],
    [/^\/team$/, Team],
    [/^\/tasks\/([0-9]+)\/debrief$/, DebriefForm],
    [/^\/import$/, Import],
    [/^\/people$/, People],
    [/^\/events$/, Events],
    [/^\/settings$/, Settings],
    [/^\/settings\/([a-z]+)$/, Settings],
];

const ROLE_NAMES = {
    csm: 'CSM',
    cs_manager: 'CS manager',
    ae: 'Account executive',
    sales_manager: 'Sales manager',
    vp_sales: 'VP Sales',
    vp_cs: 'VP CS',
    marketing: 'Marketing',
    revops: 'RevOps',
    admin: 'Admin',
};

// Navigation entries.  Which pages a role finds useful; the server still
// decides what each page may show.
function navFor(role) {
    const n = [
        ['/', 'Inbox'],
        ['/accounts', 'Accounts'],
        ['/pipeline', 'Pipeline'],
        ['/reports', 'Reports'],
    ];
    if (['revops', 'cs_manager', 'vp_cs', 'vp_sales', 'admin'].includes(role))
        n.push(['/sessions', 'Sessions']);
    if (['ae', 'sales_manager', 'vp_sales', 'revops'].includes(role))
        n.push(['/coaching', 'Coaching']);
    if (
        ['cs_manager', 'sales_manager', 'vp_cs', 'vp_sales', 'revops'].includes(
            role,
        )
    )
        n.push(['/team', 'Team']);
    if (role === 'admin') n.push(['/people', 'People']);
    if (['revops', 'admin'].includes(role))
        n.push(
            ['/import', 'Import'],
            ['/events', 'Events'],
            ['/settings', 'Settings'],
        );
    n.push(['/me', 'Your account']);
    return n;
}

function NotFound() {
    return html`<section class="error-page" role="alert" data-status="404">
        <h1>Not found</h1><p>There is no page at this address.</p>
        <p><a href="/">Back to my inbox</a></p></section>`;
}

function Shell({ me, onSignOut }) {
    const loc = useLocation();
    const [menu, setMenu] = useState(false);
    let Page = NotFound,
        params = [];
    for (const [re, P] of ROUTES) {
        const m = loc.path.match(re);
        if (m) {
            Page = P;
            params = m.slice(1).map(decodeURIComponent);
            break;
        }
    }
    // A new page: the menu closes and focus moves to the content, so a
    // keyboard or screen-reader user starts there (after a form is saved
    // and the app moves on, too), not on the link or button left behind.
    const first = useRef(true);
    useEffect(() => {
        setMenu(false);
        if (first.current) {
            first.current = false;
            return;
        }
        const main = document.getElementById('main');
        if (main) main.focus({ preventScroll: true });
    }, [loc.path]);
    // The tab's title follows the page's heading, which a page may only
    // know once its data has come (an account's name, a report's title).
    useEffect(() => {
        const main = document.getElementById('main');
        if (!main) return undefined;
        const update = () => {
            const h = main.querySelector('h1');
            let t = '';
            if (h) {
                // The heading's words, without its badges (a status).
                const c = h.cloneNode(true);
                c.querySelectorAll('.badge').forEach((b) => b.remove());
                t = c.textContent.replace(/\s+/g, ' ').trim();
            }
            document.title = t ? `${t} · closeloop` : 'closeloop';
            // A table wider than a phone scrolls in its box: the box takes
            // the keyboard's focus (arrow keys scroll it), named after the
            // table's caption, so it is reachable without a pointer.
            for (const w of main.querySelectorAll(
                '.table-wrap:not([tabindex])',
            )) {
                const cap = w.querySelector('caption');
                w.setAttribute('tabindex', '0');
                w.setAttribute('role', 'region');
                w.setAttribute(
                    'aria-label',
                    cap ? cap.textContent.trim() || 'Table' : 'Table',
                );
            }
        };
        update();
        const obs = new MutationObserver(update);
        obs.observe(main, {
            childList: true,
            subtree: true,
            characterData: true,
        });
        return () => obs.disconnect();
    }, []);
    const current = (href) =>
        href === '/'
            ? loc.path === '/' || loc.path === '/inbox'
            : loc.path.startsWith(href);
    return html`
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
            <a class="brand" href="/" aria-label="closeloop home">closeloop</a>
            <button class="menu-toggle" aria-expanded=${menu} aria-controls="nav"
                onClick=${() => setMenu(!menu)}>Menu</button>
            <nav id="nav" aria-label="Main" class=${menu ? 'open' : ''}>
                ${navFor(me.role).map(
                    ([href, t]) => html`<a href=${href}
                    aria-current=${current(href) ? 'page' : undefined}>${t}</a>`,
                )}
            </nav>
            <div class="who">
                <span class="who-name" data-testid="me">${me.name}</span>
                <span class="who-role">${ROLE_NAMES[me.role] || me.role}</span>
                <button class="link" onClick=${onSignOut}>Sign out</button>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <${Page} key=${loc.path} params=${params} query=${loc.query} me=${me} />
        </main>`;
}

function App() {
    const [me, setMe] = useState(undefined);
    const loadMe = () =>
        api.get('/me').then(
            (u) => {
                setCsrf(u.csrf_token);
                setMe(u);
            },
            () => setMe(null),
        );
    useEffect(() => {
        loadMe();
    }, []);
    useEffect(() => {
        if (me === null) document.title = 'Sign in · closeloop';
    }, [me]);
    // A one-time link (an invitation, a password reset) opens without a
    // sign-in, and signs its person in.
    const loc = useLocation();
    if (loc.path === '/invite')
        return html`<${AcceptLink} onSignedIn=${(u, token) => {
            setCsrf(token);
            setMe(u);
            navigate('/', { replace: true });
        }} />`;
    if (me === undefined) return html`<${Loading} />`;
    if (me === null)
        return html`<${Login} onSignedIn=${(u, token) => {
            setCsrf(token);
            setMe(u);
            if (location.pathname === '/login')
                navigate('/', { replace: true });
        }} />`;
    const signOut = async () => {
        try {
            await api.post('/auth/logout');
        } finally {
            setCsrf(null);
            setMe(null);
            navigate('/', { replace: true });
        }
    };
    return html`<${Shell} me=${me} onSignOut=${signOut} />`;
}

render(html`<${App} />`, document.getElementById('app'));
