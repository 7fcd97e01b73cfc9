// Approvals inbox: what waits for a decision (GET /v1/approvals), with
// the release notes, risk tier and identities the deciding domain put in
// its context; approve or decline with a reason.
import { get, post, queryString } from '../api.js';
import { navigate } from '../router.js';
import { can } from '../roles.js';
import { ErrorNote, Loading, Pager, ReasonAction, Select, Badge, Tier, When, useLoad } from '../ui.jsx';

const kStates = ['pending', 'approved', 'declined', 'expired'];
const kKinds = ['stage_advance', 'tenant_activation', 'identity_change', 'exception'];

// A context member as text: lists joined, objects as "key value" pairs
// (one level), empty as "none".
function ContextValue({ value }) {
  if (value === null || value === undefined || value === '') return <span class="muted">none</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return value.every((item) => typeof item !== 'object')
      ? value.join(', ') : <ul>{value.map((item) => <li><ContextValue value={item} /></li>)}</ul>;
  }
  if (typeof value === 'object') {
    return (
      <span class="because">
        {Object.entries(value).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
          .map(([key, v]) => (
            <span class="kv"><span class="muted">{key.replace(/_/g, ' ')}</span>{' '}
              {typeof v === 'object' ? (Array.isArray(v) && v.every((i) => typeof i !== 'object') ? v.join(', ') : JSON.stringify(v)) : String(v)}</span>
          ))}
      </span>
    );
  }
  return String(value);
}

function Context({ context }) {
  if (!context || Object.keys(context).length === 0) return null;
  return (
    <dl class="facts compact">
      {Object.entries(context).map(([key, value]) => (
        <>
          <dt>{key.replace(/_/g, ' ')}</dt>
          <dd>{key === 'risk_tier' ? <Tier tier={value} /> : <ContextValue value={value} />}</dd>
        </>
      ))}
    </dl>
  );
}

function ApprovalCard({ approval, user, onDecided }) {
  const decide = (verb) => async (reason) => {
    await post(`/v1/approvals/${encodeURIComponent(approval.id)}/${verb}`, { reason });
    onDecided();
  };
  const pending = approval.state === 'pending';
  return (
    <li class="card approval" aria-labelledby={`approval-${approval.id}`}>
      <h2 id={`approval-${approval.id}`}>
        {approval.kind.replace(/_/g, ' ')}
        {approval.tenant ? <> for tenant <code>{approval.tenant}</code></> : null}
        {' '}<Badge tone={pending ? 'warn' : approval.state === 'approved' ? 'ok' : 'bad'}>{approval.state}</Badge>
      </h2>
      <p>
        Requested by <strong>{approval.requester}</strong> · decided by {approval.approver || `any ${approval.approver_role}`}
        {' '}· expires <When at={approval.expires_at} />
        {approval.release_id ? <> · release <a href={`#/releases/${encodeURIComponent(approval.release_id)}`}>{approval.release_id}</a></> : null}
        {approval.identity ? <> · identity <a href={`#/identities/${encodeURIComponent(approval.identity)}`}>{approval.identity}</a></> : null}
      </p>
      {approval.reason ? <p>Why: {approval.reason}</p> : null}
      <Context context={approval.context} />
      {approval.decision ? <p>Decided by {approval.decision.by} at <When at={approval.decision.at} />: {approval.decision.reason}</p> : null}
      {pending && can(user, 'approval.decide') ? (
        <div class="actions" role="group" aria-label="Decision">
          <ReasonAction id={`approve-${approval.id}`} label="Approve" tone="primary" onSubmit={decide('approve')} />
          <ReasonAction id={`decline-${approval.id}`} label="Decline" tone="danger" onSubmit={decide('decline')} />
        </div>
      ) : null}
    </li>
  );
}

export function Approvals({ route, user }) {
  const state = route.params.state || 'pending';
  const mine = route.params.mine === 'true';
  const kind = route.params.kind || '';
  const after = route.params.after || '';
  const filters = { state, mine: mine ? 'true' : '', kind };
  const { data, error, loading, reload } = useLoad(
    (signal) => get(`/v1/approvals${queryString({ ...filters, after, limit: 25 })}`, { signal }),
    [state, mine, kind, after]);
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">Approvals</h1>
      <form class="filters" aria-label="Filter approvals" onSubmit={(e) => e.preventDefault()}>
        <Select id="approvals-state" label="State" value={state} blank={null} options={kStates}
          onChange={(value) => navigate('/approvals', { ...filters, state: value })} />
        <Select id="approvals-kind" label="Kind" value={kind} options={kKinds}
          onChange={(value) => navigate('/approvals', { ...filters, kind: value })} />
        <div class="field checkbox">
          <input id="approvals-mine" type="checkbox" checked={mine}
            onChange={(e) => navigate('/approvals', { ...filters, mine: e.currentTarget.checked ? 'true' : '' })} />
          <label for="approvals-mine">Waiting for me</label>
        </div>
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data ? (
        data.items.length ? <ul class="cards">{data.items.map((a) => <ApprovalCard approval={a} user={user} onDecided={reload} />)}</ul>
          : <p class="muted">Nothing here.</p>
      ) : null}
      {data ? <Pager hasPrevious={Boolean(after)} next={data.next_after}
        onFirst={() => navigate('/approvals', filters)}
        onNext={() => navigate('/approvals', { ...filters, after: data.next_after })} /> : null}
    </section>
  );
}
