// Propagation between replicas: how long a write through replica A takes to
// reach the LAST of N configuration-stream subscribers (GET /v1/stream) of
// replica B, both `warden serve --db` over one PostgreSQL database.
//
// Each change toggles one flag (PATCH /v1/flags/ENV/KEY {"state"}),
// alternately through A and through B itself (the same-run baseline
// without the replica hop, i.e. PostgreSQL's NOTIFY and B's change
// follower). The time runs from sending the writer's request to the moment
// the last of B's subscribers holds the new state (each applies `config` /
// `change` patches as a client does, see docs/API.md). Also printed: the
// same from the writer's answer, and to B's first subscriber. Changes are
// spaced by a random pause so they do not line up with any periodic work
// of the server.
// The subscribers run in this one Node process, so the figure includes the
// client parsing 1,000 events on one thread (tens of ms on a loaded
// machine: compare "request -> first subscriber"), and on a shared machine
// the scheduling of three processes (PostgreSQL, two servers) besides it.
//
// Usage (from the repository root):
//   WARDEN_BINARY=build/release/warden [WARDEN_TEST_POSTGRES_URI=postgresql://...]
//     [SUBSCRIBERS=1000] [CHANGES=50] node bench/node/replica_propagation.mjs
// (CHANGES changes through each writer.)
// Without WARDEN_TEST_POSTGRES_URI a throwaway cluster is started with
// scripts/pg-cluster.sh (and stopped). A fresh database is created for the
// run and dropped afterwards.
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kSubscribers = Number(process.env.SUBSCRIBERS ?? 1000);
const kChanges = Number(process.env.CHANGES ?? 50);
const kEnvironment = 'development';
const kFlag = 'checkout';
// At most this many streams per API token (the server's default limit).
const kStreamsPerToken = 1000;

function die(message) {
  console.error(`replica_propagation: ${message}`);
  process.exit(1);
}

async function psql(uri, sql) {
  await run('psql', ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', uri, '--command', sql]);
}

// Starts `warden serve --db` on a free loopback port; resolves to
// {process, url, token}.
async function startReplica(binary, dataDir, db) {
  const child = spawn(binary, ['serve', '--data-dir', dataDir, '--db', db, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`warden exited ${code}`)));
  });
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { process: child, url, token, stop };
}

async function api(replica, method, path, body) {
  const response = await fetch(replica.url + path, {
    method,
    headers: { authorization: `Bearer ${replica.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// One subscriber: holds the flag's state as the stream delivers it and
// calls onState(state, performance.now()) after each event. Plain
// node:http (not fetch, whose web streams cost several times more per
// chunk), so the client's share of the figure stays small.
function subscribe(url, sdkToken, onState, signal) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { 'X-API-Key': sdkToken }, agent: false, signal },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream: ${response.statusCode}`));
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        let held = null;
        response.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let kind = '';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) kind = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
            }
            if (!data) continue;
            const event = JSON.parse(data);
            if (kind === 'config') {
              held = event.config;
            } else if (kind === 'change') {
              if (held === null || event.base !== held.revision) {
                console.error('subscriber: patch on another revision');
                process.exit(1);
              }
              held = { ...held, ...event.patch, revision: event.revision };
            }
            onState(held.flags?.[kFlag]?.state, performance.now());
          }
        });
        response.on('error', () => {});  // aborted at the end
        resolve();
      });
    request.on('error', (error) => {
      if (!signal.aborted) reject(error);
    });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name, values) {
  const sorted = [...values].sort((x, y) => x - y);
  const f = (v) => v.toFixed(1);
  return `${name}: p50 ${f(percentile(sorted, 50))} ms, p90 ${f(percentile(sorted, 90))} ms, ` +
    `p99 ${f(percentile(sorted, 99))} ms, max ${f(sorted[sorted.length - 1])} ms`;
}

async function main() {
  const binary = process.env.WARDEN_BINARY;
  if (!binary) die('set WARDEN_BINARY (e.g. build/release/warden)');
  const cleanups = [];
  try {
    let postgres = process.env.WARDEN_TEST_POSTGRES_URI;
    if (!postgres) {
      const pgDir = await mkdtemp(join(tmpdir(), 'warden-pg-'));
      postgres = (await run('scripts/pg-cluster.sh', ['start', pgDir])).stdout.trim();
      cleanups.push(() => run('scripts/pg-cluster.sh', ['stop', pgDir]));
    }
    const database = `warden_propagation_${process.pid}`;
    await psql(postgres, `CREATE DATABASE ${database}`);
    cleanups.push(() => psql(postgres, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    const dbUrl = new URL(postgres);
    dbUrl.pathname = `/${database}`;
    const db = dbUrl.toString();

    const root = await mkdtemp(join(tmpdir(), 'warden-propagation-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const a = await startReplica(binary, join(root, 'a'), db);
    cleanups.push(() => a.stop());
    await cp(join(root, 'a'), join(root, 'b'), { recursive: true });
    const b = await startReplica(binary, join(root, 'b'), db);
    cleanups.push(() => b.stop());

    await api(a, 'POST', `/v1/flags?environment=${kEnvironment}`, {
      key: kFlag, variants: { on: true, off: false }, default_variant: 'on', off_variant: 'off',
    });
    const tokens = [];
    for (let i = 0; i < Math.ceil(kSubscribers / kStreamsPerToken); ++i) {
      tokens.push((await api(a, 'POST', '/v1/tokens', { role: 'sdk', environment: kEnvironment })).token);
    }

    // Per subscriber: the state it holds; per change: when each got it.
    const abort = new AbortController();
    cleanups.push(() => abort.abort());
    let expected = null;
    let pending = 0;
    let firstAt = 0;
    let lastAt = 0;
    let allSeen = () => {};
    const holds = new Array(kSubscribers).fill(undefined);
    const streamUrl = `${b.url}/v1/stream?environment=${kEnvironment}`;
    let opened = 0;
    let allOpen;
    const open = new Promise((resolve) => { allOpen = resolve; });
    for (let i = 0; i < kSubscribers; ++i) {
      await subscribe(streamUrl, tokens[Math.floor(i / kStreamsPerToken)], (state, at) => {
        if (holds[i] === undefined && ++opened === kSubscribers) allOpen();
        const had = holds[i];
        holds[i] = state;
        if (expected !== null && state === expected && had !== expected) {
          if (firstAt === 0) firstAt = at;
          lastAt = at;
          if (--pending === 0) allSeen();
        }
      }, abort.signal);
    }
    await open;

    // Changes alternate between the writers: through A (the replica hop)
    // and, as the same-run baseline, through B itself.
    const writers = [['A', a], ['B', b]];
    const fromRequest = writers.map(() => []);
    const fromAnswer = writers.map(() => []);
    const toFirst = writers.map(() => []);
    let state = 'enabled';
    for (let change = 0; change < kChanges * writers.length; ++change) {
      const w = change % writers.length;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      state = state === 'enabled' ? 'disabled' : 'enabled';
      pending = holds.filter((h) => h !== state).length;
      firstAt = 0;
      const seen = new Promise((resolve) => { allSeen = resolve; });
      expected = state;
      const sent = performance.now();
      await api(writers[w][1], 'PATCH', `/v1/flags/${kEnvironment}/${kFlag}`, { state });
      const answered = performance.now();
      const timeout = setTimeout(() => die(`change ${change}: ${pending} subscribers never saw it`), 30000);
      await seen;
      clearTimeout(timeout);
      fromRequest[w].push(lastAt - sent);
      fromAnswer[w].push(lastAt - answered);
      toFirst[w].push(firstAt - sent);
    }

    const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
    console.log(`${kChanges} flag changes through each of A and B, ${kSubscribers} subscribers ` +
      `on B (${new Date().toISOString()}, load ${load}, ${binary})`);
    for (const [w, [name]] of writers.entries()) {
      console.log(summary(`${name} request -> last subscriber on B`, fromRequest[w]));
      console.log(summary(`${name} answer  -> last subscriber on B`, fromAnswer[w]));
      console.log(summary(`${name} request -> first subscriber on B`, toFirst[w]));
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error) => die(error.stack ?? error.message));
