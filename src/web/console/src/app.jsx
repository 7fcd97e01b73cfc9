// The shell: restores or starts a session, then shows the navigation and
// the page the hash names. A 401 from any call returns to sign-in.
import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized, setBearerToken, setCsrfToken, usesBearerToken } from './api.js';
import { navigate, useRoute } from './router.js';
import { can } from './roles.js';
import { SignIn } from './pages/sign_in.jsx';
import { Inventory } from './pages/inventory.jsx';
import { IdentityPage } from './pages/identity.jsx';
import { Exposure } from './pages/exposure.jsx';
import { KillSwitch } from './pages/kill_switch.jsx';
import { Approvals } from './pages/approvals.jsx';
import { Releases, ReleasePage } from './pages/releases.jsx';
import { Findings } from './pages/findings.jsx';
import { Audit } from './pages/audit.jsx';

const kPages = [
  { path: 'inventory', label: 'Inventory', page: Inventory },
  { path: 'exposure', label: 'Exposure', page: Exposure },
  { path: 'kill-switch', label: 'Kill switch', page: KillSwitch },
  { path: 'approvals', label: 'Approvals', page: Approvals },
  { path: 'releases', label: 'Releases', page: Releases },
  { path: 'findings', label: 'Findings', page: Findings, permission: 'posture.read' },
  { path: 'audit', label: 'Audit', page: Audit, permission: 'audit.read' },
];

// null: checking; {user, ...}: signed in; {signedOut, sessions, reason}.
function useSession() {
  const [session, setSession] = useState(null);
  useEffect(() => {
    api('GET', '/v1/session', undefined, { expectUnauthorized: true }).then(
      (answer) => { setCsrfToken(answer.csrf_token); setSession(answer); },
      (error) => setSession({ signedOut: true, sessions: error.status !== 404 }));
  }, []);
  useEffect(() => onUnauthorized((error) => {
    setCsrfToken(null);
    setBearerToken(null);
    setSession((previous) => ({
      signedOut: true,
      sessions: previous?.sessions ?? true,
      reason: error.slug === 'session-expired' ? 'Your session expired: sign in again.'
        : 'Signed out: sign in again.',
    }));
  }), []);
  return [session, setSession];
}

export function App() {
  const [session, setSession] = useSession();
  const route = useRoute();
  // The first page is interactive once the session check has answered and
  // sign-in or the signed-in page has rendered (the browser tests read it).
  useEffect(() => {
    if (session && performance.getEntriesByName('warden-console-interactive').length === 0) {
      performance.mark('warden-console-interactive');
    }
  }, [session]);
  if (session === null) return <p class="boot">Loading the Warden console…</p>;
  if (session.signedOut) {
    return (
      <SignIn sessions={session.sessions} reason={session.reason}
        onSignedIn={(answer) => {
          setCsrfToken(answer.csrf_token);
          setSession({ ...answer, sessions: session.sessions });
          if (!location.hash || location.hash === '#/') navigate('/inventory');
        }} />
    );
  }
  const signOut = async () => {
    if (!usesBearerToken()) {
      try { await api('DELETE', '/v1/session', undefined, { expectUnauthorized: true }); } catch { /* gone already */ }
    }
    setCsrfToken(null);
    setBearerToken(null);
    setSession({ signedOut: true, sessions: session.sessions, reason: 'Signed out.' });
  };
  const visible = kPages.filter((page) => !page.permission || can(session, page.permission));
  const [first] = route.segments;
  let Page = null;
  if (first === 'identities' && route.segments[1]) Page = IdentityPage;
  else if (first === 'releases' && route.segments[1]) Page = ReleasePage;
  else Page = (visible.find((page) => page.path === first) || visible[0]).page;
  const current = Page === IdentityPage ? 'inventory' : Page === ReleasePage ? 'releases' : first || visible[0].path;
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand">Warden</span>
        <nav aria-label="Console">
          <ul>
            {visible.map((page) => (
              <li><a href={`#/${page.path}`} aria-current={current === page.path ? 'page' : undefined}>{page.label}</a></li>
            ))}
          </ul>
        </nav>
        <span class="who">{session.user} <span class="muted">({session.role}{session.team ? `, ${session.team}` : ''})</span></span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} user={session} />
      </main>
    </div>
  );
}
