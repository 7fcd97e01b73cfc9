// Three `warden serve` replicas on loopback over one PostgreSQL database
// (`--db`), as the scale-out set-up runs them: the first replica starts
// alone and creates the key files, the other two start on copies of its data
// directory. Then:
//   - write load spread over the three; one replica is SIGKILLed in the
//     middle of it; a client whose request fails with a connection error
//     retries on the next replica; every acknowledged (2xx) write is then
//     readable from both survivors, and from the killed replica once it is
//     started again;
//   - convergence: a kill switch (exposure limit) set through replica A
//     shows the same on every replica, revokes the tenant-bound OAuth
//     tokens each replica issued, stops issuance for the tenant everywhere;
//     an identity suspended through A makes its tokens inactive on every
//     issuing replica; an API token revoked through A is refused on /v1
//     everywhere; every replica verifies the same audit chain;
//   - a limit and a flag turned off through A reach the configuration
//     stream (GET /v1/stream) subscribers of B and C, and the limit an OFREP
//     event stream on C, whose provider's re-fetch there is LIMITED; the
//     times are printed as test diagnostics;
//   - every replica is ready, its /readyz "changes" check passing.
//   - the replicas stop cleanly on SIGTERM.
//   - a revoked sdk token is refused at OFREP and its streams closed on
//     every replica; a token issued by one replica (one --public-url, so
//     one OAuth issuer) is introspected and revoked by the others.
// Skipped when WARDEN_TEST_POSTGRES_URI (a libpq URI of a server where the
// test may create a database, e.g. scripts/pg-cluster.sh) is unset.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { wardenBinary } from './warden_server.js';

const run = promisify(execFile);
const kPostgres = process.env.WARDEN_TEST_POSTGRES_URI;

// Write load: concurrent clients, each creating this many tenants.
const kClients = 6;
const kWritesPerClient = 40;
// The victim is killed once this many writes were acknowledged.
const kKillAfterAcks = 60;
// How long a replica may take to apply another replica's commit.
const kConvergeMs = 10000;
// Every replica's --public-url: one OAuth issuer (never dialled).
const kPublicUrl = 'http://warden-replicas.test';

// The URI of database `name` on the server of `uri` (its path replaced).
function databaseUri(uri, name) {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

// psql from PATH, else from the newest of Debian's versioned directories
// (where scripts/pg-cluster.sh finds the server's binaries).
async function psqlBinary() {
  try {
    await run('psql', ['--version']);
    return 'psql';
  } catch {
    const versions = (await readdir('/usr/lib/postgresql').catch(() => []))
      .filter((v) => /^\d+$/.test(v)).sort((x, y) => Number(y) - Number(x));
    if (versions.length === 0) throw new Error('psql not found');
    return `/usr/lib/postgresql/${versions[0]}/bin/psql`;
  }
}

async function psql(uri, sql) {
  await run(await psqlBinary(),
    ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', uri, '--command', sql]);
}

// One `warden serve --db` process. start() again after kill() restarts it on
// the same data directory (and a new port).
class Replica {
  constructor(name, dataDir, db) {
    this.name = name;
    this.dataDir = dataDir;
    this.db = db;
    this.process = null;
    this.url = null;
  }

  async start() {
    const child = spawn(wardenBinary(),
      ['serve', '--data-dir', this.dataDir, '--db', this.db, '--listen', '127.0.0.1:0',
        '--public-url', kPublicUrl],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    this.process = child;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${this.name}: no URL printed: ${out}`)), 60000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`${this.name}: warden exited ${code}`)));
    });
    this.adminToken = (await readFile(join(this.dataDir, 'admin.token'), 'utf8')).trim();
  }

  get alive() {
    return this.process !== null && this.process.exitCode === null &&
      this.process.signalCode === null;
  }

  async kill() {
    this.process.kill('SIGKILL');
    await this.exited;
  }

  async stop() {
    if (!this.alive) return;
    this.process.kill('SIGTERM');
    await this.exited;
  }

  // Raw HTTP: resolves to {status, body}; rejects on a connection error.
  async request(method, path, body, { token = this.adminToken, form = false } = {}) {
    const headers = { authorization: `Bearer ${token}` };
    let payload;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(this.url + path, {
      method, headers, body: payload, signal: AbortSignal.timeout(30000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  // JSON API call that must succeed (2xx).
  async api(method, path, body, options) {
    const { status, body: answer } = await this.request(method, path, body, options);
    if (status < 200 || status >= 300) {
      throw new Error(`${this.name} ${method} ${path}: ${status} ${JSON.stringify(answer)}`);
    }
    return answer;
  }
}

// RFC 7662 introspection through `replica` (its admin token): true when active.
async function introspect(replica, token) {
  return (await replica.api('POST', '/oauth/introspect', { token }, { form: true })).active;
}

// Polls `probe` (async, returns truthy when done) until it holds or
// kConvergeMs pass; resolves to the milliseconds it took.
async function eventually(what, probe) {
  const start = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - start;
    if (performance.now() - start > kConvergeMs) {
      assert.fail(`not converged within ${kConvergeMs} ms: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Opens GET /v1/stream on `replica` and keeps the configuration the way a
// client applies it (config, then change patches on top of the held
// revision). Resolves once the first config arrived; `waitFor(pred)`
// resolves to the arrival time (performance.now()) of the first event
// after which pred(config) holds.
async function openStream(replica, environment, sdkToken, signal) {
  const response = await fetch(`${replica.url}/v1/stream?environment=${environment}`,
    { headers: { 'X-API-Key': sdkToken }, signal });
  assert.equal(response.status, 200, `${replica.name}: stream`);
  const stream = { config: null, waiters: [] };
  let resolveFirst;
  let rejectFirst;
  const first = new Promise((resolve, reject) => {
    resolveFirst = resolve;
    rejectFirst = reject;
  });
  const apply = (event) => {
    const data = JSON.parse(event.data);
    if (event.event === 'config') {
      stream.config = data.config;
      resolveFirst();
    } else if (event.event === 'change') {
      assert.equal(data.base, stream.config.revision, `${replica.name}: patch on the held revision`);
      stream.config = { ...stream.config, ...data.patch, revision: data.revision };
    }
    const now = performance.now();
    stream.waiters = stream.waiters.filter((w) => {
      if (!w.pred(stream.config)) return true;
      w.resolve(now);
      return false;
    });
  };
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { event: '', data: '' };
          for (const line of block.split('\n')) {
            if (line === '' || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data += value;
            else if (field === 'event') event.event = value;
          }
          if (event.data) apply(event);
        }
      }
      throw new Error(`${replica.name}: the server ended the stream`);
    } catch (error) {
      if (signal.aborted) return;  // the end of the test
      // A patch on another revision, or the stream ended: fail the waiters.
      stream.error = error;
      rejectFirst(error);
      for (const w of stream.waiters) w.reject(error);
      stream.waiters = [];
    }
  })();
  await first;
  stream.waitFor = (pred) => {
    if (stream.error) return Promise.reject(stream.error);
    if (pred(stream.config)) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${replica.name}: no such event`)), kConvergeMs);
      stream.waiters.push({
        pred,
        resolve: (at) => { clearTimeout(timer); resolve(at); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
    });
  };
  return stream;
}

// Opens an OFREP event stream (GET of the bulk answer's eventStreams URL);
// resolves once it is open to a promise of {data, at} for its first
// refetchEvaluation event.
async function openOfrepEvents(url, signal) {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
  assert.equal(response.status, 200, 'OFREP event stream');
  const firstRefetch = async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, '')).join('');
        if (!data) continue;
        const event = JSON.parse(data);
        if (event.type === 'refetchEvaluation') return { data: event, at: performance.now() };
      }
    }
    throw new Error('OFREP event stream ended without a refetchEvaluation event');
  };
  return { refetch: firstRefetch() };
}

const skip = !kPostgres && 'WARDEN_TEST_POSTGRES_URI is unset';
describe('three replicas over one PostgreSQL', { skip }, () => {
  const database = `warden_replicas_${process.pid}_${Date.now()}`;
  let root;
  let replicas;  // [A, B, C]
  let victim;    // the replica killed under load (C)
  let identity;  // {id, secret}: an OAuth client bound to no tenant
  let sdkToken;

  before(async () => {
    await psql(kPostgres, `CREATE DATABASE ${database}`);
    const db = databaseUri(kPostgres, database);
    root = await mkdtemp(join(tmpdir(), 'warden-replicas-'));
    const a = new Replica('A', join(root, 'a'), db);
    replicas = [a];  // known to after() from here on
    await a.start();
    // The others share A's keys: copies of its data directory.
    await cp(a.dataDir, join(root, 'b'), { recursive: true });
    await cp(a.dataDir, join(root, 'c'), { recursive: true });
    const b = new Replica('B', join(root, 'b'), db);
    const c = new Replica('C', join(root, 'c'), db);
    replicas.push(b, c);
    await Promise.all([b.start(), c.start()]);
    victim = c;

    await a.api('POST', '/v1/teams', { name: 'payments', members: [] });
    await b.api('POST', '/v1/tenants', { key: 'acme', name: 'Acme' });
    await c.api('POST', '/v1/tenants', { key: 'globex', name: 'Globex' });
    await a.api('POST', '/v1/flags?environment=development', {
      key: 'checkout', variants: { on: true, off: false },
      default_variant: 'on', off_variant: 'off',
    });
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const created = await b.api('POST', '/v1/identities', {
      name: 'orders-worker', kind: 'workload', owner: 'payments', application: 'checkout',
      environment: 'production', scopes: ['orders:read'],
      expires_at: expires.replace(/\.\d+Z$/, 'Z'), justification: 'replica e2e test',
    });
    const credential = await c.api('POST', `/v1/identities/${created.id}/credentials`,
      { method: 'client_secret' });
    identity = { id: created.id, secret: credential.client_secret };
    sdkToken = (await a.api('POST', '/v1/tokens', { role: 'sdk', environment: 'development' })).token;
  });

  after(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    if (root) await rm(root, { recursive: true, force: true });
    // The replicas' sessions are gone; FORCE ends any left behind.
    await psql(kPostgres, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  });

  test('no acknowledged write is lost when a replica is SIGKILLed under load', async (t) => {
    const acked = new Set();
    const ackedBy = new Map();  // replica name -> acknowledged writes
    const retried = { connectionErrors: 0, alreadyThere: 0 };
    let killed = null;
    const client = async (index) => {
      const home = index % replicas.length;
      for (let i = 0; i < kWritesPerClient; ++i) {
        const key = `load-${index}-${i}`;
        for (let attempt = 0; ; ++attempt) {
          assert.ok(attempt < 2 * replicas.length, `${key}: no replica answered`);
          const replica = replicas[(home + attempt) % replicas.length];
          let answer;
          try {
            answer = await replica.request('POST', '/v1/tenants', { key, name: `Load ${key}` });
          } catch {
            ++retried.connectionErrors;  // the replica is gone: the next one
            continue;
          }
          if (answer.status === 201 || answer.status === 200) {
            acked.add(key);
            ackedBy.set(replica.name, (ackedBy.get(replica.name) ?? 0) + 1);
            if (acked.size === kKillAfterAcks && !killed) killed = victim.kill();
          } else if (answer.status === 409 && attempt > 0) {
            ++retried.alreadyThere;  // committed before the connection broke
          } else {
            assert.fail(`${replica.name} POST /v1/tenants ${key}: ` +
              `${answer.status} ${JSON.stringify(answer.body)}`);
          }
          break;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: kClients }, (_, i) => client(i)));
    const elapsed = performance.now() - started;
    assert.ok(killed, 'the victim was killed during the load');
    await killed;
    t.diagnostic(`${acked.size} writes acknowledged in ${elapsed.toFixed(0)} ms ` +
      `(${[...ackedBy].map(([name, n]) => `${name} ${n}`).join(', ')}); ` +
      `${retried.connectionErrors} connection errors retried, ${retried.alreadyThere} ` +
      'retries found the write already committed');

    const survivors = replicas.filter((r) => r !== victim);
    const lists = [];
    for (const replica of survivors) {
      const { items } = await replica.api('GET', '/v1/tenants');
      const keys = new Set(items.map((tenant) => tenant.key));
      for (const key of acked) assert.ok(keys.has(key), `${replica.name} lost acknowledged ${key}`);
      lists.push([...keys].sort());
    }
    assert.deepEqual(lists[0], lists[1], 'the survivors list the same tenants');

    // The killed replica comes back on the same data directory and sees
    // everything, including what was written while it was down.
    await victim.start();
    const { items } = await victim.api('GET', '/v1/tenants');
    assert.deepEqual(items.map((tenant) => tenant.key).sort(), lists[0]);
  });

  test('a kill switch set through A converges on every replica', async (t) => {
    const [a] = replicas;
    // A tenant-bound access token issued by each replica.
    const tokens = [];
    for (const replica of replicas) {
      const issued = await replica.api('POST', '/oauth/token', {
        grant_type: 'client_credentials', client_id: identity.id,
        client_secret: identity.secret, tenant: 'acme',
      }, { form: true });
      assert.equal(issued.tenant, 'acme');
      tokens.push(issued.access_token);
    }
    for (const [i, replica] of replicas.entries()) {
      assert.equal(await introspect(replica, tokens[i]), true, `${replica.name}: its own token is active`);
    }

    const limit = await a.api('POST', '/v1/limits', {
      scope: 'tenant', values: ['acme'], reason: 'credential leak',
    });
    const lags = [];
    for (const replica of replicas) {
      // The same limit, once the report's second write arrived too.
      const expected = await a.api('GET', `/v1/limits/${limit.id}`);
      lags.push(await eventually(`${replica.name} GET /v1/limits/${limit.id}`, async () => {
        const { status, body } = await replica.request('GET', `/v1/limits/${limit.id}`);
        return status === 200 && JSON.stringify(body) === JSON.stringify(expected);
      }));
      const { items } = await replica.api('GET', '/v1/limits');
      assert.deepEqual(items.filter((l) => l.active).map((l) => l.id), [limit.id],
        `${replica.name}: the active limits`);
    }
    for (const [i, replica] of replicas.entries()) {
      // The limit revoked the tenant's tokens, also those issued by
      // another replica than A.
      lags.push(await eventually(`${replica.name}: its acme token inactive`,
        async () => (await introspect(replica, tokens[i])) === false));
      // And no replica issues a token bound to the limited tenant.
      lags.push(await eventually(`${replica.name}: no token for acme`, async () => {
        const { status, body } = await replica.request('POST', '/oauth/token', {
          grant_type: 'client_credentials', client_id: identity.id,
          client_secret: identity.secret, tenant: 'acme',
        }, { form: true });
        return status === 400 && body.error === 'invalid_target';
      }));
    }
    t.diagnostic('limit, revocation and issuance converged; slowest replica check ' +
      `${Math.max(...lags).toFixed(0)} ms`);
  });

  test('an identity suspended through A: its tokens are inactive on every replica', async () => {
    const [a] = replicas;
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const created = await a.api('POST', '/v1/identities', {
      name: 'refunds-worker', kind: 'workload', owner: 'payments', application: 'checkout',
      environment: 'production', scopes: ['orders:read'],
      expires_at: expires.replace(/\.\d+Z$/, 'Z'), justification: 'replica e2e test',
    });
    const { client_secret: secret } = await a.api('POST', `/v1/identities/${created.id}/credentials`,
      { method: 'client_secret' });
    const tokens = [];
    for (const replica of replicas) {
      const issued = await replica.api('POST', '/oauth/token', {
        grant_type: 'client_credentials', client_id: created.id, client_secret: secret,
      }, { form: true });
      tokens.push(issued.access_token);
      assert.equal(await introspect(replica, issued.access_token), true,
        `${replica.name}: its own token is active`);
    }
    await a.api('POST', `/v1/identities/${created.id}/suspend`, { reason: 'replica e2e test' });
    for (const [i, replica] of replicas.entries()) {
      await eventually(`${replica.name}: the suspended identity's token inactive`,
        async () => (await introspect(replica, tokens[i])) === false);
      await eventually(`${replica.name}: no token for the suspended identity`, async () => {
        const { status, body } = await replica.request('POST', '/oauth/token', {
          grant_type: 'client_credentials', client_id: created.id, client_secret: secret,
        }, { form: true });
        return status === 400 && body.error === 'unauthorized_client';
      });
    }
  });

  test('an API token revoked through A is refused on /v1 by every replica', async (t) => {
    const [a] = replicas;
    const created = await a.api('POST', '/v1/tokens', { role: 'auditor' });
    const read = (replica) => replica.request('GET', '/v1/teams', undefined, { token: created.token });
    // Used (so cached) on every replica first.
    for (const replica of replicas) {
      assert.equal((await read(replica)).status, 200, `${replica.name}: the fresh token works`);
    }
    await a.api('POST', `/v1/tokens/${created.id}/revoke`, {});
    const lags = [];
    for (const replica of replicas) {
      lags.push(await eventually(`${replica.name}: the revoked API token refused on /v1`,
        async () => (await read(replica)).status === 401));
    }
    t.diagnostic(`refused on every replica within ${Math.max(...lags).toFixed(0)} ms`);
  });

  // Another replica's token or user change drops this replica's OFREP
  // token cache and closes its open streams (server/replica_changes.h).
  test('an sdk token revoked through A: refused at OFREP and its streams closed on every replica',
    async () => {
      const [a] = replicas;
      const created = await a.api('POST', '/v1/tokens', { role: 'sdk', environment: 'development' });
      const evaluate = (replica) => replica.request('POST', '/ofrep/v1/evaluate/flags',
        { context: { targetingKey: 'initech' } }, { token: created.token });
      for (const replica of replicas) {
        assert.equal((await evaluate(replica)).status, 200, `${replica.name}: the fresh token works`);
      }
      const ends = await Promise.all(replicas.map(async (replica) => {
        const response = await fetch(`${replica.url}/v1/stream?environment=development`,
          { headers: { 'X-API-Key': created.token }, signal: AbortSignal.timeout(kConvergeMs) });
        assert.equal(response.status, 200);
        return async () => {
          try {
            for await (const chunk of response.body) void chunk;
          } catch {
            return `${replica.name} still open after ${kConvergeMs} ms`;
          }
          return `${replica.name} closed`;
        };
      }));
      const closed = Promise.all(ends.map((end) => end()));
      await a.api('POST', `/v1/tokens/${created.id}/revoke`, {});
      assert.deepEqual(await closed, replicas.map((r) => `${r.name} closed`));
      for (const replica of replicas) {
        assert.equal((await evaluate(replica)).status, 401, `${replica.name}: the revoked token refused`);
      }
    });

  // One issuer (--public-url) for every replica: behind one load balancer a
  // client's token works on all of them.
  test('a token issued by one replica is introspected and revoked by the others',
    async () => {
      const [a, b, c] = replicas;
      const issued = await b.api('POST', '/oauth/token', {
        grant_type: 'client_credentials', client_id: identity.id, client_secret: identity.secret,
      }, { form: true });
      for (const replica of replicas) {
        assert.equal(await introspect(replica, issued.access_token), true, `${replica.name}: B's token active`);
      }
      await a.api('POST', '/oauth/revoke', { token: issued.access_token }, { form: true });
      for (const replica of [b, c]) {
        await eventually(`${replica.name}: B's token revoked through A`,
          async () => (await introspect(replica, issued.access_token)) === false);
      }
    });

  test('every replica is ready and follows the shared change log', async () => {
    for (const replica of replicas) {
      const response = await fetch(`${replica.url}/readyz`);
      const body = await response.json();
      assert.equal(response.status, 200, `${replica.name}: ${JSON.stringify(body)}`);
      const changes = body.checks.find((check) => check.name === 'changes');
      assert.equal(changes?.ok, true, `${replica.name}: ${JSON.stringify(body)}`);
    }
  });

  test('every replica verifies the same audit chain', async () => {
    const heads = [];
    for (const replica of replicas) {
      const verified = await replica.api('POST', '/v1/audit/verify');
      assert.equal(verified.ok, true, `${replica.name}: ${JSON.stringify(verified)}`);
      heads.push(verified.head);
    }
    // Each verification appends its own record, so the heads advance;
    // every replica holds each head at the same sequence with the same hash.
    for (let i = 1; i < heads.length; ++i) assert.ok(heads[i].sequence > heads[i - 1].sequence);
    for (const replica of replicas) {
      for (const head of heads) {
        const { items } = await replica.api('GET', `/v1/audit?after=${head.sequence - 1}&limit=1`);
        assert.equal(items[0].sequence, head.sequence);
        assert.equal(items[0].hash, head.hash, `${replica.name}: record ${head.sequence}`);
      }
    }
    // Offline too: a replica's keys and checkpoint against the shared database.
    const { stdout } = await run(wardenBinary(),
      ['-o', 'json', 'audit', 'verify', '--data-dir', replicas[1].dataDir, '--db', replicas[1].db]);
    const offline = JSON.parse(stdout);
    assert.equal(offline.intact, true, stdout);
    assert.ok(offline.last_sequence >= heads[heads.length - 1].sequence, stdout);
  });

  test('a kill switch set through A reaches the stream subscribers of B and C', async (t) => {
    const [a, b, c] = replicas;
    const abort = new AbortController();
    const evaluation = { context: { targetingKey: 'globex' } };
    const bulk = (query = '') => c.api('POST', `/ofrep/v1/evaluate/flags${query}`, evaluation,
      { token: sdkToken });
    try {
      const streams = await Promise.all([b, c].map((r) =>
        openStream(r, 'development', sdkToken, abort.signal)));
      // And an OFREP provider's event stream on C (the bulk answer's ticketed URL).
      const before = await bulk();
      assert.equal(before.flags.find((f) => f.key === 'checkout').reason, 'STATIC');
      const { refetch } = await openOfrepEvents(new URL(before.eventStreams[0].url, c.url), abort.signal);

      // Time from A's request, and from A's answer, to each subscriber.
      const timed = async (write, seenBy) => {
        const sent = performance.now();
        const answer = await write();
        const answered = performance.now();
        const seen = await Promise.all(seenBy(answer));
        return seen.map(([name, at]) => `${name} ${(at - sent).toFixed(1)} ms after the request, ` +
          `${(at - answered).toFixed(1)} ms after A's answer`).join('; ');
      };

      // An exposure limit on one tenant.
      const limitTimes = await timed(
        () => a.api('POST', '/v1/limits', { scope: 'tenant', values: ['globex'], reason: 'kill switch' }),
        (limit) => [
          ...streams.map(async (s, i) => [[b, c][i].name,
            await s.waitFor((config) => (config.limits ?? []).some((l) => l.id === limit.id))]),
          refetch.then(({ at }) => ['C (OFREP event stream)', at]),
        ]);
      t.diagnostic(`limit: ${limitTimes}`);
      // The provider's re-fetch on C is LIMITED.
      const { data } = await refetch;
      const query = new URLSearchParams({ sseEtag: data.etag, sseLastModified: String(data.lastModified) });
      const after = await bulk(`?${query}`);
      assert.equal(after.flags.find((f) => f.key === 'checkout').reason, 'LIMITED');

      // A flag turned off.
      const flagTimes = await timed(
        () => a.api('PATCH', '/v1/flags/development/checkout', { state: 'disabled' }),
        () => streams.map(async (s, i) => [[b, c][i].name,
          await s.waitFor((config) => config.flags?.checkout?.state === 'disabled')]));
      t.diagnostic(`flag off: ${flagTimes}`);
    } finally {
      abort.abort();
    }
  });

  // Last: the replicas shut down cleanly (the change follower's thread and
  // connection included), as an orchestrator stops them.
  test('every replica stops cleanly on SIGTERM', async () => {
    const exits = await Promise.all(replicas.map(async (replica) => {
      await replica.stop();
      return [replica.name, await replica.exited];
    }));
    for (const [name, exit] of exits) assert.deepEqual(exit, { code: 0, signal: null }, name);
  });
});
