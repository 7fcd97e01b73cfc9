#include "store/postgres/pg_schema.h"

#include <string>

#include "store/sql/migrations.h"

namespace warden::postgres {
namespace {

// The SQLite schema at version 12, translated (pg_schema.h), in SQLite's
// order: tables, columns (those SQLite added later by ALTER TABLE are last,
// where SQLite has them), keys, constraints and indexes are those of
// store/sqlite/schema.cc. Where meaning differs:
//   - A TEXT primary key is NOT NULL here; SQLite accepts NULL in one. The
//     repositories never store a NULL key.
//   - audit_log.sequence is SQLite's INTEGER PRIMARY KEY, an alias of the
//     rowid, which SQLite fills in when NULL is inserted; here a plain
//     BIGINT key that is never filled in. The audit writer always assigns
//     it (head + 1).
//   - WITHOUT ROWID has no counterpart: every table is a heap beside its
//     primary-key index. Lookups are the same; only storage differs.
//   - "user" (api_tokens, user_credentials, console_sessions) is a reserved
//     word in PostgreSQL (bare, it means CURRENT_USER), so it is quoted:
//     queries must write "user", which SQLite accepts too.
//   - Columns SQLite reads as booleans (INTEGER 0/1) stay BIGINT, so the
//     shared repositories bind and read them as on SQLite.
//   - Not carried over: identity_name_trigrams (FTS5), its triggers and
//     identity_name_pending. identities_name_trgm (pg_trgm, GIN) serves the
//     name search instead: queries test lower(name) LIKE '%needle%', which
//     it answers. lower() under COLLATE "C" folds ASCII letters only, as the
//     SQLite search does (identity_name_search.h).
//   - SQLite's schema has no seed rows, json or strftime defaults, or
//     AUTOINCREMENT: nothing of those to translate.
constexpr char kBaseline[] = R"sql(
CREATE TABLE teams (
  name TEXT COLLATE "C" PRIMARY KEY,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
CREATE TABLE team_members (
  team TEXT COLLATE "C" NOT NULL REFERENCES teams(name) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  member TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (team, position)
);

CREATE TABLE identities (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  kind TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL REFERENCES teams(name),
  application TEXT COLLATE "C" NOT NULL,
  environment TEXT COLLATE "C" NOT NULL,
  business_function TEXT COLLATE "C" NOT NULL,
  risk_tier TEXT COLLATE "C" NOT NULL,
  risk_tier_declared BIGINT NOT NULL,
  risk_reason TEXT COLLATE "C" NOT NULL,
  auth_method TEXT COLLATE "C" NOT NULL,
  scopes TEXT COLLATE "C" NOT NULL,
  rotation_days BIGINT,
  expires_at_us BIGINT NOT NULL,
  justification TEXT COLLATE "C" NOT NULL,
  vendor TEXT COLLATE "C" NOT NULL,
  tenant TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  status_reason TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  last_used_at_us BIGINT,
  version BIGINT NOT NULL,
  external_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  sponsor TEXT COLLATE "C" NOT NULL DEFAULT '',
  task_scope TEXT COLLATE "C" NOT NULL DEFAULT ''
);
-- Each filter of IdentityFilter ends in id, so a filtered page is an index
-- range scan already in keyset order.
CREATE INDEX identities_owner ON identities(owner, id);
CREATE INDEX identities_owner_status ON identities(owner, status, id);
CREATE INDEX identities_application ON identities(application, id);
CREATE INDEX identities_environment_kind ON identities(environment, kind, id);
CREATE INDEX identities_kind ON identities(kind, id);
CREATE INDEX identities_status ON identities(status, id);
CREATE INDEX identities_vendor ON identities(vendor, id);
CREATE INDEX identities_tenant ON identities(tenant, id);
CREATE INDEX identities_expires ON identities(expires_at_us);
CREATE INDEX identities_status_expires ON identities(status, expires_at_us);
CREATE INDEX identities_external_id ON identities(external_id)
  WHERE external_id != '';
CREATE INDEX identities_risk_tier_expires
  ON identities(risk_tier, id, expires_at_us);
-- Name search. An extension belongs to the database, not to a schema: it
-- may already sit in a schema off this store's search path (another store
-- in the same database), so the operator class is named with the schema
-- pg_trgm lives in. Queries need no such name: LIKE finds the index by its
-- operator, which is pg_catalog's.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
BEGIN
  EXECUTE format(
    'CREATE INDEX identities_name_trgm ON identities '
    'USING gin (lower(name) %I.gin_trgm_ops)',
    (SELECT n.nspname FROM pg_extension e
       JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_trgm'));
END
$$;

CREATE TABLE policy_exceptions (
  id TEXT COLLATE "C" PRIMARY KEY,
  identity_name TEXT COLLATE "C" NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  justification TEXT COLLATE "C" NOT NULL,
  requested_by TEXT COLLATE "C" NOT NULL,
  approved_by TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  expires_at_us BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  decided_at_us BIGINT
);
CREATE INDEX policy_exceptions_identity
  ON policy_exceptions(identity_name, created_at_us);
CREATE INDEX policy_exceptions_created ON policy_exceptions(created_at_us);

CREATE TABLE users (
  name TEXT COLLATE "C" PRIMARY KEY,
  email TEXT COLLATE "C" NOT NULL,
  role TEXT COLLATE "C" NOT NULL,
  team TEXT COLLATE "C" NOT NULL,
  disabled BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id TEXT COLLATE "C" PRIMARY KEY,
  secret_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  "user" TEXT COLLATE "C" NOT NULL,
  role TEXT COLLATE "C" NOT NULL,
  team TEXT COLLATE "C" NOT NULL,
  environment TEXT COLLATE "C",
  tenant TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  expires_at_us BIGINT NOT NULL,
  revoked_at_us BIGINT,
  last_used_at_us BIGINT
);

CREATE TABLE audit_log (
  sequence BIGINT PRIMARY KEY,
  time_us BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,
  details TEXT COLLATE "C" NOT NULL,
  prev_hash TEXT COLLATE "C" NOT NULL,
  hash TEXT COLLATE "C" NOT NULL,
  format BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX audit_log_actor ON audit_log(actor, sequence);
CREATE INDEX audit_log_target ON audit_log(target, sequence);
CREATE INDEX audit_log_action ON audit_log(action, sequence);
CREATE INDEX audit_log_time ON audit_log(time_us);

CREATE TABLE settings (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);

-- Release exposure: flags, tenants, segments, exposure limits.
CREATE TABLE flags (
  environment TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  enabled BIGINT NOT NULL,
  archived BIGINT NOT NULL,
  definition TEXT COLLATE "C" NOT NULL,
  owner_team TEXT COLLATE "C" NOT NULL,
  release TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  stale_after_days BIGINT NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  last_evaluated_at_us BIGINT,
  version BIGINT NOT NULL,
  PRIMARY KEY (environment, key)
);

CREATE TABLE tenants (
  key TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  account_manager TEXT COLLATE "C" NOT NULL,
  attributes TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX tenants_account_manager ON tenants(account_manager, key);
CREATE TABLE tenant_integrations (
  tenant TEXT COLLATE "C" NOT NULL REFERENCES tenants(key) ON DELETE CASCADE,
  integration TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant, integration)
);
CREATE INDEX tenant_integrations_integration
  ON tenant_integrations(integration, tenant);

-- Explicit members are rows, not a JSON array in segments.
CREATE TABLE segments (
  key TEXT COLLATE "C" PRIMARY KEY,
  description TEXT COLLATE "C" NOT NULL,
  rules TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE TABLE segment_tenants (
  segment TEXT COLLATE "C" NOT NULL REFERENCES segments(key) ON DELETE CASCADE,
  tenant_key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (segment, tenant_key)
);

CREATE TABLE exposure_limits (
  id TEXT COLLATE "C" PRIMARY KEY,
  scope TEXT COLLATE "C" NOT NULL,
  scope_values TEXT COLLATE "C" NOT NULL,
  flag_keys TEXT COLLATE "C" NOT NULL,
  environment TEXT COLLATE "C",
  reason TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  lifted_at_us BIGINT,
  lifted_by TEXT COLLATE "C" NOT NULL,
  lift_reason TEXT COLLATE "C" NOT NULL,
  actor_role TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX exposure_limits_created ON exposure_limits(created_at_us, id);
CREATE TABLE exposure_limit_reports (
  limit_id TEXT COLLATE "C" PRIMARY KEY REFERENCES exposure_limits(id),
  time_to_limit_us BIGINT,
  report TEXT COLLATE "C" NOT NULL
);

-- OAuth: client credentials, signing keys, revocation, gating flags.
CREATE TABLE oauth_client_credentials (
  identity_id TEXT COLLATE "C" PRIMARY KEY REFERENCES identities(id),
  method TEXT COLLATE "C" NOT NULL,
  secret_hash TEXT COLLATE "C" NOT NULL,
  previous_secret_hash TEXT COLLATE "C" NOT NULL,
  previous_valid_until_us BIGINT,
  jwks TEXT COLLATE "C" NOT NULL,
  updated_at_us BIGINT NOT NULL
);
CREATE TABLE oauth_signing_keys (
  kid TEXT COLLATE "C" PRIMARY KEY,
  algorithm TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  activated_at_us BIGINT,
  retired_at_us BIGINT,
  sealed_private_key TEXT COLLATE "C" NOT NULL
);
-- One row: identity/tenant epochs and the expiring jti deny-list.
CREATE TABLE oauth_revocation_state (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  document TEXT COLLATE "C" NOT NULL
);
CREATE TABLE identity_gating_flags (
  identity_id TEXT COLLATE "C" NOT NULL REFERENCES identities(id),
  flag_key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (identity_id, flag_key)
);
-- Reverse view: the identities a flag gates.
CREATE INDEX identity_gating_flags_flag
  ON identity_gating_flags(flag_key, identity_id);
CREATE TABLE identity_scope_usage (
  identity_id TEXT COLLATE "C" NOT NULL REFERENCES identities(id),
  scope TEXT COLLATE "C" NOT NULL,
  last_used_at_us BIGINT NOT NULL,
  PRIMARY KEY (identity_id, scope)
);

-- Short-lived certificates, secret store, break-glass.
CREATE TABLE certificates (
  serial TEXT COLLATE "C" PRIMARY KEY,
  identity_id TEXT COLLATE "C" NOT NULL,
  spiffe_id TEXT COLLATE "C" NOT NULL,
  key_type TEXT COLLATE "C" NOT NULL,
  not_before_us BIGINT NOT NULL,
  not_after_us BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  revoked_at_us BIGINT,
  revocation_reason TEXT COLLATE "C" NOT NULL,
  issued_by TEXT COLLATE "C" NOT NULL,
  renewed_from TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL
);
CREATE INDEX certificates_identity ON certificates(identity_id, created_at_us);
CREATE INDEX certificates_created ON certificates(created_at_us);
CREATE INDEX certificates_revoked ON certificates(status, not_after_us);

CREATE TABLE secrets (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  identity_id TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  current_version BIGINT NOT NULL,
  rotation_due_at_us BIGINT,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
-- Sealed bytes only (base64url); the KEK lives outside the database.
CREATE TABLE secret_versions (
  secret_id TEXT COLLATE "C" NOT NULL REFERENCES secrets(id),
  version BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  ciphertext TEXT COLLATE "C" NOT NULL,
  nonce TEXT COLLATE "C" NOT NULL,
  wrapped_key TEXT COLLATE "C" NOT NULL,
  wrap_nonce TEXT COLLATE "C" NOT NULL,
  kek_id TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  inactive_until_us BIGINT,
  PRIMARY KEY (secret_id, version)
);

CREATE TABLE break_glass_events (
  id TEXT COLLATE "C" PRIMARY KEY,
  kind TEXT COLLATE "C" NOT NULL,
  target_id TEXT COLLATE "C" NOT NULL,
  target_name TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  expires_at_us BIGINT NOT NULL,
  ended_at_us BIGINT,
  reviewed_by TEXT COLLATE "C" NOT NULL,
  reviewed_at_us BIGINT,
  review_note TEXT COLLATE "C" NOT NULL
);
CREATE INDEX break_glass_created ON break_glass_events(created_at_us, id);

-- Release governance: releases, approvals, consents, signals. Ids are
-- time-ordered: "ORDER BY id DESC" is newest first.
CREATE TABLE releases (
  id TEXT COLLATE "C" PRIMARY KEY,
  service TEXT COLLATE "C" NOT NULL,
  service_version TEXT COLLATE "C" NOT NULL,
  environment TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  risk_tier TEXT COLLATE "C" NOT NULL,
  risk_tier_declared BIGINT NOT NULL,
  risk_reason TEXT COLLATE "C" NOT NULL,
  flags TEXT COLLATE "C" NOT NULL,
  identities TEXT COLLATE "C" NOT NULL,
  integrations TEXT COLLATE "C" NOT NULL,
  notes TEXT COLLATE "C" NOT NULL,
  plan TEXT COLLATE "C" NOT NULL,
  stage BIGINT NOT NULL,
  stage_entered_at_us BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  state_reason TEXT COLLATE "C" NOT NULL,
  next_advance_at_us BIGINT,
  runbook TEXT COLLATE "C" NOT NULL,
  runbook_dry_run_at_us BIGINT,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX releases_service ON releases(service, id);
CREATE INDEX releases_owner ON releases(owner, id);
CREATE INDEX releases_state ON releases(state, id);
CREATE INDEX releases_due ON releases(next_advance_at_us)
  WHERE next_advance_at_us IS NOT NULL;
-- Reverse views: what depends on a flag, an identity, an integration.
CREATE TABLE release_flags (
  flag_key TEXT COLLATE "C" NOT NULL,
  release_id TEXT COLLATE "C" NOT NULL REFERENCES releases(id),
  environment TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (flag_key, release_id)
);
CREATE INDEX release_flags_environment
  ON release_flags(environment, flag_key, release_id);
CREATE TABLE release_identities (
  identity_id TEXT COLLATE "C" NOT NULL,
  release_id TEXT COLLATE "C" NOT NULL REFERENCES releases(id),
  PRIMARY KEY (identity_id, release_id)
);
CREATE TABLE release_integrations (
  integration TEXT COLLATE "C" NOT NULL,
  release_id TEXT COLLATE "C" NOT NULL REFERENCES releases(id),
  PRIMARY KEY (integration, release_id)
);
CREATE TABLE release_signals (
  release_id TEXT COLLATE "C" NOT NULL REFERENCES releases(id),
  name TEXT COLLATE "C" NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  observed_at_us BIGINT NOT NULL,
  PRIMARY KEY (release_id, name)
);

CREATE TABLE approvals (
  id TEXT COLLATE "C" PRIMARY KEY,
  kind TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  release_id TEXT COLLATE "C" NOT NULL,
  tenant_key TEXT COLLATE "C" NOT NULL,
  identity_id TEXT COLLATE "C" NOT NULL,
  stage BIGINT NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  requester TEXT COLLATE "C" NOT NULL,
  requester_user TEXT COLLATE "C" NOT NULL,
  approver_role TEXT COLLATE "C" NOT NULL,
  approver TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  ticket TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  expires_at_us BIGINT NOT NULL,
  decided_by TEXT COLLATE "C" NOT NULL,
  decided_at_us BIGINT,
  decision_reason TEXT COLLATE "C" NOT NULL,
  version BIGINT NOT NULL
);
-- The inbox: pending requests for a role, or for one named approver.
CREATE INDEX approvals_inbox ON approvals(state, approver_role, id);
CREATE INDEX approvals_approver ON approvals(state, approver, id);
CREATE INDEX approvals_requester ON approvals(requester, id);
CREATE INDEX approvals_release ON approvals(release_id, tenant_key, id);
CREATE INDEX approvals_identity ON approvals(identity_id, id);
CREATE INDEX approvals_expiry ON approvals(expires_at_us)
  WHERE state = 'pending';
CREATE INDEX approvals_open ON approvals(state, approver_role, approver, id);
CREATE INDEX approvals_tenant ON approvals(tenant_key, id);

CREATE TABLE tenant_consents (
  tenant_key TEXT COLLATE "C" NOT NULL,
  flag_key TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  via TEXT COLLATE "C" NOT NULL,
  release_id TEXT COLLATE "C" NOT NULL,
  recorded_by TEXT COLLATE "C" NOT NULL,
  recorded_at_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_key, flag_key, kind)
);
CREATE INDEX tenant_consents_flag ON tenant_consents(flag_key, tenant_key);

-- Posture: findings, observations, reviews, maturity, usage.
CREATE TABLE findings (
  id TEXT COLLATE "C" PRIMARY KEY,
  fingerprint TEXT COLLATE "C" NOT NULL UNIQUE,
  rule TEXT COLLATE "C" NOT NULL,
  severity TEXT COLLATE "C" NOT NULL,
  subject_key TEXT COLLATE "C" NOT NULL,
  identity_id TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  owasp TEXT COLLATE "C" NOT NULL,
  csf TEXT COLLATE "C" NOT NULL,
  evidence TEXT COLLATE "C" NOT NULL,
  remediation TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  ack_reason TEXT COLLATE "C" NOT NULL,
  ack_by TEXT COLLATE "C" NOT NULL,
  ack_expires_at_us BIGINT,
  first_seen_us BIGINT NOT NULL,
  last_seen_us BIGINT NOT NULL,
  resolved_at_us BIGINT,
  version BIGINT NOT NULL
);
CREATE INDEX findings_subject ON findings(subject_key);
CREATE INDEX findings_state ON findings(state, id);
CREATE INDEX findings_rule ON findings(rule, state, id);
CREATE INDEX findings_owner ON findings(owner, state, id);
CREATE INDEX findings_owasp ON findings(owasp, state, id);
CREATE INDEX findings_identity ON findings(identity_id, id);

CREATE TABLE observations (
  kind TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  source TEXT COLLATE "C" NOT NULL,
  scan_target TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  location TEXT COLLATE "C" NOT NULL,
  attributes TEXT COLLATE "C" NOT NULL,
  identity_id TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  changes TEXT COLLATE "C" NOT NULL,
  first_seen_us BIGINT NOT NULL,
  last_seen_us BIGINT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX observations_identity ON observations(identity_id, state);
CREATE INDEX observations_scan
  ON observations(source, scan_target, last_seen_us);
CREATE INDEX observations_state ON observations(state, kind, key);

CREATE TABLE scan_runs (
  id TEXT COLLATE "C" PRIMARY KEY,
  source TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  observations BIGINT NOT NULL,
  issues BIGINT NOT NULL,
  issues_detail TEXT COLLATE "C" NOT NULL,
  started_by TEXT COLLATE "C" NOT NULL,
  started_at_us BIGINT NOT NULL,
  finished_at_us BIGINT
);

CREATE TABLE review_campaigns (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  scope TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  due_at_us BIGINT NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  closed_at_us BIGINT,
  version BIGINT NOT NULL
);
CREATE INDEX review_campaigns_due ON review_campaigns(state, due_at_us);

CREATE TABLE review_items (
  campaign_id TEXT COLLATE "C" NOT NULL REFERENCES review_campaigns(id),
  identity_id TEXT COLLATE "C" NOT NULL,
  identity_name TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  decision TEXT COLLATE "C" NOT NULL,
  justification TEXT COLLATE "C" NOT NULL,
  decided_by TEXT COLLATE "C" NOT NULL,
  decided_at_us BIGINT,
  PRIMARY KEY (campaign_id, identity_id)
);
CREATE INDEX review_items_kept ON review_items(identity_id)
  WHERE decision = 'keep';

CREATE TABLE maturity_snapshots (
  scope TEXT COLLATE "C" NOT NULL,
  taken_at_us BIGINT NOT NULL,
  inventoried BIGINT NOT NULL,
  observed BIGINT NOT NULL,
  justified BIGINT NOT NULL,
  revocable BIGINT NOT NULL,
  identities BIGINT NOT NULL,
  PRIMARY KEY (scope, taken_at_us)
);

CREATE TABLE usage_sightings (
  identity_id TEXT COLLATE "C" NOT NULL,
  source_network TEXT COLLATE "C" NOT NULL,
  user_agent TEXT COLLATE "C" NOT NULL,
  client TEXT COLLATE "C" NOT NULL,
  first_seen_us BIGINT NOT NULL,
  last_seen_us BIGINT NOT NULL,
  uses BIGINT NOT NULL,
  hours_mask BIGINT NOT NULL,
  weekdays_mask BIGINT NOT NULL,
  PRIMARY KEY (identity_id, source_network, user_agent, client)
);

-- Console sign-in: credentials, sessions (by the SHA-256 of the cookie),
-- pending OIDC logins.
CREATE TABLE user_credentials (
  "user" TEXT COLLATE "C" PRIMARY KEY,
  password_hash TEXT COLLATE "C" NOT NULL,
  totp_sealed TEXT COLLATE "C" NOT NULL,
  totp_last_step BIGINT NOT NULL,
  failed_attempts BIGINT NOT NULL,
  locked_until_us BIGINT,
  updated_at_us BIGINT NOT NULL
);
CREATE TABLE console_sessions (
  id_hash TEXT COLLATE "C" PRIMARY KEY,
  "user" TEXT COLLATE "C" NOT NULL,
  method TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  last_seen_at_us BIGINT NOT NULL,
  expires_at_us BIGINT NOT NULL,
  ended_at_us BIGINT,
  remote TEXT COLLATE "C" NOT NULL,
  user_agent TEXT COLLATE "C" NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions("user", ended_at_us);
CREATE INDEX console_sessions_expires ON console_sessions(expires_at_us);
CREATE TABLE oidc_logins (
  state_hash TEXT COLLATE "C" PRIMARY KEY,
  nonce TEXT COLLATE "C" NOT NULL,
  code_verifier TEXT COLLATE "C" NOT NULL,
  return_to TEXT COLLATE "C" NOT NULL,
  created_at_us BIGINT NOT NULL,
  expires_at_us BIGINT NOT NULL
);

-- PostgreSQL only. One row per write commit: the ChangeKeys it changed,
-- newline-separated. The writer assigns revision under the cluster-wide
-- writer lock, so revisions are dense and in commit order; a replica that
-- (re)connects reads the rows after the last revision it saw.
CREATE TABLE change_log (
  revision BIGINT PRIMARY KEY,
  origin TEXT COLLATE "C" NOT NULL,
  keys TEXT COLLATE "C" NOT NULL,
  committed_at_us BIGINT NOT NULL
);
CREATE INDEX change_log_committed ON change_log(committed_at_us);
)sql";

// Append only: never edit a migration that has shipped. The first is the
// baseline, numbered as the SQLite schema it translates (pg_schema.h); each
// later one takes the number of its SQLite twin.
constexpr sql::Migration kMigrations[] = {
    {12,
     "baseline: the SQLite schema at version 12, pg_trgm name index, "
     "change log",
     kBaseline},
    {13, "oauth: client assertion jtis shared by replicas", R"sql(
CREATE TABLE client_assertion_jtis (
  client_id TEXT COLLATE "C" NOT NULL,
  jti TEXT COLLATE "C" NOT NULL,
  expires_at_us BIGINT NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jtis_expires
  ON client_assertion_jtis(expires_at_us);
)sql"},
    {14, "audit sinks: delivery cursors and leases", R"sql(
CREATE TABLE audit_sink_cursors (
  sink TEXT COLLATE "C" PRIMARY KEY,
  delivered_sequence BIGINT NOT NULL,
  holder TEXT COLLATE "C" NOT NULL,
  lease_expires_at_us BIGINT NOT NULL,
  updated_at_us BIGINT NOT NULL
);
)sql"},
    {15, "audit retention: the signed chain anchor left by pruning", R"sql(
-- One row (id 1) once records were archived and pruned: the last pruned
-- record's sequence, hash and format, signed by the checkpoint key
-- (audit/audit_anchor.h). Verification starts from it.
CREATE TABLE audit_anchor (
  id BIGINT PRIMARY KEY,
  sequence BIGINT NOT NULL,
  hash TEXT COLLATE "C" NOT NULL,
  format BIGINT NOT NULL,
  time_us BIGINT NOT NULL,
  key_id TEXT COLLATE "C" NOT NULL,
  signature TEXT COLLATE "C" NOT NULL
);
)sql"},
    {16, "oauth: mutual-TLS client authentication (RFC 8705)", R"sql(
ALTER TABLE oauth_client_credentials
  ADD COLUMN certificate_field TEXT COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN certificate_value TEXT COLLATE "C" NOT NULL DEFAULT '';
)sql"},
};

}  // namespace

int64_t PostgresSchemaVersion() { return sql::LatestVersion(kMigrations); }

Status MigratePostgresSchema(sql::Connection& connection, int64_t now_us) {
  return sql::RunMigrations(
      connection,
      sql::MigrationPlan{
          // READ COMMITTED: each statement sees what was committed before
          // it began, so the version read after the lock wait sees the
          // migration of the process that held the lock (a REPEATABLE READ
          // snapshot would be taken by the lock statement, before the wait).
          "BEGIN ISOLATION LEVEL READ COMMITTED",
          // The lock comes first: two sessions creating schema_migrations
          // at once can collide in the catalog even with IF NOT EXISTS.
          "SELECT pg_advisory_xact_lock(" +
              std::to_string(kSchemaMigrationLock) +
              "); CREATE TABLE IF NOT EXISTS schema_migrations (version "
              "BIGINT PRIMARY KEY, description TEXT COLLATE \"C\" NOT NULL, "
              "applied_at_us BIGINT NOT NULL)",
          kMigrations},
      now_us);
}

}  // namespace warden::postgres
