// The web console in a real browser: Debian's Chromium, headless, driven by
// playwright-core, against a real `warden serve`. Covers signing in, the
// inventory filters, an account manager approving a high-risk activation,
// live exposure across two browser contexts, what an auditor cannot do,
// CSRF and killed-session refusals, accessibility (axe-core: no serious or
// critical violations) and the first page's time to interactive. Writes
// screenshots of the main pages to WARDEN_SCREENSHOT_DIR.
//
// Flows that need server features another part of the product adds (console
// sessions, tenant exposure, limit preview, chain verification) detect them
// at run time and skip with a message while they answer 404.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { WardenServer } from './warden_server.js';

const kChromium = process.env.WARDEN_CHROMIUM || '/usr/bin/chromium';
const kScreenshots = process.env.WARDEN_SCREENSHOT_DIR || '';
const kPassword = 'correct horse battery staple 42';
const kInteractiveBudgetMs = 1000;
const kLiveBudgetMs = 1000;

let server;
let browser;
// A second server whose console sessions end after a minute idle (the
// shortest --session-idle-timeout), with a page signed in at the start so
// that the rest of the suite runs while it goes idle.
const kIdleTimeoutS = 60;
let idleServer;
let idlePage;
let idleSignedInAt = 0;
let sessions = false;        // POST /v1/session exists
let tenantExposure = false;  // GET /v1/tenants/{key}/exposure exists
const tokens = {};           // user name -> API token (the token sign-in)
const fixtures = {};

// Whether a route exists: anything but the router's own 404.
async function routeExists(method, path, body) {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status !== 404) return true;
  const problem = await response.json().catch(() => ({}));
  return !/^no route/.test(problem.detail || '');
}

async function addUser(name, role, team) {
  const user = { name, role };
  if (team) user.team = team;
  await server.api('POST', '/v1/users', user);
  tokens[name] = (await server.api('POST', '/v1/tokens', { user: name })).token;
  if (sessions) {
    await server.api('PUT', `/v1/users/${name}/password`, { password: kPassword });
  }
}

// RFC 6238 with its defaults (HMAC-SHA-1, 30 s steps, 6 digits) over an
// RFC 4648 base32 secret: what an authenticator app shows now.
function totpCode(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function inDays(days) {
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function addIdentity(name, owner, environment, extra = {}) {
  return server.api('POST', '/v1/identities', {
    name, kind: 'workload', owner, application: 'checkout', environment,
    scopes: ['orders:read'], expires_at: inDays(30), justification: 'console test', ...extra,
  });
}

// What `tenant` is served for `flag` in production (OFREP).
async function evaluate(tenant, flag) {
  const response = await fetch(`${server.url}/ofrep/v1/evaluate/flags/${flag}?environment=production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: tenant } }),
  });
  return response.json();
}

// A high-risk release of payments-v2 at its canary stage (acme is in the
// canary segment), and acme's activation request, waiting for amy.
async function seedRelease() {
  await server.api('POST', '/v1/flags/import?environment=production', {
    flags: {
      'payments-v2': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
      'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    },
  });
  await server.api('POST', '/v1/tenants', { key: 'acme', name: 'Acme Corp', account_manager: 'amy', integrations: ['stripe'] });
  await server.api('POST', '/v1/tenants', { key: 'globex', name: 'Globex', account_manager: 'amy', integrations: [] });
  await server.api('POST', '/v1/segments', { key: 'canary', tenants: ['acme'] });
  const release = await server.api('POST', '/v1/releases', {
    service: 'checkout', version: '2.5.0', environment: 'production', owner: 'payments',
    flags: ['payments-v2'], identities: [], integrations: [], risk_tier: 'high',
    notes: { changes: ['Payments move to the v2 processor'], customer_notice: 'Payments v2' },
    plan: [{ name: 'canary', audience: { segments: ['canary'] }, requires_readiness: false }],
  }, tokens.olive);
  const advance = () => fetch(`${server.url}/v1/releases/${release.id}/advance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.olive}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'canary' }),
  });
  const refused = await advance();
  assert.equal(refused.status, 409);
  const { approval_id: stageApproval } = await refused.json();
  await server.api('POST', `/v1/approvals/${stageApproval}/approve`, { reason: 'reviewed' }, tokens.sam);
  assert.equal((await advance()).status, 200);
  await server.api('POST', '/v1/tenants/acme/consents', { kind: 'notice', release: release.id }, tokens.amy);
  const activation = await server.api('POST', `/v1/releases/${release.id}/activations`,
    { tenant: 'acme', reason: 'acme asked for payments v2' }, tokens.olive);
  fixtures.release = release;
  fixtures.activation = activation;
}

before(async () => {
  server = await WardenServer.start();
  sessions = await routeExists('POST', '/v1/session', {});
  tenantExposure = await routeExists('GET', '/v1/tenants/nobody/exposure?environment=production');
  await server.api('POST', '/v1/teams', { name: 'payments', members: ['olive'] });
  await server.api('POST', '/v1/teams', { name: 'ledger', members: ['lena'] });
  await addUser('ada', 'admin');
  await addUser('sam', 'security');
  await addUser('amy', 'account_manager');
  await addUser('olive', 'app_owner', 'payments');
  await addUser('audrey', 'auditor');
  fixtures.checkout = await addIdentity('checkout-api', 'payments', 'production');
  fixtures.billing = await addIdentity('billing-worker', 'payments', 'staging');
  await addIdentity('ledger-sync', 'ledger', 'development');
  await addIdentity('ledger-export', 'ledger', 'staging');
  await seedRelease();
  if (kScreenshots) await mkdir(kScreenshots, { recursive: true });
  browser = await chromium.launch({ executablePath: kChromium, headless: true, args: ['--no-sandbox'] });
  if (sessions) {
    idleServer = await WardenServer.start({ extraArgs: ['--session-idle-timeout', String(kIdleTimeoutS)] });
    await idleServer.api('POST', '/v1/users', { name: 'ivy', role: 'security' });
    await idleServer.api('PUT', '/v1/users/ivy/password', { password: kPassword });
    idlePage = await signedIn('ivy', 'security', idleServer);
    idleSignedInAt = Date.now();
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await idleServer?.stop();
});

// A page in a fresh context, signed in as `user` (password when the server
// has sessions, else the user's API token).
async function signedIn(user, role, at = server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  // Refused calls are the page's business; script errors and CSP reports are not.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.problems = problems;
  await page.goto(`${at.url}/ui/`);
  if (sessions) {
    await page.getByLabel('User name', { exact: true }).fill(user);
    await page.getByLabel('Password', { exact: true }).fill(kPassword);
  } else {
    await page.getByLabel('API token', { exact: true }).fill(tokens[user]);
    await page.getByLabel("The token's role (what the console shows)", { exact: true }).selectOption(role);
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
  return page;
}

async function go(page, hash) {
  await page.evaluate((target) => { location.hash = target; }, hash);
}

async function screenshot(page, name) {
  if (!kScreenshots) return;
  await page.screenshot({ path: join(kScreenshots, `${name}.png`), fullPage: true });
}

async function expectAccessible(page, name) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${name}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
}

describe('web console', () => {
  test('serves the console with its security headers and hashed assets', async () => {
    const index = await fetch(`${server.url}/ui/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-security-policy'), /default-src 'none'; script-src 'self'/);
    assert.equal(index.headers.get('x-frame-options'), 'DENY');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const script = /src="(\/ui\/assets\/app-[A-Z0-9]+\.js)"/.exec(html);
    assert.ok(script, `the built console, not the placeholder: ${html.slice(0, 200)}`);
    const asset = await fetch(server.url + script[1]);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const missing = await fetch(`${server.url}/ui/assets/app-NOPE.js`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json');
    const redirect = await fetch(`${server.url}/ui`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/ui/');
  });

  test('first page is interactive within a second', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/ui/`);  // warm the connection and caches once
    await page.goto(`${server.url}/ui/`);
    await page.locator('form button[type="submit"]').waitFor();
    const interactiveMs = await page.evaluate(
      () => performance.getEntriesByName('warden-console-interactive')[0]?.startTime);
    assert.ok(interactiveMs < kInteractiveBudgetMs, `${interactiveMs} ms`);
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
    // Same-run baseline: the same browser loading the smallest page the
    // server has (GET /healthz), to its load event.
    await page.goto(`${server.url}/healthz`);
    const baselineMs = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
    console.log(`console: sign-in page interactive after ${interactiveMs.toFixed(0)} ms ` +
      `(baseline /healthz loaded after ${baselineMs.toFixed(0)} ms, ratio ${(interactiveMs / baselineMs).toFixed(1)})`);
    await context.close();
  });

  test('signs in with a password and signs out', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    const page = await signedIn('sam', 'security');
    assert.match(await page.locator('.who').innerText(), /sam/);
    await page.reload();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();  // the cookie kept the session
    const interactiveMs = await page.evaluate(() => performance.getEntriesByName('warden-console-interactive')[0]?.startTime);
    console.log(`console: signed-in inventory interactive after ${interactiveMs?.toFixed(0)} ms`);
    assert.ok(interactiveMs < kInteractiveBudgetMs, `${interactiveMs} ms`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    const after = await page.evaluate(() => fetch('/v1/session').then((r) => r.status));
    assert.equal(after, 401);
    await page.context().close();
  });

  test('a wrong password is refused with one answer', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/ui/`);
    await page.getByLabel('User name', { exact: true }).fill('sam');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid-credentials' }).waitFor();
    await context.close();
  });

  test('a user with a second factor is asked for the code', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    await addUser('tom', 'security');
    const { secret } = await server.api('POST', '/v1/users/tom/totp', {});
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/ui/`);
    await page.getByLabel('User name', { exact: true }).fill('tom');
    await page.getByLabel('Password', { exact: true }).fill(kPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = page.getByLabel('Authenticator code', { exact: true });
    await code.waitFor();
    assert.equal(await code.evaluate((element) => element === document.activeElement), true);
    await code.fill(totpCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    assert.match(await page.locator('.who').innerText(), /tom/);
    await context.close();
  });

  test('filters the inventory on the server', async () => {
    const page = await signedIn('sam', 'security');
    await go(page, '#/inventory');
    await page.getByRole('cell', { name: 'checkout-api' }).waitFor();
    await screenshot(page, 'inventory');
    await expectAccessible(page, 'inventory');
    const requests = [];
    page.on('request', (request) => { if (request.url().includes('/v1/identities?')) requests.push(request.url()); });
    await page.getByLabel('Name contains', { exact: true }).fill('ledger');
    await page.getByLabel('Environment', { exact: true }).selectOption('staging');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The filtered page replaces the whole list (ledger-export was on it).
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    const names = await page.locator('tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(names, ['ledger-export']);
    assert.ok(requests.some((url) => url.includes('q=ledger') && url.includes('environment=staging')), requests.join('\n'));
    // The identity page, from the table.
    await page.getByRole('link', { name: 'ledger-export' }).click();
    await page.getByRole('heading', { name: /ledger-export/ }).waitFor();
    await page.getByRole('heading', { name: 'Scopes: granted against used' }).waitFor();
    await page.getByRole('cell', { name: 'orders:read' }).waitFor();
    await screenshot(page, 'identity');
    await expectAccessible(page, 'identity');
    // Suspend with a reason, as security.
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByLabel('Reason to suspend', { exact: true }).fill('console test');
    await page.getByRole('button', { name: 'Confirm: Suspend' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an account manager approves a high-risk activation and the tenant sees the flag', async () => {
    assert.equal((await evaluate('acme', 'payments-v2')).reason, 'GATED');
    const page = await signedIn('amy', 'account_manager');
    await go(page, '#/approvals?state=pending&mine=true');
    const card = page.locator('li.approval').filter({ hasText: 'tenant activation' });
    await card.waitFor();
    await screenshot(page, 'approvals');
    await expectAccessible(page, 'approvals');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByLabel('Reason to approve', { exact: true }).fill('acme signed the v2 addendum');
    await card.getByRole('button', { name: 'Confirm: Approve' }).click();
    await page.getByText('Nothing here.').waitFor();
    const seen = await evaluate('acme', 'payments-v2');
    assert.equal(seen.value, true, JSON.stringify(seen));
    if (tenantExposure) {
      // The tenant table is searched on the server; its link opens the view.
      await go(page, '#/exposure?environment=production');
      await page.getByLabel('Key or name contains').fill('ACME c');
      await page.getByRole('button', { name: 'Search tenants' }).click();
      const tenants = page.getByRole('table', { name: 'Tenants' });
      await tenants.getByRole('link', { name: 'acme' }).click();
      await page.locator('[data-flag="payments-v2"][data-value="true"]').waitFor();
      assert.equal(await tenants.getByRole('row').count(), 2);  // header + acme
      await screenshot(page, 'exposure');
    }
    await go(page, `#/releases/${fixtures.release.id}`);
    await page.getByRole('heading', { name: 'Readiness' }).waitFor();
    await screenshot(page, 'release');
    await expectAccessible(page, 'release');
    await page.context().close();
  });

  test('a kill switch made in one browser shows up in another within a second', async () => {
    const watcher = await signedIn('ada', 'admin');
    const watched = tenantExposure ? '#/exposure?environment=production&tenant=acme' : '#/kill-switch';
    await go(watcher, watched);
    if (tenantExposure) {
      await watcher.locator('[data-flag="payments-v2"]').waitFor();
    } else {
      await watcher.getByText('No active limits.').waitFor();
    }
    // Live from the configuration stream; a credential the stream does not
    // take falls back to refreshing every 2 s (checked against that).
    const modeBadge = watcher.locator('[data-live-mode="live"], [data-live-mode="polling"]');
    await modeBadge.waitFor();
    const mode = await modeBadge.getAttribute('data-live-mode');
    await expectAccessible(watcher, tenantExposure ? 'exposure' : 'kill-switch');

    const actor = await signedIn('sam', 'security');
    await go(actor, '#/kill-switch?scope=tenant&values=acme');
    await actor.getByLabel('Reason (recorded in the audit log)', { exact: true }).fill('acme incident 42');
    await actor.getByLabel('Environment', { exact: true }).selectOption('production');
    await actor.getByRole('button', { name: 'Preview' }).click();
    await actor.locator('.report, .error').first().waitFor();
    await screenshot(actor, 'kill-switch-preview');
    const setAt = Date.now();
    await actor.getByRole('button', { name: 'Set the limit now' }).click();
    await actor.getByText(/Done: limit .* is in effect/).waitFor();
    if (tenantExposure) {
      await watcher.locator('[data-flag="payments-v2"][data-value="false"]').waitFor({ timeout: 5000 });
    } else {
      await watcher.getByRole('cell', { name: 'acme incident 42' }).waitFor({ timeout: 5000 });
    }
    const elapsed = Date.now() - setAt;
    // Same-run baseline: the actor's own POST /v1/limits round trip.
    const postMs = await actor.evaluate(() => performance.getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('/v1/limits')).map((entry) => entry.duration).pop());
    console.log(`console: the other browser showed the limit ${elapsed} ms after the click ` +
      `(the POST /v1/limits itself took ${postMs?.toFixed(0)} ms)`);
    // The budget includes the actor's own round trip (up to a second here).
    const budget = (mode === 'live' ? kLiveBudgetMs : 2000 + kLiveBudgetMs) + 1000;
    if (mode !== 'live') {
      console.log('console: the configuration stream refused this credential; the page polled');
    }
    assert.ok(elapsed < budget, `${elapsed} ms in mode ${mode}`);
    await screenshot(actor, 'kill-switch');
    await screenshot(watcher, tenantExposure ? 'exposure-limited' : 'kill-switch-watcher');
    assert.equal((await evaluate('acme', 'payments-v2')).reason, 'LIMITED');
    await watcher.context().close();
    await actor.context().close();
  });

  test('findings, maturity and audit pages render for security', async () => {
    await server.api('POST', '/v1/posture/sweep', {});
    const page = await signedIn('sam', 'security');
    await go(page, '#/findings');
    await page.getByRole('heading', { name: 'Unresolved findings' }).waitFor();
    await page.locator('figure.chart svg').first().waitFor();
    await screenshot(page, 'findings');
    await expectAccessible(page, 'findings');
    await go(page, '#/audit?action=limit.*');
    await page.getByRole('cell', { name: 'limit.set' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.locator('.verify-result, .error').first().waitFor();
    await screenshot(page, 'audit');
    await expectAccessible(page, 'audit');
    await page.context().close();
  });

  test('an auditor sees no admin actions and the API refuses them', async () => {
    const page = await signedIn('audrey', 'auditor');
    await go(page, `#/identities/${fixtures.checkout.id}`);
    await page.getByRole('heading', { name: /checkout-api/ }).waitFor();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    for (const name of ['Suspend', 'Resume', 'Revoke']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, name);
    }
    await go(page, '#/kill-switch');
    await page.getByText('Your role reads limits; it cannot set or lift them.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Set the limit now' }).count(), 0);
    await go(page, '#/approvals?state=pending');
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    // The API refuses what the page does not offer, with this browser's own
    // credential (the session cookie and its CSRF token, or the token).
    const status = await page.evaluate(async ({ id, token }) => {
      const session = await fetch('/v1/session');
      const headers = { 'content-type': 'application/json' };
      if (session.ok) headers['x-csrf-token'] = (await session.json()).csrf_token;
      else headers.authorization = `Bearer ${token}`;
      const response = await fetch(`/v1/identities/${id}/suspend`, {
        method: 'POST', headers, body: JSON.stringify({ reason: 'auditor tries' }),
      });
      return response.status;
    }, { id: fixtures.checkout.id, token: tokens.audrey });
    assert.equal(status, 403);
    await page.context().close();
  });

  test('an unsafe request without the CSRF header is refused', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    const page = await signedIn('sam', 'security');
    const answer = await page.evaluate(async (id) => {
      const response = await fetch(`/v1/identities/${id}/suspend`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'csrf' }),
      });
      return { status: response.status, body: await response.json() };
    }, fixtures.billing.id);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.type, 'urn:warden:problem:csrf-token-invalid');
    const identity = await server.api('GET', `/v1/identities/${fixtures.billing.id}`);
    assert.equal(identity.status, 'active');
    await page.context().close();
  });

  test('a killed session is refused and the console returns to sign-in', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    const page = await signedIn('sam', 'security');
    const cookies = await page.context().cookies();
    // Another tab signs out: the server kills the session.
    const other = await page.context().newPage();
    await other.goto(`${server.url}/ui/`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    // The first tab's next call is refused and it shows sign-in again.
    await go(page, '#/inventory?q=checkout');
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    // Replaying the old cookie does not help.
    const replay = await fetch(`${server.url}/v1/identities`, {
      headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    assert.equal(replay.status, 401);
    await page.context().close();
  });

  test('an idle session expires and the console asks to sign in again', async (t) => {
    if (!sessions) return t.skip('POST /v1/session answers 404: console sessions are not on this server yet');
    const wait = idleSignedInAt + (kIdleTimeoutS + 2) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await go(idlePage, '#/audit');
    await idlePage.getByText('Your session expired: sign in again.').waitFor();
    const answer = await idlePage.evaluate(async () => {
      const response = await fetch('/v1/identities');
      return { status: response.status, body: await response.json() };
    });
    assert.equal(answer.status, 401);
    assert.match(answer.body.type, /session-expired|unauthenticated/);
    await idlePage.context().close();
  });

  test('no page loads anything from another origin or breaks the CSP', async () => {
    const page = await signedIn('sam', 'security');
    const foreign = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    for (const hash of ['#/inventory', '#/exposure', '#/kill-switch', '#/approvals', '#/releases', '#/findings', '#/audit']) {
      await go(page, hash);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => {});
    }
    await screenshot(page, 'releases');
    assert.deepEqual(foreign, []);
    const violations = page.problems.filter((text) => /Content Security Policy/i.test(text));
    assert.deepEqual(violations, []);
    await page.context().close();
  });
});

test('the screenshot folder is written when asked for', { skip: !kScreenshots }, () => {
  assert.ok(existsSync(join(kScreenshots, 'sign-in.png')));
});
