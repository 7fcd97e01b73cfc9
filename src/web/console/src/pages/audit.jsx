// Audit: the records matching actor, action (a trailing * is a prefix),
// target and a time window (GET /v1/audit, pages by sequence), the JSON
// Lines export of the same filter, and "verify the chain"
// (POST /v1/audit/verify) with its result.
import { useState } from 'preact/hooks';
import { get, post, queryString, usesBearerToken } from '../api.js';
import { navigate } from '../router.js';
import { Badge, ErrorNote, Loading, Pager, Table, TextInput, When, useLoad } from '../ui.jsx';

const kFilters = ['actor', 'action', 'target', 'since', 'until'];
const kDay = 24 * 3600 * 1000;

function Verify() {
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await post('/v1/audit/verify', {}));
    } catch (failure) {
      if (failure.status === 404 && /no route/.test(failure.message)) {
        setError(new Error('This server does not verify the chain over the API yet: run `warden audit verify`.'));
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };
  const ok = result && (result.ok ?? result.valid ?? result.intact);
  return (
    <section class="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the chain</h2>
      <button type="button" onClick={verify} disabled={busy}>{busy ? 'Verifying…' : 'Verify the chain'}</button>
      <ErrorNote error={error} />
      {result ? (
        <div role="status" class="verify-result">
          <p>{ok ? <Badge tone="ok">chain intact</Badge> : <Badge tone="bad">chain broken</Badge>}</p>
          <dl class="facts compact">
            {Object.entries(result).map(([key, value]) => (
              <><dt>{key.replace(/_/g, ' ')}</dt><dd>{typeof value === 'object' ? <code>{JSON.stringify(value)}</code> : String(value)}</dd></>
            ))}
          </dl>
        </div>
      ) : null}
    </section>
  );
}

export function Audit({ route }) {
  const params = route.params;
  const defaultSince = new Date(Date.now() - kDay).toISOString().replace(/\.\d+Z$/, 'Z');
  const filters = Object.fromEntries(kFilters.map((k) => [k, params[k] || '']));
  if (!params.since && !params.until) filters.since = defaultSince;
  const [draft, setDraft] = useState(filters);
  const after = params.after || '';
  const { data, error, loading } = useLoad(
    (signal) => get(`/v1/audit${queryString({ ...filters, after, limit: 50 })}`, { signal }),
    [JSON.stringify({ ...filters, since: params.since || '' }), after]);
  const set = (key) => (value) => setDraft((previous) => ({ ...previous, [key]: value }));
  const items = data?.items || [];
  const next = items.length === 50 ? String(items[items.length - 1].sequence) : null;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <form class="filters" aria-label="Filter audit records" onSubmit={(e) => { e.preventDefault(); navigate('/audit', draft); }}>
        <TextInput id="audit-actor" label="Actor" value={draft.actor} onInput={set('actor')} />
        <TextInput id="audit-action" label="Action (end with * for a prefix)" value={draft.action} onInput={set('action')} />
        <TextInput id="audit-target" label="Target" value={draft.target} onInput={set('target')} />
        <TextInput id="audit-since" label="Since (RFC 3339)" value={draft.since} onInput={set('since')} />
        <TextInput id="audit-until" label="Until (RFC 3339)" value={draft.until} onInput={set('until')} />
        <div class="actions">
          <button type="submit" class="btn-primary">Apply filters</button>
          {usesBearerToken() ? null : <a class="button" href={`/v1/audit/export${queryString(filters)}`} download="audit.jsonl">Export (JSON Lines)</a>}
        </div>
      </form>
      <Verify />
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <Table caption="Audit records, oldest first" rows={items} rowKey={(r) => r.sequence} empty="No records match."
            columns={[
              { label: '#', render: (r) => r.sequence },
              { label: 'Time', render: (r) => <When at={r.time} /> },
              { label: 'Actor', render: (r) => r.actor },
              { label: 'Action', render: (r) => <code>{r.action}</code> },
              { label: 'Target', render: (r) => r.target },
              { label: 'Outcome', render: (r) => <Badge tone={r.outcome === 'ok' ? 'ok' : r.outcome === 'deny' ? 'bad' : 'warn'}>{r.outcome}</Badge> },
            ]} />
          <Pager hasPrevious={Boolean(after)} next={next}
            onFirst={() => navigate('/audit', filters)}
            onNext={() => navigate('/audit', { ...filters, after: next })} />
        </>
      ) : null}
    </section>
  );
}
