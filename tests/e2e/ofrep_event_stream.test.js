// The OFREP eventStreams extension with Node's own fetch (no SSE library):
// the bulk answer's ticketed URL is read as a byte stream, an exposure limit
// set through the API arrives as a refetchEvaluation event, and the re-fetch
// (with sseEtag / sseLastModified, as providers send them) is LIMITED.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WardenServer } from './warden_server.js';

const flagd = {
  flags: {
    'dark-mode': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
  },
};

let server;
let sdkToken;

before(async () => {
  server = await WardenServer.start();
  const file = join(server.dataDir, 'flags.json');
  await writeFile(file, JSON.stringify(flagd));
  await server.cli('flag', 'import', '--env', 'development', file);
  sdkToken = await server.cli('token', 'create', '--role', 'sdk', '--env', 'development');
});

after(async () => {
  await server.stop();
});

async function bulk(query = '') {
  const response = await fetch(`${server.url}/ofrep/v1/evaluate/flags${query}`, {
    method: 'POST',
    headers: { 'X-API-Key': sdkToken, 'content-type': 'application/json' },
    body: JSON.stringify({ context: { targetingKey: 'acme' } }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

// Yields parsed SSE events ({id, event, data}) from a fetch body.
async function* sseEvents(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { id: '', event: '', data: '' };
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field in event) event[field] += value;
      }
      if (event.data) yield event;
    }
  }
}

test('a limit set through the API reaches the event stream; the re-fetch is LIMITED', async () => {
  const first = await bulk();
  assert.equal(first.flags[0].reason, 'STATIC');
  assert.equal(first.eventStreams.length, 1);
  const stream = first.eventStreams[0];
  assert.equal(stream.type, 'sse');
  assert.ok(!stream.url.includes(sdkToken), 'the API token must not be in the URL');

  const controller = new AbortController();
  const events = await fetch(new URL(stream.url, server.url), {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  assert.equal(events.status, 200);
  assert.match(events.headers.get('content-type'), /text\/event-stream/);
  const reader = sseEvents(events.body);

  await server.api('POST', '/v1/limits', { scope: 'tenant', values: ['acme'], reason: 'incident' });
  const timeout = setTimeout(() => controller.abort(), 20000);
  const { value: event } = await reader.next();
  clearTimeout(timeout);
  assert.equal(event.event, 'message');
  assert.match(event.id, /^[0-9a-f]+-\d+$/);
  const data = JSON.parse(event.data);
  assert.equal(data.type, 'refetchEvaluation');

  const query = new URLSearchParams({ sseEtag: data.etag, sseLastModified: String(data.lastModified) });
  const refetched = await bulk(`?${query}`);
  assert.equal(refetched.flags[0].reason, 'LIMITED');
  controller.abort();
});

test('a tampered ticket is refused with problem+json', async () => {
  const { eventStreams } = await bulk();
  const url = new URL(eventStreams[0].url, server.url);
  url.searchParams.set('ticket', `${url.searchParams.get('ticket')}x`);
  const response = await fetch(url);
  assert.equal(response.status, 401);
  assert.match(response.headers.get('content-type'), /problem\+json/);
});
