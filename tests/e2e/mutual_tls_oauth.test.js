// RFC 8705 with real clients: openid-client's TlsClientAuth, its HTTP done by
// node:https presenting a client certificate (customFetch), against
// `warden serve --tls-client-ca --tls-client-self-signed`; jose verifies the
// certificate-bound tokens and node:crypto computes the x5t#S256 they must
// carry. Both PKI (tls_client_auth, a certificate from the client CA matched
// by its URI SAN) and self-signed (self_signed_tls_client_auth, the
// certificate registered as x5c) clients; a bound token is refused on
// Warden's own routes without its certificate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { WardenServer } from './warden_server.js';

const run = promisify(execFile);
const kEcKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const kWorkloadUri = 'spiffe://mtls.test/ns/production/sa/orders';

let dir;
let server;
const pem = {};  // name -> { cert, key }

async function openssl(...args) {
  await run('openssl', args, { cwd: dir });
}

async function load(name) {
  pem[name] = {
    cert: await readFile(join(dir, `${name}.pem`), 'utf8'),
    key: await readFile(join(dir, `${name}.key`), 'utf8'),
  };
}

async function makeLeaf(name, extensions) {
  await writeFile(join(dir, `${name}.ext`), extensions + '\n');
  await openssl('req', '-new', ...kEcKey, '-keyout', `${name}.key`, '-out', `${name}.csr`,
    '-subj', `/CN=${name}`);
  await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
  await load(name);
}

async function makeSelfSigned(name) {
  await openssl('req', '-x509', ...kEcKey, '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-days', '1', '-subj', `/CN=${name}`, '-addext', 'extendedKeyUsage=clientAuth');
  await load(name);
}

// One HTTPS exchange; `client` names the certificate to present.
function request(url, { method = 'GET', headers = {}, body, client } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method, headers, ca: pem.ca.cert, agent: false,
      ...(client ? { cert: pem[client].cert, key: pem[client].key } : {}),
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.once('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function admin(method, path, body) {
  const reply = await request(server.url + path, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(reply.status < 300, `${method} ${path}: ${reply.status} ${reply.text}`);
  return reply.text ? JSON.parse(reply.text) : null;
}

// openid-client's Fetch hook: the same exchange through node:https with
// the client's certificate, answered as a Fetch API Response.
function fetchPresenting(client) {
  return async (url, options) => {
    const body = options.body === undefined ? undefined : String(options.body);
    const headers = options.headers instanceof Headers
      ? Object.fromEntries(options.headers) : { ...options.headers };
    const reply = await request(url, { method: options.method, headers, body, client });
    return new Response(reply.text, {
      status: reply.status,
      headers: Object.entries(reply.headers).filter(([, v]) => typeof v === 'string'),
    });
  };
}

async function configFor(clientId, client) {
  const customFetch = fetchPresenting(client);
  return oidc.discovery(new URL(server.url), clientId, undefined, oidc.TlsClientAuth(),
    { algorithm: 'oauth2', [oidc.customFetch]: customFetch });
}

// The grant fails with invalid_client (a 401 with WWW-Authenticate surfaces
// as the parsed challenge).
async function refusedAsInvalidClient(clientId, client) {
  await assert.rejects(
    oidc.clientCredentialsGrant(await configFor(clientId, client)),
    (err) => err.error === 'invalid_client' ||
      err.cause?.[0]?.parameters?.error === 'invalid_client');
}

function thumbprint(name) {
  const der = new X509Certificate(pem[name].cert).raw;
  return createHash('sha256').update(der).digest('base64url');
}

async function verify(token) {
  const jwks = JSON.parse((await request(`${server.url}/oauth/jwks`)).text);
  return jose.jwtVerify(token, jose.createLocalJWKSet(jwks), {
    issuer: server.url, audience: server.url, typ: 'at+jwt',
  });
}

async function createWorkload(name) {
  const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  const identity = await admin('POST', '/v1/identities', {
    name, kind: 'workload', owner: 'payments', application: 'orders',
    environment: 'production', scopes: ['secrets:read'],
    expires_at: expires.replace(/\.\d+Z$/, 'Z'), justification: 'e2e mutual TLS',
  });
  await admin('POST', '/v1/secrets', { name: `${name}-db`, identity: identity.id, value: 'pw' });
  return identity.id;
}

function readSecret(name, token, client) {
  return request(`${server.url}/v1/secrets/${name}-db/value`,
    { headers: { authorization: `Bearer ${token}` }, client });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-mtls-'));
  await openssl('req', '-x509', ...kEcKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1',
    '-subj', '/CN=mtls-ca', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await load('ca');
  await makeLeaf('server', 'subjectAltName=IP:127.0.0.1');
  await makeLeaf('workload', `subjectAltName=URI:${kWorkloadUri}\nextendedKeyUsage=clientAuth`);
  await makeSelfSigned('self');
  await makeSelfSigned('other');
  server = await WardenServer.start({
    extraArgs: ['--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server.key'),
      '--tls-client-ca', join(dir, 'ca.pem'), '--tls-client-self-signed'],
  });
  await admin('POST', '/v1/teams', { name: 'payments', members: [] });
});

after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the metadata advertises both RFC 8705 methods and bound tokens', async () => {
  const config = await configFor('unused', 'workload');
  const metadata = config.serverMetadata();
  assert.ok(metadata.token_endpoint_auth_methods_supported.includes('tls_client_auth'));
  assert.ok(metadata.token_endpoint_auth_methods_supported
    .includes('self_signed_tls_client_auth'));
  assert.equal(metadata.tls_client_certificate_bound_access_tokens, true);
});

test('tls_client_auth: openid-client gets a token bound to its certificate', async () => {
  const id = await createWorkload('orders-pki');
  await admin('POST', `/v1/identities/${id}/credentials`,
    { method: 'tls_client_auth', tls_client_auth_san_uri: kWorkloadUri });
  const tokens = await oidc.clientCredentialsGrant(await configFor(id, 'workload'),
    { scope: 'secrets:read' });
  const { payload } = await verify(tokens.access_token);
  assert.equal(payload.sub, id);
  assert.deepEqual(payload.cnf, { 'x5t#S256': thumbprint('workload') });

  assert.equal((await readSecret('orders-pki', tokens.access_token, 'workload')).status, 200);
  const stolen = await readSecret('orders-pki', tokens.access_token);
  assert.equal(stolen.status, 401);
  assert.match(stolen.text, /RFC 8705/);
  assert.equal((await readSecret('orders-pki', tokens.access_token, 'self')).status, 401);
});

test('tls_client_auth refuses a certificate that matches another name', async () => {
  const id = await createWorkload('orders-other');
  await admin('POST', `/v1/identities/${id}/credentials`,
    { method: 'tls_client_auth', tls_client_auth_san_uri: 'spiffe://mtls.test/other' });
  await refusedAsInvalidClient(id, 'workload');
});

test('self_signed_tls_client_auth: only the registered certificate', async () => {
  const id = await createWorkload('orders-self');
  const base64 = new X509Certificate(pem.self.cert).raw.toString('base64');
  const key = await jose.exportJWK(new X509Certificate(pem.self.cert).publicKey);
  await admin('POST', `/v1/identities/${id}/credentials`,
    { method: 'self_signed_tls_client_auth', jwks: { keys: [{ ...key, x5c: [base64] }] } });
  const tokens = await oidc.clientCredentialsGrant(await configFor(id, 'self'));
  const { payload } = await verify(tokens.access_token);
  assert.deepEqual(payload.cnf, { 'x5t#S256': thumbprint('self') });
  assert.equal((await readSecret('orders-self', tokens.access_token, 'self')).status, 200);

  await refusedAsInvalidClient(id, 'other');
});

test('introspection returns the binding to a resource server', async () => {
  const id = await createWorkload('orders-rs');
  await admin('POST', `/v1/identities/${id}/credentials`,
    { method: 'tls_client_auth', tls_client_auth_san_uri: kWorkloadUri });
  const tokens = await oidc.clientCredentialsGrant(await configFor(id, 'workload'));
  const reply = await request(`${server.url}/oauth/introspect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`,
      'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokens.access_token }).toString(),
  });
  assert.equal(reply.status, 200, reply.text);
  const introspected = JSON.parse(reply.text);
  assert.equal(introspected.active, true);
  assert.deepEqual(introspected.cnf, { 'x5t#S256': thumbprint('workload') });
});
