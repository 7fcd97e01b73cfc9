// Kill switch: limit exposure by tenant, integration, account owner,
// segment or release. Preview first (POST /v1/limits/preview: the report
// the limit would produce, nothing applied), then set it (POST /v1/limits)
// and read the report of what was done and how long it took. The active
// limits are listed below, each with Lift.
import { useState } from 'preact/hooks';
import { get, post, queryString } from '../api.js';
import { can } from '../roles.js';
import { LiveBadge, useLiveChanges } from '../live_hook.jsx';
import { ErrorNote, Field, Loading, ReasonAction, Select, Table, TextInput, When, useLoad } from '../ui.jsx';
import { kEnvironments } from './inventory.jsx';

const kScopes = ['tenant', 'integration', 'account_owner', 'segment', 'release'];
const kScopeHelp = {
  tenant: 'Tenant keys',
  integration: 'Integration names (vendor or application)',
  account_owner: 'Account managers (user names)',
  segment: 'Segment keys',
  release: 'Release ids (covers every flag they ship)',
};

const list = (text) => text.split(/[\s,]+/).map((item) => item.trim()).filter(Boolean);

function Micros({ us }) {
  if (us === undefined || us === null) return '—';
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us} µs`;
}

// The report of a limit (set or previewed). Known members are shown as
// sentences; any list the server adds (e.g. which flags turn off for whom)
// is shown as a table of its entries.
export function LimitReport({ report, title }) {
  if (!report) return null;
  const known = new Set(['flags_turned_off', 'not_turned_off', 'not_turned_off_omitted', 'tokens_revoked',
    'rotations_queued', 'timings_us']);
  const extra = Object.entries(report).filter(([key]) => !known.has(key));
  return (
    <section class="panel report" aria-label={title} role="status">
      <h2>{title}</h2>
      <ul>
        <li><strong>{report.flags_turned_off ?? 0}</strong> flag(s) turned off</li>
        {report.tokens_revoked ? (
          <li>Tokens revoked for <strong>{report.tokens_revoked.identities}</strong> identit(ies) and{' '}
            <strong>{report.tokens_revoked.tenants}</strong> tenant(s)</li>) : null}
        {report.rotations_queued?.length ? <li>Secrets due for rotation: {report.rotations_queued.join(', ')}</li> : null}
        {report.timings_us ? (
          <li>Took <Micros us={report.timings_us.total} /> (store <Micros us={report.timings_us.limit} />,
            revocation <Micros us={report.timings_us.revocation} />, publish <Micros us={report.timings_us.publish} />)</li>) : null}
      </ul>
      {report.not_turned_off?.length ? (
        <Table caption="Flags this limit cannot turn off" rows={report.not_turned_off}
          columns={[
            { label: 'Environment', render: (r) => r.environment },
            { label: 'Flag', render: (r) => <code>{r.flag}</code> },
            { label: 'Why', render: (r) => r.reason },
          ]} />
      ) : null}
      {extra.map(([key, value]) => (Array.isArray(value) && value.length && typeof value[0] === 'object' ? (
        <Table caption={key.replace(/_/g, ' ')} rows={value}
          columns={Object.keys(value[0]).map((column) => ({
            label: column.replace(/_/g, ' '),
            render: (row) => (typeof row[column] === 'object' ? JSON.stringify(row[column]) : String(row[column] ?? '—')),
          }))} />
      ) : (
        <p><span class="muted">{key.replace(/_/g, ' ')}:</span> {typeof value === 'object' ? JSON.stringify(value) : String(value)}</p>
      )))}
    </section>
  );
}

function LimitForm({ route, onSet }) {
  const [scope, setScope] = useState(kScopes.includes(route.params.scope) ? route.params.scope : 'tenant');
  const [values, setValues] = useState(route.params.values || '');
  const [flags, setFlags] = useState('');
  const [environment, setEnvironment] = useState(route.params.environment || '');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState(null);
  const [done, setDone] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const body = () => {
    const request = { scope, values: list(values), reason };
    if (scope !== 'release' && flags.trim()) request.flags = list(flags);
    if (environment) request.environment = environment;
    return request;
  };
  const run = (fn) => async () => {
    setBusy(true);
    setError(null);
    try { await fn(); } catch (failure) { setError(failure); } finally { setBusy(false); }
  };
  const doPreview = run(async () => {
    setDone(null);
    try {
      setPreview(await post('/v1/limits/preview', body()));
    } catch (failure) {
      if (failure.status === 404 && /no route/.test(failure.message)) {
        throw new Error('This server does not preview limits yet; the report follows the limit.');
      }
      throw failure;
    }
  });
  const doSet = run(async () => {
    const answer = await post('/v1/limits', body());
    setPreview(null);
    setDone(answer);
    onSet();
  });
  return (
    <form class="card" onSubmit={(event) => { event.preventDefault(); doPreview(); }} aria-label="Limit exposure">
      <Select id="limit-scope" label="Limit by" value={scope} onChange={setScope} options={kScopes} blank={null} />
      <TextInput id="limit-values" label={kScopeHelp[scope]} value={values} onInput={setValues} required />
      {scope !== 'release' ? (
        <TextInput id="limit-flags" label="Only these flags (empty: every flag)" value={flags} onInput={setFlags} />
      ) : null}
      <Select id="limit-environment" label="Environment" value={environment} onChange={setEnvironment}
        options={kEnvironments} blank="every environment" />
      <Field id="limit-reason" label="Reason (recorded in the audit log)">
        <input id="limit-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>Preview</button>
        <button type="button" class="btn-danger" disabled={busy || !values.trim() || !reason.trim()} onClick={doSet}>
          Set the limit now
        </button>
      </div>
      <ErrorNote error={error} />
      {preview ? <LimitReport title="Preview: what this limit would do (nothing applied yet)" report={preview.report || preview} /> : null}
      {done ? <LimitReport title={`Done: limit ${done.id} is in effect`} report={done.report} /> : null}
    </form>
  );
}

export function KillSwitch({ route, user }) {
  const { tick, mode } = useLiveChanges('production');
  const [serial, setSerial] = useState(0);
  const limits = useLoad((signal) => get(`/v1/limits${queryString({ status: 'active' })}`, { signal }), [tick, serial]);
  const lift = (limit) => async (reason) => {
    await post(`/v1/limits/${encodeURIComponent(limit.id)}/lift`, { reason });
    setSerial((n) => n + 1);
  };
  return (
    <section aria-labelledby="kill-title">
      <h1 id="kill-title">Kill switch</h1>
      <LiveBadge mode={mode} />
      {can(user, 'limit.set') ? <LimitForm route={route} onSet={() => setSerial((n) => n + 1)} />
        : <p class="notice">Your role reads limits; it cannot set or lift them.</p>}
      <h2>Active limits</h2>
      <ErrorNote error={limits.error} />
      <Loading when={limits.loading && !limits.data} />
      {limits.data ? (
        <Table caption="Active exposure limits" rows={limits.data.items} rowKey={(l) => l.id} empty="No active limits."
          columns={[
            { label: 'Scope', render: (l) => l.scope },
            { label: 'Values', render: (l) => l.values.join(', ') },
            { label: 'Flags', render: (l) => (l.flags.length ? l.flags.join(', ') : 'all') },
            { label: 'Environment', render: (l) => l.environment || 'all' },
            { label: 'Reason', render: (l) => l.reason },
            { label: 'Set by', render: (l) => `${l.actor}${l.actor_role ? ` (${l.actor_role})` : ''}` },
            { label: 'Set at', render: (l) => <When at={l.created_at} /> },
            { label: 'Took', render: (l) => <Micros us={l.time_to_limit_us} /> },
            { label: 'Actions', render: (l) => (can(user, 'limit.lift') ? <ReasonAction id={`lift-${l.id}`} label="Lift" onSubmit={lift(l)} /> : '—') },
          ]} />
      ) : null}
    </section>
  );
}
