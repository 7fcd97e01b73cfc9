// Console single sign-on end to end: a real OpenID provider (oidc-provider,
// with its development login and consent pages) on loopback, the real
// warden binary configured for it, and the authorization code + PKCE flow
// followed with plain HTTP requests, as a browser would, up to a session
// cookie that Warden accepts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { WardenServer } from './warden_server.js';

const CLIENT_ID = 'warden-console';
const CLIENT_SECRET = 'a-long-client-secret-for-the-e2e-test';

// Users the provider knows; Warden knows only alice beforehand.
const ACCOUNTS = {
  alice: { groups: [] },
  carol: { groups: ['staff', 'warden-security'] },
  mallory: { groups: ['staff'] },
};

let idp; // { server, url, provider }
let warden;
let secretDir;

// The provider's HTTP server listens first, so Warden can be started with
// its issuer URL; the provider itself is built once Warden's callback URL
// (its port) is known.
async function startProviderServer() {
  const state = { provider: null };
  const server = createServer((req, res) => state.provider.callback()(req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}`, state };
}

function buildProvider(issuer, redirectUri) {
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    cookies: { keys: ['e2e-cookie-key'] },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    // Profile claims in the id_token itself (not only at userinfo).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      if (!ACCOUNTS[id]) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: `sub-${id}`,
            preferred_username: id,
            email: `${id}@example.com`,
            groups: ACCOUNTS[id].groups,
          };
        },
      };
    },
  });
  provider.on('server_error', (ctx, error) => console.error('provider:', error));
  return provider;
}

before(async () => {
  idp = await startProviderServer();
  secretDir = await mkdtemp(join(tmpdir(), 'warden-oidc-'));
  const secretFile = join(secretDir, 'client_secret');
  await writeFile(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  warden = await WardenServer.start({
    extraArgs: [
      '--oidc-issuer', idp.url,
      '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile,
      '--oidc-scopes', 'profile,email,groups',
      '--oidc-role-claim', 'groups',
      '--oidc-role-map', 'warden-security=security,warden-admins=admin',
    ],
  });
  idp.state.provider = buildProvider(idp.url, `${warden.url}/v1/session/oidc/callback`);
  await warden.api('POST', '/v1/users', { name: 'alice', email: 'alice@example.com', role: 'auditor' });
});

after(async () => {
  if (warden) await warden.stop();
  if (idp) await new Promise((resolve) => idp.server.close(resolve));
  if (secretDir) await rm(secretDir, { recursive: true, force: true });
});

// A browser in miniature: one cookie jar per origin, redirects by hand.
class Browser {
  constructor() { this.jars = new Map(); }

  cookieHeader(url) {
    const jar = this.jars.get(new URL(url).origin) ?? new Map();
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  remember(url, response) {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    this.jars.set(origin, jar);
  }

  async request(url, { method = 'GET', form } = {}) {
    const headers = { cookie: this.cookieHeader(url) };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.remember(url, response);
    return response;
  }

  // Follows redirects until one leaves for `stopOrigin` (or a page answers).
  async follow(url, stopOrigin, init) {
    let response = await this.request(url, init);
    const seen = [];
    while (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location'), url).href;
      seen.push(next);
      if (new URL(next).origin === stopOrigin) return { location: next, response, seen };
      url = next;
      response = await this.request(url);
    }
    return { url, response, seen };
  }
}

// The provider's development pages: a login form, then a consent form,
// each posted back to the form's own action.
async function signInAtProvider(browser, authorizationUrl, login) {
  let step = await browser.follow(authorizationUrl, warden.url);
  for (let page = 0; page < 4 && !step.location; page += 1) {
    const html = await step.response.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    assert.ok(action && prompt, `provider page without a form: ${html.slice(0, 200)}`);
    const form = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    step = await browser.follow(new URL(action, step.url).href, warden.url,
      { method: 'POST', form });
  }
  assert.ok(step.location, 'the provider never redirected back to Warden');
  return step.location;
}

async function startAtWarden(browser, returnTo = '/ui/') {
  const start = await browser.request(
    `${warden.url}/v1/session/oidc/start?return_to=${encodeURIComponent(returnTo)}`);
  assert.equal(start.status, 302, await start.clone().text());
  const location = start.headers.get('location');
  assert.ok(location.startsWith(`${idp.url}/auth?`), location);
  return location;
}

async function auditOf(target) {
  const page = await warden.api('GET', `/v1/audit?action=session.create&target=${encodeURIComponent(target)}`);
  return page.items;
}

test('GET /v1/session/oidc says single sign-on is on', async () => {
  const response = await fetch(`${warden.url}/v1/session/oidc`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { enabled: true, issuer: idp.url });
});

test('an existing user signs in with the provider and gets a session', async () => {
  const browser = new Browser();
  const authorization = new URL(await startAtWarden(browser, '/ui/#/inventory'));
  assert.equal(authorization.searchParams.get('response_type'), 'code');
  assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorization.searchParams.get('scope'), 'openid profile email groups');

  const callback = await signInAtProvider(browser, authorization.href, 'alice');
  assert.ok(callback.startsWith(`${warden.url}/v1/session/oidc/callback?`), callback);
  const done = await browser.request(callback);
  assert.equal(done.status, 302);
  assert.equal(done.headers.get('location'), '/ui/#/inventory');
  const cookie = done.headers.getSetCookie().find((c) => c.startsWith('warden_session='));
  assert.ok(cookie, 'no session cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);

  // The cookie authenticates like the user's own credential.
  const session = await fetch(`${warden.url}/v1/session`, {
    headers: { cookie: browser.cookieHeader(warden.url) },
  });
  assert.equal(session.status, 200, await session.clone().text());
  const body = await session.json();
  assert.equal(body.user, 'alice');
  assert.equal(body.role, 'auditor'); // Warden's role, not the provider's say
  assert.equal(body.method, 'oidc');
  assert.ok(body.csrf_token);
  const records = await auditOf('user/alice');
  assert.ok(records.some((r) => r.outcome === 'ok'), JSON.stringify(records));

  // The callback is single use: replaying it is refused.
  const replay = await browser.request(callback);
  assert.equal(replay.status, 302);
  assert.equal(replay.headers.get('location'), '/ui/#/signin?error=oidc-login-unknown');
});

test('an unknown user whose group maps to a role is provisioned with that role', async () => {
  const browser = new Browser();
  const callback = await signInAtProvider(browser, await startAtWarden(browser), 'carol');
  const done = await browser.request(callback);
  assert.equal(done.status, 302);
  assert.equal(done.headers.get('location'), '/ui/');
  const user = await warden.api('GET', '/v1/users/carol');
  assert.equal(user.role, 'security'); // never more than the mapped role
  assert.equal(user.email, 'carol@example.com');
});

test('an unknown user the mapping does not know is refused, and audited', async () => {
  const browser = new Browser();
  const callback = await signInAtProvider(browser, await startAtWarden(browser), 'mallory');
  const done = await browser.request(callback);
  assert.equal(done.status, 302);
  assert.equal(done.headers.get('location'), '/ui/#/signin?error=invalid-credentials');
  assert.equal(done.headers.getSetCookie().filter((c) => c.startsWith('warden_session=')).length, 0);
  await assert.rejects(warden.api('GET', '/v1/users/mallory'), /404/);
  const records = await auditOf('user/mallory');
  assert.ok(records.some((r) => r.outcome === 'unauthenticated'), JSON.stringify(records));
});

test('open redirects and forged callbacks are refused', async () => {
  for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
    const response = await fetch(
      `${warden.url}/v1/session/oidc/start?return_to=${encodeURIComponent(returnTo)}`,
      { redirect: 'manual' });
    assert.equal(response.status, 400, returnTo);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal((await response.json()).type, 'urn:warden:problem:oidc-return-to-invalid');
  }
  const forged = await fetch(`${warden.url}/v1/session/oidc/callback?code=x&state=forged`,
    { redirect: 'manual' });
  assert.equal(forged.status, 302);
  assert.equal(forged.headers.get('location'), '/ui/#/signin?error=oidc-login-unknown');
  const mixedUp = await fetch(
    `${warden.url}/v1/session/oidc/callback?code=x&state=y&iss=${encodeURIComponent('https://evil.example')}`,
    { redirect: 'manual' });
  assert.equal(mixedUp.headers.get('location'), '/ui/#/signin?error=oidc-issuer-mismatch');
  const denied = await fetch(`${warden.url}/v1/session/oidc/callback?error=access_denied&state=x`,
    { redirect: 'manual' });
  assert.equal(denied.headers.get('location'), '/ui/#/signin?error=oidc-provider-error');
});

// Last: it exhausts this address's failed-authentication budget.
test('a flood of forged callbacks from one address is throttled', async () => {
  let throttled;
  for (let i = 0; i < 40 && !throttled; i += 1) {
    const response = await fetch(`${warden.url}/v1/session/oidc/callback?code=x&state=forged-${i}`,
      { redirect: 'manual' });
    if (response.status === 429) throttled = response;
    else assert.equal(response.status, 302);
  }
  assert.ok(throttled, 'never throttled');
  assert.ok(Number(throttled.headers.get('retry-after')) >= 1);
  assert.equal((await throttled.json()).type, 'urn:warden:problem:too-many-auth-failures');
});
