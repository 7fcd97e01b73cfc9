// Releases: the list (GET /v1/releases, cursor pages) and one release:
// its stages, readiness checks, guardrails and the approvals pending per
// tenant; advance, pause, roll back, request a tenant's activation.
import { useState } from 'preact/hooks';
import { get, post, queryString } from '../api.js';
import { href, navigate } from '../router.js';
import { can } from '../roles.js';
import { Badge, ErrorNote, Loading, Pager, ReasonAction, Select, Table, TextInput, Tier, When, useLoad } from '../ui.jsx';
import { kEnvironments } from './inventory.jsx';

const kStates = ['active', 'paused', 'rolled_back', 'complete'];

export function Releases({ route }) {
  const params = route.params;
  const filters = { service: params.service || '', owner: params.owner || '', state: params.state || '', environment: params.environment || '' };
  const [draft, setDraft] = useState(filters);
  const cursor = params.cursor || '';
  const { data, error, loading } = useLoad(
    (signal) => get(`/v1/releases${queryString({ ...filters, cursor, limit: 25 })}`, { signal }),
    [JSON.stringify(filters), cursor]);
  const set = (key) => (value) => setDraft((previous) => ({ ...previous, [key]: value }));
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">Releases</h1>
      <form class="filters" aria-label="Filter releases" onSubmit={(e) => { e.preventDefault(); navigate('/releases', draft); }}>
        <TextInput id="release-service" label="Service" value={draft.service} onInput={set('service')} />
        <TextInput id="release-owner" label="Owner team" value={draft.owner} onInput={set('owner')} />
        <Select id="release-state" label="State" value={draft.state} onChange={set('state')} options={kStates} />
        <Select id="release-environment" label="Environment" value={draft.environment} onChange={set('environment')} options={kEnvironments} />
        <div class="actions"><button type="submit" class="btn-primary">Apply filters</button></div>
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data ? (
        <>
          <Table caption="Releases, newest first" rows={data.items} rowKey={(r) => r.id} empty="No releases."
            columns={[
              { label: 'Release', render: (r) => <a href={`#/releases/${encodeURIComponent(r.id)}`}>{r.service} {r.version}</a> },
              { label: 'Environment', render: (r) => r.environment },
              { label: 'Owner', render: (r) => r.owner },
              { label: 'Risk', render: (r) => <Tier tier={r.risk_tier} /> },
              { label: 'Stage', render: (r) => r.stage },
              { label: 'State', render: (r) => r.state },
            ]} />
          <Pager hasPrevious={Boolean(cursor)} next={data.next_cursor}
            onFirst={() => navigate('/releases', filters)}
            onNext={() => navigate('/releases', { ...filters, cursor: data.next_cursor })} />
        </>
      ) : null}
    </section>
  );
}

function Stages({ release }) {
  const plan = release.plan || [];
  return (
    <ol class="stages" aria-label="Exposure plan">
      <li class={release.stage_index === 0 ? 'stage current' : 'stage done'}>deployed</li>
      {plan.map((stage, index) => {
        const position = index + 1;
        const state = position === release.stage_index ? 'current' : position < release.stage_index ? 'done' : 'next';
        return (
          <li class={`stage ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {stage.name}
            {stage.guardrails?.length ? <small> · guardrails: {stage.guardrails.map((g) => g.signal).join(', ')}</small> : null}
          </li>
        );
      })}
    </ol>
  );
}

function Activation({ release, onDone }) {
  const [tenant, setTenant] = useState('');
  return (
    <div class="inline-form">
      <TextInput id="activation-tenant" label="Tenant to activate" value={tenant} onInput={setTenant} />
      <ReasonAction id="activation" label="Request activation" onSubmit={async (reason) => {
        await post(`/v1/releases/${encodeURIComponent(release.id)}/activations`, { tenant: tenant.trim(), reason });
        onDone();
      }} />
    </div>
  );
}

export function ReleasePage({ route, user }) {
  const id = route.segments[1];
  const release = useLoad((signal) => get(`/v1/releases/${encodeURIComponent(id)}`, { signal }), [id]);
  const version = release.data?.version;
  const readiness = useLoad((signal) => get(`/v1/releases/${encodeURIComponent(id)}/readiness`, { signal }), [id, version]);
  const approvals = useLoad((signal) => get(`/v1/approvals${queryString({ release: id, state: 'pending', limit: 100 })}`, { signal }), [id, version]);
  if (release.error) return <><h1>Release</h1><ErrorNote error={release.error} /></>;
  if (!release.data) return <Loading when />;
  const r = release.data;
  const act = (verb) => async (reason) => {
    try {
      await post(`/v1/releases/${encodeURIComponent(r.id)}/${verb}`, { reason });
    } finally {
      release.reload();
    }
  };
  return (
    <article aria-labelledby="release-title">
      <p><a href="#/releases">← Releases</a></p>
      <h1 id="release-title">{r.service} {r.version} <Badge>{r.state}</Badge></h1>
      <dl class="facts">
        <dt>Environment</dt><dd>{r.environment}</dd>
        <dt>Owner</dt><dd>{r.owner}</dd>
        <dt>Risk tier</dt><dd><Tier tier={r.risk_tier} /> <span class="muted">{r.risk_reason}</span></dd>
        <dt>Flags</dt><dd>{(r.flags || []).join(', ') || '—'}</dd>
        <dt>Integrations</dt><dd>{(r.integrations || []).join(', ') || '—'}</dd>
        {r.state_reason ? <><dt>State reason</dt><dd>{r.state_reason}</dd></> : null}
      </dl>
      <h2>Stages</h2>
      <Stages release={r} />
      {can(user, 'release.operate') ? (
        <div class="actions" role="group" aria-label="Release actions">
          <ReasonAction id="advance" label="Advance" tone="primary" onSubmit={act('advance')} />
          <ReasonAction id="pause" label="Pause" tone="warn" onSubmit={act('pause')} />
          <ReasonAction id="rollback" label="Roll back" tone="danger" onSubmit={act('rollback')} />
          <Activation release={r} onDone={approvals.reload} />
        </div>
      ) : null}
      {can(user, 'limit.set') ? <p><a href={href('/kill-switch', { scope: 'release', values: r.id })}>Limit this release…</a></p> : null}
      <h2>Readiness</h2>
      <ErrorNote error={readiness.error} />
      {readiness.data ? (
        <>
          <p>{readiness.data.ready ? <Badge tone="ok">ready</Badge> : <Badge tone="bad">not ready</Badge>}</p>
          <Table caption="Readiness checks" rows={readiness.data.checks}
            columns={[
              { label: 'Check', render: (c) => <code>{c.name}</code> },
              { label: 'Result', render: (c) => (c.ok ? <Badge tone="ok">ok</Badge> : <Badge tone="bad">failing</Badge>) },
              { label: 'Detail', render: (c) => c.detail },
            ]} />
        </>
      ) : null}
      <h2>Pending approvals</h2>
      <ErrorNote error={approvals.error} />
      {approvals.data ? (
        <Table caption="Approvals this release waits for" rows={approvals.data.items} empty="None pending."
          columns={[
            { label: 'Kind', render: (a) => a.kind },
            { label: 'Tenant', render: (a) => a.tenant || '—' },
            { label: 'Approver', render: (a) => a.approver || a.approver_role },
            { label: 'Expires', render: (a) => <When at={a.expires_at} /> },
            { label: '', render: () => <a href={href('/approvals', { state: 'pending' })}>Open the inbox</a> },
          ]} />
      ) : null}
    </article>
  );
}
