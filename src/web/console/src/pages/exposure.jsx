// Exposure: each environment's flags with their rules, the tenant lookup
// "what does tenant X see, and why" (GET /v1/tenants/{key}/exposure), the
// tenants (searched and paged by the server) and the segments. Live: a change published anywhere reloads what is shown.
import { useState } from 'preact/hooks';
import { get, queryString } from '../api.js';
import { href, navigate } from '../router.js';
import { can } from '../roles.js';
import { LiveBadge, useLiveChanges } from '../live_hook.jsx';
import { Badge, ErrorNote, Loading, Pager, Select, Table, TextInput, useLoad } from '../ui.jsx';
import { kEnvironments } from './inventory.jsx';

function ValueText({ value }) {
  if (value === undefined) return <span class="muted">no value</span>;
  if (typeof value === 'boolean') return <Badge tone={value ? 'ok' : 'bad'}>{value ? 'on' : 'off'}</Badge>;
  return <code>{JSON.stringify(value)}</code>;
}

function Because({ because }) {
  if (!because || Object.keys(because).length === 0) return <span class="muted">—</span>;
  return (
    <span class="because">
      {Object.entries(because).map(([key, value]) => (
        <span class="kv"><span class="muted">{key}</span> {typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>
      ))}
    </span>
  );
}

function TenantExposure({ tenant, environment, tick, user }) {
  const { data, error, loading } = useLoad(async (signal) => {
    const key = encodeURIComponent(tenant);
    const [record, view] = await Promise.all([
      get(`/v1/tenants/${key}`, { signal }),
      get(`/v1/tenants/${key}/exposure${queryString({ environment })}`, { signal }).catch((failure) => {
        if (failure.status === 404 && /no route/.test(failure.message)) return { unavailable: true };
        throw failure;
      }),
    ]);
    return { record, view };
  }, [tenant, environment, tick]);
  if (error) return <ErrorNote error={error} />;
  if (loading && !data) return <Loading when />;
  const { record, view } = data;
  return (
    <div class="panel" aria-live="polite">
      <h3>{record.name || record.key} <span class="muted">({record.key})</span></h3>
      <p>Account manager: <strong>{record.account_manager || 'none'}</strong>
        {record.integrations?.length ? <> · integrations: {record.integrations.join(', ')}</> : null}</p>
      {can(user, 'limit.set') ? (
        <p class="actions">
          <a class="button" href={href('/kill-switch', { scope: 'tenant', values: record.key, environment })}>Limit this tenant…</a>
          {record.account_manager ? <a class="button" href={href('/kill-switch', { scope: 'account_owner', values: record.account_manager, environment })}>Limit every tenant of {record.account_manager}…</a> : null}
        </p>
      ) : null}
      {view.unavailable ? <p class="notice">This server does not answer tenant exposure yet.</p> : (
        <Table caption={`What ${record.key} sees in ${environment}, and why`} rows={view.flags}
          rowKey={(flag) => flag.key} empty="No flags in this environment."
          columns={[
            { label: 'Flag', render: (flag) => <code>{flag.key}</code> },
            { label: 'Value', render: (flag) => <span data-flag={flag.key} data-value={JSON.stringify(flag.value)}><ValueText value={flag.value} /></span> },
            { label: 'Variant', render: (flag) => flag.variant || '—' },
            { label: 'Reason', render: (flag) => <Badge tone={flag.reason === 'LIMITED' ? 'bad' : flag.reason === 'GATED' ? 'warn' : 'plain'}>{flag.reason}</Badge> },
            { label: 'Because', render: (flag) => <Because because={flag.because} /> },
          ]} />
      )}
    </div>
  );
}

const kTenantPageSize = 20;

// The tenants, searched and paged by the server (GET /v1/tenants?q=&cursor=):
// at 100,000 tenants the page never holds more than one page of them.
function Tenants({ route, environment, tick }) {
  const search = route.params.tenant_q || '';
  const cursor = route.params.tenant_cursor || '';
  const [draft, setDraft] = useState(search);
  const keep = { environment, tenant: route.params.tenant || '' };
  const { data, error, loading } = useLoad(
    (signal) => get(`/v1/tenants${queryString({ q: search, cursor, limit: kTenantPageSize })}`, { signal }),
    [search, cursor, tick]);
  const find = (event) => {
    event.preventDefault();
    navigate('/exposure', { ...keep, tenant_q: draft.trim() });
  };
  return (
    <>
      <h2>Tenants</h2>
      <form class="filters" onSubmit={find} role="search" aria-label="Search tenants">
        <TextInput id="tenant-search" label="Key or name contains" value={draft} onInput={setDraft} />
        <div class="actions"><button type="submit">Search tenants</button></div>
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <Table caption={`Tenants${cursor ? ' (a later page)' : ''}`} rows={data.items} rowKey={(t) => t.key}
            empty="No tenant matches."
            columns={[
              { label: 'Tenant', render: (t) => <a href={href('/exposure', { environment, tenant: t.key, tenant_q: search, tenant_cursor: cursor })}><code>{t.key}</code></a> },
              { label: 'Name', render: (t) => t.name || '—' },
              { label: 'Account manager', render: (t) => t.account_manager || '—' },
              { label: 'Integrations', render: (t) => (t.integrations?.length ? t.integrations.join(', ') : '—') },
            ]} />
          <Pager hasPrevious={Boolean(cursor)} next={data.next_cursor}
            onFirst={() => navigate('/exposure', { ...keep, tenant_q: search })}
            onNext={() => navigate('/exposure', { ...keep, tenant_q: search, tenant_cursor: data.next_cursor })} />
        </>
      ) : null}
    </>
  );
}

export function Exposure({ route, user }) {
  const environment = route.params.environment || 'production';
  const tenant = route.params.tenant || '';
  const [tenantDraft, setTenantDraft] = useState(tenant);
  const { tick, mode } = useLiveChanges(environment);
  const flags = useLoad((signal) => get(`/v1/flags${queryString({ environment })}`, { signal }), [environment, tick]);
  const segments = useLoad((signal) => get('/v1/segments', { signal }), [tick]);
  const lookUp = (event) => {
    event.preventDefault();
    navigate('/exposure', { environment, tenant: tenantDraft.trim() });
  };
  return (
    <section aria-labelledby="exposure-title">
      <h1 id="exposure-title">Exposure</h1>
      <LiveBadge mode={mode} />
      <form class="filters" onSubmit={lookUp} aria-label="Tenant exposure">
        <Select id="exposure-environment" label="Environment" value={environment} blank={null}
          options={kEnvironments} onChange={(value) => navigate('/exposure', { environment: value, tenant })} />
        <TextInput id="exposure-tenant" label="Tenant key" value={tenantDraft} onInput={setTenantDraft} />
        <div class="actions"><button type="submit" class="btn-primary">What does this tenant see?</button></div>
      </form>
      {tenant ? <TenantExposure tenant={tenant} environment={environment} tick={tick} user={user} /> : null}
      <h2>Flags in {environment}</h2>
      <ErrorNote error={flags.error} />
      <Loading when={flags.loading && !flags.data} />
      {flags.data ? (
        <Table caption={`Flags in ${environment}`} rows={flags.data.items} rowKey={(f) => f.key}
          empty="No flags in this environment."
          columns={[
            { label: 'Flag', render: (f) => <code>{f.key}</code> },
            { label: 'State', render: (f) => <Badge tone={f.state === 'enabled' ? 'ok' : 'plain'}>{f.state}</Badge> },
            { label: 'Type', render: (f) => f.type },
            { label: 'Default', render: (f) => f.default_variant || '—' },
            { label: 'Rules', render: (f) => (f.rules?.length ? f.rules.map((r) => `${r.conditions.length} condition(s) → ${r.variant}`).join('; ') : f.targeting ? 'JsonLogic targeting' : '—') },
            { label: 'Owner', render: (f) => f.owner_team || '—' },
            { label: 'Release', render: (f) => f.release || '—' },
          ]} />
      ) : null}
      <Tenants route={route} environment={environment} tick={tick} />
      <h2>Segments</h2>
      <ErrorNote error={segments.error} />
      {segments.data ? (
        <Table caption="Segments" rows={segments.data.items} rowKey={(s) => s.key} empty="No segments."
          columns={[
            { label: 'Segment', render: (s) => <code>{s.key}</code> },
            { label: 'Description', render: (s) => s.description || '—' },
            { label: 'Tenants', render: (s) => s.tenant_count },
            { label: 'Rules', render: (s) => s.rules?.length || 0 },
          ]} />
      ) : null}
    </section>
  );
}
