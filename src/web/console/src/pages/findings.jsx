// Findings and maturity: charts of the unresolved findings by severity,
// owner team and OWASP NHI entry (GET /v1/findings/summary), each bar a
// link to the findings behind it; the list itself (cursor pages, links to
// the identities); the three maturity shares over time (GET /v1/maturity).
import { get, queryString } from '../api.js';
import { href, navigate } from '../router.js';
import { BarChart, ShareChart } from '../charts.jsx';
import { ErrorNote, Loading, Pager, Table, Tier, When, useLoad } from '../ui.jsx';

const kSeverities = ['critical', 'high', 'medium', 'low'];
const kSeverityTone = { critical: 'bad', high: 'bad', medium: 'warn', low: 'ok' };
const kFilters = ['severity', 'owner', 'owasp', 'rule'];

const byCount = (object) => Object.entries(object || {}).sort((a, b) => b[1] - a[1]);

export function Findings({ route }) {
  const filters = Object.fromEntries(kFilters.map((k) => [k, route.params[k] || '']));
  const cursor = route.params.cursor || '';
  const key = JSON.stringify(filters);
  const summary = useLoad((signal) => get(`/v1/findings/summary${queryString({ ...filters, state: 'unresolved' })}`, { signal }), [key]);
  const list = useLoad((signal) => get(`/v1/findings${queryString({ ...filters, state: 'unresolved', cursor, limit: 25 })}`, { signal }), [key, cursor]);
  const maturity = useLoad((signal) => get(`/v1/maturity${queryString({ team: filters.owner, history: 30, drill_down: 10 })}`, { signal }), [filters.owner]);
  const drill = (name, value) => href('/findings', { ...filters, [name]: value });
  const s = summary.data;
  const history = [...(maturity.data?.history || [])].reverse();
  const point = (field) => history.map((h) => ({ x: new Date(h.taken_at), y: typeof h[field] === 'object' ? h[field].share : h[field] }));
  const active = kFilters.filter((k) => filters[k]);
  return (
    <section aria-labelledby="findings-title">
      <h1 id="findings-title">Findings and maturity</h1>
      {active.length ? (
        <p>Filtered by {active.map((k) => <code>{k}={filters[k]}</code>).reduce((a, b) => [a, ', ', b])}.{' '}
          <a href="#/findings">Show all</a></p>
      ) : null}
      <ErrorNote error={summary.error} />
      <Loading when={summary.loading && !s} />
      {s ? (
        <>
          <p><strong>{s.total}</strong> unresolved finding(s).</p>
          <div class="charts">
            <BarChart id="by-severity" title="By severity"
              items={kSeverities.filter((v) => s.by_severity?.[v]).map((v) => ({ label: v, value: s.by_severity[v], tone: kSeverityTone[v], href: drill('severity', v) }))} />
            <BarChart id="by-team" title="By owner team"
              items={byCount(s.by_owner).slice(0, 10).map(([team, n]) => ({ label: team, value: n, href: drill('owner', team) }))} />
            <BarChart id="by-owasp" title="By OWASP NHI Top 10 entry"
              items={byCount(s.by_owasp).map(([entry, n]) => ({ label: entry, value: n, href: drill('owasp', entry) }))} />
          </div>
        </>
      ) : null}
      <h2>Maturity{filters.owner ? ` of ${filters.owner}` : ''}</h2>
      <ErrorNote error={maturity.error} />
      {maturity.data ? (
        <div class="charts">
          <ShareChart id="maturity" title="Inventoried, justified and revocable shares over time"
            series={[
              { name: 'inventoried', tone: 'a', points: point('inventoried') },
              { name: 'justified', tone: 'b', points: point('justified') },
              { name: 'revocable', tone: 'c', points: point('revocable') },
            ]} />
          <div>
            {['inventoried', 'justified', 'revocable'].map((share) => {
              const m = maturity.data[share];
              return (
                <div class="share">
                  <h3>{share[0].toUpperCase() + share.slice(1)}: {Math.round(m.share * 100)}% <span class="muted">({m.ok} of {m.total})</span></h3>
                  {m.failing?.length ? (
                    <ul>{m.failing.map((f) => <li>{f.kind === 'identity' || f.kind === undefined
                      ? <a href={`#/identities/${encodeURIComponent(f.id)}`}>{f.name || f.id}</a> : `${f.kind} ${f.name || f.id}`}
                      {f.owner ? <span class="muted"> · {f.owner}</span> : null}</li>)}</ul>
                  ) : null}
                </div>
              );
            })}
          </div>
        </div>
      ) : null}
      <h2>Unresolved findings</h2>
      <ErrorNote error={list.error} />
      {list.data ? (
        <>
          <Table caption="Unresolved findings, newest first" rows={list.data.items} rowKey={(f) => f.id} empty="No findings."
            columns={[
              { label: 'Rule', render: (f) => <a href={drill('rule', f.rule)}>{f.rule}</a> },
              { label: 'Severity', render: (f) => <Tier tier={f.severity} /> },
              { label: 'OWASP', render: (f) => f.owasp },
              { label: 'Subject', render: (f) => (f.identity ? <a href={`#/identities/${encodeURIComponent(f.identity)}`}>{f.subject}</a> : f.subject) },
              { label: 'Owner', render: (f) => f.owner },
              { label: 'First seen', render: (f) => <When at={f.first_seen} /> },
            ]} />
          <Pager hasPrevious={Boolean(cursor)} next={list.data.next_cursor}
            onFirst={() => navigate('/findings', filters)}
            onNext={() => navigate('/findings', { ...filters, cursor: list.data.next_cursor })} />
        </>
      ) : null}
    </section>
  );
}
