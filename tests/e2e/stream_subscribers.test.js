// 200 Server-Sent Events subscribers of GET /v1/stream; an exposure limit is
// set for one tenant; every subscriber receives the change (a patch of the
// "limits" section on top of its revision, see src/http/sse_stream.h), and
// its next
// OFREP evaluation (OpenFeature SDK + OFREP provider) for that tenant is
// LIMITED with the limit's id, while another tenant is unaffected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { WardenServer } from './warden_server.js';

const kSubscribers = 200;

let server;
let sdkToken;

before(async () => {
  server = await WardenServer.start();
  await server.api('POST', '/v1/flags?environment=development', {
    key: 'checkout', variants: { on: true, off: false },
    default_variant: 'on', off_variant: 'off',
  });
  sdkToken = await server.cli('token', 'create', '--role', 'sdk', '--env', 'development');
});

after(async () => {
  await OpenFeature.close();
  await server.stop();
});

// Reads SSE events from a fetch body; calls onEvent({id, event, data}).
async function subscribe(url, token, onEvent, signal) {
  const response = await fetch(url, { headers: { 'X-API-Key': token }, signal });
  assert.equal(response.status, 200);
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 2);
            if (field === 'data') event.data += value;
            else event[field] = value;
          }
          if (event.event) onEvent(event);
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
}

test('200 subscribers all apply a tenant limit', async () => {
  const abort = new AbortController();
  const url = `${server.url}/v1/stream?environment=development`;
  const limitSeen = [];
  const initial = [];
  for (let i = 0; i < kSubscribers; ++i) {
    let resolveInitial;
    initial.push(new Promise((resolve) => { resolveInitial = resolve; }));
    let resolveLimit;
    limitSeen.push(new Promise((resolve) => { resolveLimit = resolve; }));
    let held = null;  // the configuration as this subscriber applied it
    await subscribe(url, sdkToken, (event) => {
      const data = JSON.parse(event.data);
      if (event.event === 'config') {
        held = data.config;
        resolveInitial(data.revision);
      } else {
        assert.equal(event.event, 'change');
        assert.equal(data.base, held.revision, 'patch on top of the held revision');
        assert.equal(data.config, undefined, 'a change ships a patch, not the config');
        assert.deepEqual(Object.keys(data.patch), ['limits']);
        held = { ...held, ...data.patch, revision: data.revision };
      }
      const limits = held.limits;
      if (limits.length > 0) resolveLimit({ id: event.id, limit: limits[0].id });
    }, abort.signal);
  }
  await Promise.all(initial);

  const limit = await server.api('POST', '/v1/limits', {
    scope: 'tenant', values: ['acme'], reason: 'credential leak',
  });
  const seen = await Promise.all(limitSeen);
  for (const s of seen) assert.equal(s.limit, limit.id);

  await OpenFeature.setProviderAndWait(
    new OFREPProvider({ baseUrl: server.url, headers: [['X-API-Key', sdkToken]] }));
  const client = OpenFeature.getClient();
  const results = await Promise.all(seen.map(async () => ({
    acme: await client.getBooleanDetails('checkout', true, { targetingKey: 'acme' }),
    other: await client.getBooleanDetails('checkout', false, { targetingKey: 'globex' }),
  })));
  for (const { acme, other } of results) {
    assert.equal(acme.value, false);
    assert.equal(acme.reason, 'LIMITED');
    assert.equal(acme.flagMetadata.limitId, limit.id);
    assert.equal(other.value, true);
    assert.equal(other.reason, 'STATIC');
  }
  abort.abort();
});
