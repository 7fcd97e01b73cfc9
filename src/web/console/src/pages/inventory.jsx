// Inventory: the identities, filtered and searched by the server
// (GET /v1/identities), one cursor page at a time. Filters live in the
// hash so a filtered view can be shared as a link.
import { useState } from 'preact/hooks';
import { get, queryString } from '../api.js';
import { href, navigate } from '../router.js';
import { ErrorNote, Loading, Pager, Select, Table, TextInput, Tier, When, Badge, useLoad } from '../ui.jsx';

export const kEnvironments = ['development', 'staging', 'production'];
const kKinds = ['service_account', 'workload', 'api_key', 'token', 'certificate', 'oauth_app',
  'automation_account', 'agent'];
const kTiers = ['low', 'medium', 'high', 'critical'];
const kStatuses = ['active', 'suspended', 'revoked', 'expired', 'pending', 'draft'];
const kFilters = ['q', 'owner', 'application', 'environment', 'kind', 'risk_tier', 'status', 'vendor', 'tenant'];
const kPageSize = 50;

const kStatusTone = { active: 'ok', suspended: 'warn', revoked: 'bad', expired: 'bad', pending: 'warn', draft: 'plain' };
export function Status({ status }) {
  return <Badge tone={kStatusTone[status]}>{status}</Badge>;
}

export function Inventory({ route }) {
  const params = route.params;
  const [draft, setDraft] = useState(() => Object.fromEntries(kFilters.map((k) => [k, params[k] || ''])));
  const filters = Object.fromEntries(kFilters.map((k) => [k, params[k] || '']));
  const cursor = params.cursor || '';
  const { data, error, loading } = useLoad(
    (signal) => get(`/v1/identities${queryString({ ...filters, cursor, limit: kPageSize })}`, { signal }),
    [JSON.stringify(filters), cursor]);
  const set = (key) => (value) => setDraft((previous) => ({ ...previous, [key]: value }));
  const apply = (event) => {
    event.preventDefault();
    navigate('/inventory', draft);
  };
  const clear = () => {
    setDraft(Object.fromEntries(kFilters.map((k) => [k, ''])));
    navigate('/inventory', {});
  };
  return (
    <section aria-labelledby="inventory-title">
      <h1 id="inventory-title">Inventory</h1>
      <form class="filters" onSubmit={apply} role="search" aria-label="Filter identities">
        <TextInput id="filter-q" label="Name contains" value={draft.q} onInput={set('q')} />
        <TextInput id="filter-owner" label="Owner team" value={draft.owner} onInput={set('owner')} />
        <TextInput id="filter-application" label="Application" value={draft.application} onInput={set('application')} />
        <Select id="filter-environment" label="Environment" value={draft.environment} onChange={set('environment')} options={kEnvironments} />
        <Select id="filter-kind" label="Kind" value={draft.kind} onChange={set('kind')} options={kKinds} />
        <Select id="filter-risk" label="Risk tier" value={draft.risk_tier} onChange={set('risk_tier')} options={kTiers} />
        <Select id="filter-status" label="Status" value={draft.status} onChange={set('status')} options={kStatuses} />
        <TextInput id="filter-vendor" label="Vendor" value={draft.vendor} onInput={set('vendor')} />
        <TextInput id="filter-tenant" label="Tenant" value={draft.tenant} onInput={set('tenant')} />
        <div class="actions">
          <button type="submit" class="btn-primary">Apply filters</button>
          <button type="button" onClick={clear}>Clear</button>
        </div>
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <Table caption={`Identities${cursor ? ' (a later page)' : ''}`} rows={data.items} rowKey={(row) => row.id}
            empty="No identity matches these filters."
            columns={[
              { label: 'Name', render: (row) => <a href={`#/identities/${encodeURIComponent(row.id)}`}>{row.name}</a> },
              { label: 'Kind', render: (row) => row.kind },
              { label: 'Owner', render: (row) => row.owner },
              { label: 'Environment', render: (row) => row.environment },
              { label: 'Risk', render: (row) => <Tier tier={row.risk_tier} /> },
              { label: 'Status', render: (row) => <Status status={row.status} /> },
              { label: 'Expires', render: (row) => <When at={row.expires_at} /> },
            ]} />
          <Pager hasPrevious={Boolean(cursor)} next={data.next_cursor}
            onFirst={() => navigate('/inventory', filters)}
            onNext={() => navigate('/inventory', { ...filters, cursor: data.next_cursor })} />
        </>
      ) : null}
      <p class="muted"><a href={href('/findings')}>Findings by identity</a> are on the Findings page.</p>
    </section>
  );
}
