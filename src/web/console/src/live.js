// Live updates: follows GET /v1/stream (Server-Sent Events) for one
// environment and calls `onChange` when the published configuration moves
// (a flag, tenant, segment or limit changed anywhere). Read with fetch
// rather than EventSource so the same code carries a session cookie or a
// development bearer token. A role the stream refuses (it serves admin and
// sdk credentials) falls back to polling: `onChange` every kPollMs while
// the page is visible.
import { authorizationHeaders } from './api.js';

const kPollMs = 2000;
const kRetryMs = 1000;

export function followChanges(environment, onChange, onMode = () => {}) {
  const abort = new AbortController();
  let pollTimer = null;
  let stopped = false;

  const poll = () => {
    onMode('polling');
    pollTimer = setInterval(() => {
      if (document.visibilityState === 'visible') onChange();
    }, kPollMs);
  };

  const consume = async () => {
    const response = await fetch(`/v1/stream?environment=${encodeURIComponent(environment)}`, {
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
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let first = true;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (!event) continue;  // a heartbeat comment
        // The first full state is what the page just loaded.
        if (event === 'config' && first) { first = false; continue; }
        first = false;
        onChange();
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
