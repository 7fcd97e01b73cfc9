// Sign-in: user and password, then a TOTP code when the server answers
// totp-required; "Sign in with SSO" when the server has OpenID Connect.
// Without console sessions on the server (development), an API token.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setBearerToken } from '../api.js';
import { ErrorNote, Field, Select, TextInput } from '../ui.jsx';
import { kRoles } from '../roles.js';

export function SignIn({ sessions, reason, onSignedIn }) {
  return (
    <main class="sign-in" id="main">
      <h1>Sign in to Warden</h1>
      {reason ? <p class="notice" role="status">{reason}</p> : null}
      {sessions ? <PasswordForm onSignedIn={onSignedIn} /> : <TokenForm onSignedIn={onSignedIn} />}
    </main>
  );
}

function PasswordForm({ onSignedIn }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  const totpRef = useRef(null);
  useEffect(() => {
    api('GET', '/v1/session/oidc', undefined, { expectUnauthorized: true })
      .then((answer) => setSso(Boolean(answer?.enabled)), () => setSso(false));
  }, []);
  useEffect(() => { if (needsTotp) totpRef.current?.focus(); }, [needsTotp]);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { user, password };
    if (needsTotp) body.totp = totp;
    try {
      onSignedIn(await api('POST', '/v1/session', body, { expectUnauthorized: true }));
    } catch (failure) {
      if (failure.slug === 'totp-required') {
        setNeedsTotp(true);
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form onSubmit={submit} class="card" aria-label="Sign in with a password">
        <TextInput id="user" label="User name" value={user} onInput={setUser} autocomplete="username" required />
        <TextInput id="password" label="Password" type="password" value={password} onInput={setPassword}
          autocomplete="current-password" required />
        {needsTotp ? (
          <Field id="totp" label="Authenticator code" hint="The six digits your authenticator app shows.">
            <input id="totp" ref={totpRef} inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}"
              value={totp} onInput={(e) => setTotp(e.currentTarget.value)} required />
          </Field>
        ) : null}
        <button type="submit" class="btn-primary" disabled={busy}>Sign in</button>
        <ErrorNote error={error} />
      </form>
      {sso ? (
        <p><a class="button" href="/v1/session/oidc/start?return_to=/ui/">Sign in with SSO</a></p>
      ) : null}
    </>
  );
}

function TokenForm({ onSignedIn }) {
  const [token, setToken] = useState('');
  const [role, setRole] = useState('admin');
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setBearerToken(token.trim());
    try {
      await api('GET', '/v1/environments', undefined, { expectUnauthorized: true });
      onSignedIn({ user: 'api token', role, team: '', method: 'token', csrf_token: null });
    } catch (failure) {
      setBearerToken(null);
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} class="card" aria-label="Sign in with an API token">
      <p class="notice">This server has no console sessions: sign in with an API token (kept in this tab's memory only).</p>
      <TextInput id="token" label="API token" type="password" value={token} onInput={setToken} required />
      <Select id="token-role" label="The token's role (what the console shows)" value={role}
        onChange={setRole} options={kRoles} blank={null} />
      <button type="submit" class="btn-primary">Sign in</button>
      <ErrorNote error={error} />
    </form>
  );
}
