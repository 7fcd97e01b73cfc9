// useLiveChanges(environment): a counter that moves whenever the
// environment's published configuration changes (live.js), for pages to
// put in their load dependencies; and the mode ("live" or "polling").
import { useEffect, useState } from 'preact/hooks';
import { followChanges } from './live.js';

export function useLiveChanges(environment) {
  const [tick, setTick] = useState(0);
  const [mode, setMode] = useState('connecting');
  useEffect(() => {
    if (!environment) return undefined;
    let pending = null;
    // Coalesce bursts (one limit moves several sections) into one reload.
    const changed = () => {
      if (pending) return;
      pending = setTimeout(() => { pending = null; setTick((n) => n + 1); }, 50);
    };
    const stop = followChanges(environment, changed, setMode);
    return () => { stop(); if (pending) clearTimeout(pending); };
  }, [environment]);
  return { tick, mode };
}

export function LiveBadge({ mode }) {
  const text = mode === 'live' ? 'Live: updates as they happen'
    : mode === 'polling' ? 'Refreshing every 2 s' : 'Connecting to live updates…';
  return <p class={`live live-${mode}`} role="status" data-live-mode={mode}>{text}</p>;
}
