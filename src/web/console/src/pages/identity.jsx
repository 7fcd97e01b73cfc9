// One identity: owner, risk tier and why, scopes granted against used,
// gating flags, certificates, the releases that use it, its findings and
// audit trail; suspend, resume and revoke with a reason.
import { get, post, queryString } from '../api.js';
import { href } from '../router.js';
import { can } from '../roles.js';
import { ErrorNote, Loading, ReasonAction, Table, Tier, When, Badge, useLoad } from '../ui.jsx';
import { Status } from './inventory.jsx';

function Section({ title, id, children }) {
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// Each part loads on its own, so one refusal (e.g. the audit trail for a
// role without audit.read) does not hide the rest.
function Part({ load, deps, children }) {
  const { data, error, loading } = useLoad(load, deps);
  if (error) return <ErrorNote error={error} />;
  if (loading && !data) return <Loading when />;
  return data ? children(data) : null;
}

function Scopes({ identity }) {
  return (
    <Part load={(signal) => get(`/v1/identities/${encodeURIComponent(identity.id)}/scopes-used`, { signal })}
      deps={[identity.id, identity.version]}>
      {(used) => {
        const lastUse = Object.fromEntries((used.items || []).map((u) => [u.scope, u.last_used_at]));
        return (
          <Table caption="Scopes granted and their last use" rows={identity.scopes || []}
            empty="No scopes granted."
            columns={[
              { label: 'Scope', render: (scope) => <code>{scope}</code> },
              { label: 'Used', render: (scope) => (lastUse[scope] ? <Badge tone="ok">used</Badge> : <Badge tone="warn">unused</Badge>) },
              { label: 'Last used', render: (scope) => <When at={lastUse[scope]} /> },
            ]} />
        );
      }}
    </Part>
  );
}

function Actions({ identity, user, onChanged }) {
  const id = encodeURIComponent(identity.id);
  const act = (action) => async (reason) => {
    await post(`/v1/identities/${id}/${action}`, { reason });
    onChanged();
  };
  const lifecycle = can(user, 'identity.lifecycle');
  if (!lifecycle || identity.status === 'revoked') return null;
  return (
    <div class="actions" role="group" aria-label="Lifecycle actions">
      {identity.status === 'active' ? <ReasonAction id="suspend" label="Suspend" tone="warn" onSubmit={act('suspend')} /> : null}
      {identity.status === 'suspended' || identity.status === 'draft' ? <ReasonAction id="resume" label="Resume" onSubmit={act('resume')} /> : null}
      {can(user, 'identity.revoke') ? <ReasonAction id="revoke" label="Revoke" tone="danger" onSubmit={act('revoke')} /> : null}
    </div>
  );
}

export function IdentityPage({ route, user }) {
  const id = route.segments[1];
  const { data: identity, error, loading, reload } = useLoad(
    (signal) => get(`/v1/identities/${encodeURIComponent(id)}`, { signal }), [id]);
  if (error) return <><h1>Identity</h1><ErrorNote error={error} /></>;
  if (loading && !identity) return <Loading when />;
  const ref = encodeURIComponent(identity.id);
  return (
    <article aria-labelledby="identity-title">
      <p><a href="#/inventory">← Inventory</a></p>
      <h1 id="identity-title">{identity.name} <Status status={identity.status} /></h1>
      <Actions identity={identity} user={user} onChanged={reload} />
      {can(user, 'limit.set') && (identity.vendor || identity.application) ? (
        <p><a href={href('/kill-switch', { scope: 'integration', values: identity.vendor || identity.application })}>
          Limit the integration {identity.vendor || identity.application}…</a></p>
      ) : null}
      <dl class="facts">
        <dt>Kind</dt><dd>{identity.kind}</dd>
        <dt>Owner team</dt><dd><a href={`#/inventory?owner=${encodeURIComponent(identity.owner)}`}>{identity.owner}</a></dd>
        <dt>Environment</dt><dd>{identity.environment}</dd>
        <dt>Application</dt><dd>{identity.application || '—'}</dd>
        <dt>Risk tier</dt><dd><Tier tier={identity.risk_tier} /> <span class="muted">{identity.risk_reason}</span></dd>
        <dt>Authentication</dt><dd>{identity.auth_method || '—'}</dd>
        <dt>Vendor</dt><dd>{identity.vendor || '—'}</dd>
        <dt>Tenant</dt><dd>{identity.tenant || '—'}</dd>
        <dt>Expires</dt><dd><When at={identity.expires_at} /></dd>
        <dt>Last used</dt><dd><When at={identity.last_used_at} /></dd>
        <dt>Justification</dt><dd>{identity.justification || '—'}</dd>
        {identity.status_reason ? <><dt>Status reason</dt><dd>{identity.status_reason}</dd></> : null}
      </dl>
      <Section title="Scopes: granted against used" id="scopes-title"><Scopes identity={identity} /></Section>
      <Section title="Gating flags" id="gating-title">
        <Part load={(signal) => get(`/v1/identities/${ref}/gating-flags`, { signal })} deps={[id, identity.version]}>
          {(gating) => (gating.flags?.length
            ? <ul>{gating.flags.map((flag) => <li><code>{flag}</code></li>)}</ul>
            : <p class="muted">No gating flags: its tokens do not depend on a flag.</p>)}
        </Part>
      </Section>
      <Section title="Certificates" id="certificates-title">
        <Part load={(signal) => get(`/v1/certificates${queryString({ identity: identity.id, limit: 20 })}`, { signal })} deps={[id]}>
          {(certificates) => (
            <Table caption="Certificates issued to it" rows={certificates.items} empty="No certificates."
              columns={[
                { label: 'Serial', render: (c) => <code>{c.serial}</code> },
                { label: 'Status', render: (c) => c.status },
                { label: 'Expires', render: (c) => <When at={c.not_after} /> },
              ]} />
          )}
        </Part>
      </Section>
      <Section title="Releases that use it" id="releases-title">
        <Part load={(signal) => get(`/v1/releases${queryString({ identity: identity.id, limit: 20 })}`, { signal })} deps={[id]}>
          {(releases) => (
            <Table caption="Releases" rows={releases.items} empty="No release uses it."
              columns={[
                { label: 'Release', render: (r) => <a href={`#/releases/${encodeURIComponent(r.id)}`}>{r.service} {r.version}</a> },
                { label: 'Stage', render: (r) => r.stage },
                { label: 'State', render: (r) => r.state },
              ]} />
          )}
        </Part>
      </Section>
      <Section title="Findings" id="findings-title">
        <Part load={(signal) => get(`/v1/findings${queryString({ identity: identity.id, state: 'unresolved', limit: 50 })}`, { signal })} deps={[id, identity.version]}>
          {(findings) => (
            <Table caption="Unresolved findings" rows={findings.items} empty="No unresolved findings."
              columns={[
                { label: 'Rule', render: (f) => f.rule },
                { label: 'Severity', render: (f) => <Tier tier={f.severity} /> },
                { label: 'OWASP', render: (f) => f.owasp },
                { label: 'Remediation', render: (f) => f.remediation },
              ]} />
          )}
        </Part>
      </Section>
      <Section title="Audit trail" id="audit-title">
        {can(user, 'audit.read') ? (
          <Part load={(signal) => get(`/v1/audit${queryString({ target: `identity/${identity.id}`, order: 'desc', limit: 50 })}`, { signal })} deps={[id, identity.version]}>
            {(audit) => (
              <Table caption="Latest 50 records about it" rows={audit.items} empty="No records."
                columns={[
                  { label: 'Time', render: (r) => <When at={r.time} /> },
                  { label: 'Actor', render: (r) => r.actor },
                  { label: 'Action', render: (r) => r.action },
                  { label: 'Outcome', render: (r) => r.outcome },
                ]} />
            )}
          </Part>
        ) : <p class="muted">Your role does not read the audit log.</p>}
      </Section>
    </article>
  );
}
