// `warden serve --tls-cert --tls-key --tls-client-ca` spoken to with Node's
// TLS client (node:tls, node:https): TLS 1.3 by default, old versions
// refused, optional client certificates that must chain to the client CA,
// keep-alive requests and a Server-Sent Events stream over TLS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { WardenServer } from './warden_server.js';

const run = promisify(execFile);
const kEcKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

let dir;
let server;
let pem;  // name -> PEM text

async function openssl(...args) {
  await run('openssl', args, { cwd: dir });
}

async function makeCa(name) {
  await openssl('req', '-x509', ...kEcKey, '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

async function makeLeaf(ca, name, extensions) {
  await writeFile(join(dir, `${name}.ext`), extensions + '\n');
  await openssl('req', '-new', ...kEcKey, '-keyout', `${name}.key`, '-out', `${name}.csr`,
    '-subj', `/CN=${name}`);
  await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-tls-'));
  await makeCa('ca');
  await makeCa('otherca');
  await makeLeaf('ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  await makeLeaf('ca', 'client',
    'subjectAltName=URI:spiffe://tls.test/workload/a\nextendedKeyUsage=clientAuth');
  await makeLeaf('otherca', 'stranger', 'extendedKeyUsage=clientAuth');
  pem = {};
  for (const name of ['ca', 'client', 'stranger']) {
    pem[name] = await readFile(join(dir, `${name}.pem`), 'utf8');
    pem[`${name}.key`] = await readFile(join(dir, `${name}.key`), 'utf8').catch(() => '');
  }
  server = await WardenServer.start({
    extraArgs: ['--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server.key'),
      '--tls-client-ca', join(dir, 'ca.pem')],
  });
});

after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function port() {
  return Number(new URL(server.url).port);
}

// Opens a TLS connection; resolves to the socket once secure.
function connect(options) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: port(), ca: pem.ca, ...options },
      () => resolve(socket));
    socket.once('error', reject);
  });
}

// GET over HTTPS with Node's agent; resolves to { status, body }.
function get(path, { agent, headers = {}, cert, key } = {}) {
  return new Promise((resolve, reject) => {
    const request = https.request({
      host: '127.0.0.1', port: port(), path, ca: pem.ca, cert, key, agent, headers,
    }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body, socket: response.socket }));
    });
    request.on('error', reject);
    request.end();
  });
}

test('the server prints an https URL and negotiates TLS 1.3', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const socket = await connect({});
  assert.equal(socket.getProtocol(), 'TLSv1.3');
  assert.equal(socket.authorized, true);
  assert.equal(socket.alpnProtocol, false);
  socket.destroy();
  const withAlpn = await connect({ ALPNProtocols: ['h2', 'http/1.1'] });
  assert.equal(withAlpn.alpnProtocol, 'http/1.1');
  withAlpn.destroy();
});

test('TLS 1.1 is refused, TLS 1.2 accepted', async () => {
  await assert.rejects(connect({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }));
  const socket = await connect({ maxVersion: 'TLSv1.2' });
  assert.equal(socket.getProtocol(), 'TLSv1.2');
  assert.match(socket.getCipher().name, /^ECDHE-.*(GCM|CHACHA20)/);
  socket.destroy();
});

test('keep-alive requests share one TLS connection', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: pem.ca });
  const auth = { authorization: `Bearer ${server.adminToken}` };
  const first = await get('/v1/identities', { agent, headers: auth });
  const second = await get('/v1/teams', { agent, headers: auth });
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);
  assert.equal(first.socket, second.socket);
  agent.destroy();
});

test('a client certificate from the client CA is accepted; a stranger is refused', async () => {
  const workload = await get('/healthz', { cert: pem.client, key: pem['client.key'] });
  assert.equal(workload.status, 200);
  await assert.rejects(get('/healthz', { cert: pem.stranger, key: pem['stranger.key'] }));
  const anonymous = await get('/healthz');
  assert.equal(anonymous.status, 200);
});

test('a Server-Sent Events stream flows over TLS', async () => {
  const sdkToken = await server.cli('--ca-file', join(dir, 'ca.pem'),
    'token', 'create', '--role', 'sdk', '--env', 'development');
  const firstEvent = await new Promise((resolve, reject) => {
    const request = https.request({
      host: '127.0.0.1', port: port(), path: '/v1/stream', ca: pem.ca,
      headers: { 'X-API-Key': sdkToken, accept: 'text/event-stream' },
    }, (response) => {
      assert.equal(response.statusCode, 200);
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n\n')) {
          request.destroy();
          resolve(text);
        }
      });
    });
    request.on('error', reject);
    request.end();
  });
  assert.match(firstEvent, /^(id|event|data):/m);
});
