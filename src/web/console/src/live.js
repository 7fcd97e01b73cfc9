// Live updates: follows GET /v1/events (Server-Sent Events: one small
// notice per published revision of one environment, for every role that
// reads flags) and calls `onChange` when the configuration moves (a flag,
// tenant, segment, limit or activation changed anywhere). Read with fetch
// rather than EventSource so the same code carries a session cookie or a
// development bearer token. A server or credential without the events
// falls back to polling: `onChange` every kPollMs while the page is visible.
import { authorizationHeaders } from './api.js';

const kPollMs = 2000;
const kRetryMs = 1000;

// Splits the complete events off `buffer` (WHATWG "Server-sent events":
// events end with a blank line) and answers their names, skipping comment
// blocks (heartbeats), with what is left to complete.
export function takeEvents(buffer) {
  const events = [];
  const text = buffer.replace(/\r\n/g, '\n');
  let start = 0;
  let end;
  while ((end = text.indexOf('\n\n', start)) >= 0) {
    const block = text.slice(start, end);
    start = end + 2;
    const name = /^event: ?(.*)$/m.exec(block)?.[1];
    if (name) events.push(name);
    else if (/^data:/m.test(block)) events.push('message');
  }
  return { events, rest: text.slice(start) };
}

export function followChanges(environment, onChange, onMode = () => {}) {
  const abort = new AbortController();
  let pollTimer = null;
  let stopped = false;
  // Until the first connection opens (what the page just loaded is
  // current then; a full "config" event, if any, is no change).
  let initial = true;

  const poll = () => {
    onMode('polling');
    pollTimer = setInterval(() => {
      if (document.visibilityState === 'visible') onChange();
    }, kPollMs);
  };

  const consume = async () => {
    const response = await fetch(`/v1/events?environment=${encodeURIComponent(environment)}`, {
      headers: { accept: 'text/event-stream', ...authorizationHeaders() },
      credentials: 'same-origin',
      signal: abort.signal,
    });
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      poll();
      return false;
    }
    if (!response.ok || !response.body) return true;
    onMode('live');
    // A reconnect may have missed notices: re-read once.
    if (!initial) onChange();
    initial = false;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      const parsed = takeEvents(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        if (event !== 'config') onChange();
      }
    }
  };

  const run = async () => {
    while (!stopped) {
      let again = true;
      try { again = await consume(); } catch { again = !abort.signal.aborted; }
      if (!again || stopped) return;
      await new Promise((resolve) => setTimeout(resolve, kRetryMs));
    }
  };
  run();

  return () => {
    stopped = true;
    abort.abort();
    if (pollTimer) clearInterval(pollTimer);
  };
}
