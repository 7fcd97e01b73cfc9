#include "store/sqlite/schema.h"

#include <optional>
#include <span>
#include <string>

#include "store/sql/migrations.h"
#include "store/sql/query.h"

namespace warden::sqlite {
namespace {

// A column added to an existing table. ALTER TABLE ADD COLUMN cannot be
// written "IF NOT EXISTS", so the runner adds it only when absent: that
// keeps every migration re-runnable on a database whose version rows were
// rolled back.
struct AddedColumn {
  const char* table;
  const char* column;
  const char* definition;  // e.g. "TEXT NOT NULL DEFAULT ''"
};

constexpr AddedColumn kIdentityDiscoveryColumns[] = {
    {"identities", "external_id", "TEXT NOT NULL DEFAULT ''"},
    {"identities", "sponsor", "TEXT NOT NULL DEFAULT ''"},
    {"identities", "task_scope", "TEXT NOT NULL DEFAULT ''"},
};

// The columns a migration adds before its SQL runs.
struct ColumnsAdded {
  int64_t version;
  std::span<const AddedColumn> columns;
};
constexpr AddedColumn kTlsClientAuthColumns[] = {
    {"oauth_client_credentials", "certificate_field",
     "TEXT NOT NULL DEFAULT ''"},
    {"oauth_client_credentials", "certificate_value",
     "TEXT NOT NULL DEFAULT ''"},
};

constexpr ColumnsAdded kColumnsAdded[] = {{10, kIdentityDiscoveryColumns},
                                          {16, kTlsClientAuthColumns}};

// Append only: never edit a migration that has shipped.
constexpr sql::Migration kMigrations[] = {
    {1, "initial schema", R"sql(
CREATE TABLE teams (
  name TEXT PRIMARY KEY,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
CREATE TABLE team_members (
  team TEXT NOT NULL REFERENCES teams(name) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (team, position)
);

CREATE TABLE identities (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL REFERENCES teams(name),
  application TEXT NOT NULL,
  environment TEXT NOT NULL,
  business_function TEXT NOT NULL,
  risk_tier TEXT NOT NULL,
  risk_tier_declared INTEGER NOT NULL,
  risk_reason TEXT NOT NULL,
  auth_method TEXT NOT NULL,
  scopes TEXT NOT NULL,
  rotation_days INTEGER,
  expires_at_us INTEGER NOT NULL,
  justification TEXT NOT NULL,
  vendor TEXT NOT NULL,
  tenant TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  last_used_at_us INTEGER,
  version INTEGER NOT NULL
);
-- Each filter of IdentityFilter ends in id, so a filtered page is an index
-- range scan already in keyset order (no sort, no scan past the page).
CREATE INDEX identities_owner ON identities(owner, id);
CREATE INDEX identities_owner_status ON identities(owner, status, id);
CREATE INDEX identities_application ON identities(application, id);
CREATE INDEX identities_environment_kind ON identities(environment, kind, id);
CREATE INDEX identities_kind ON identities(kind, id);
CREATE INDEX identities_risk_tier ON identities(risk_tier, id);
CREATE INDEX identities_status ON identities(status, id);
CREATE INDEX identities_vendor ON identities(vendor, id);
CREATE INDEX identities_tenant ON identities(tenant, id);
CREATE INDEX identities_expires ON identities(expires_at_us);
CREATE INDEX identities_status_expires ON identities(status, expires_at_us);

CREATE TABLE policy_exceptions (
  id TEXT PRIMARY KEY,
  identity_name TEXT NOT NULL,
  rule TEXT NOT NULL,
  justification TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  state TEXT NOT NULL,
  expires_at_us INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  decided_at_us INTEGER
);
CREATE INDEX policy_exceptions_identity
  ON policy_exceptions(identity_name, created_at_us);
CREATE INDEX policy_exceptions_created ON policy_exceptions(created_at_us);

CREATE TABLE users (
  name TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT NOT NULL,
  environment TEXT,
  tenant TEXT NOT NULL,
  description TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  revoked_at_us INTEGER,
  last_used_at_us INTEGER
);

CREATE TABLE audit_log (
  sequence INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor, sequence);
CREATE INDEX audit_log_target ON audit_log(target, sequence);
CREATE INDEX audit_log_action ON audit_log(action, sequence);
CREATE INDEX audit_log_time ON audit_log(time_us);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
    {2, "release exposure: flags, tenants, segments, exposure limits",
     R"sql(
CREATE TABLE flags (
  environment TEXT NOT NULL,
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  archived INTEGER NOT NULL,
  definition TEXT NOT NULL,
  owner_team TEXT NOT NULL,
  release TEXT NOT NULL,
  description TEXT NOT NULL,
  stale_after_days INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  last_evaluated_at_us INTEGER,
  version INTEGER NOT NULL,
  PRIMARY KEY (environment, key)
) WITHOUT ROWID;

CREATE TABLE tenants (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  account_manager TEXT NOT NULL,
  attributes TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX tenants_account_manager ON tenants(account_manager, key);
CREATE TABLE tenant_integrations (
  tenant TEXT NOT NULL REFERENCES tenants(key) ON DELETE CASCADE,
  integration TEXT NOT NULL,
  PRIMARY KEY (tenant, integration)
) WITHOUT ROWID;
CREATE INDEX tenant_integrations_integration
  ON tenant_integrations(integration, tenant);

-- Explicit members are rows, not a JSON array in segments: adding one key
-- to a 100,000-tenant segment is one index insert.
CREATE TABLE segments (
  key TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  rules TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE TABLE segment_tenants (
  segment TEXT NOT NULL REFERENCES segments(key) ON DELETE CASCADE,
  tenant_key TEXT NOT NULL,
  PRIMARY KEY (segment, tenant_key)
) WITHOUT ROWID;

CREATE TABLE exposure_limits (
  id TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  scope_values TEXT NOT NULL,
  flag_keys TEXT NOT NULL,
  environment TEXT,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  lifted_at_us INTEGER,
  lifted_by TEXT NOT NULL,
  lift_reason TEXT NOT NULL
);
CREATE INDEX exposure_limits_created ON exposure_limits(created_at_us, id);
)sql"},
    {4, "oauth: client credentials, signing keys, revocation, gating flags",
     R"sql(
CREATE TABLE oauth_client_credentials (
  identity_id TEXT PRIMARY KEY REFERENCES identities(id),
  method TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  previous_secret_hash TEXT NOT NULL,
  previous_valid_until_us INTEGER,
  jwks TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL
);
CREATE TABLE oauth_signing_keys (
  kid TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  activated_at_us INTEGER,
  retired_at_us INTEGER,
  sealed_private_key TEXT NOT NULL
);
-- One row: identity/tenant epochs and the expiring jti deny-list. Nothing
-- is stored per issued token.
CREATE TABLE oauth_revocation_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL
);
CREATE TABLE identity_gating_flags (
  identity_id TEXT NOT NULL REFERENCES identities(id),
  flag_key TEXT NOT NULL,
  PRIMARY KEY (identity_id, flag_key)
) WITHOUT ROWID;
CREATE TABLE identity_scope_usage (
  identity_id TEXT NOT NULL REFERENCES identities(id),
  scope TEXT NOT NULL,
  last_used_at_us INTEGER NOT NULL,
  PRIMARY KEY (identity_id, scope)
) WITHOUT ROWID;
)sql"},
    {5, "short-lived certificates, secret store, break-glass", R"sql(
CREATE TABLE certificates (
  serial TEXT PRIMARY KEY,
  identity_id TEXT NOT NULL,
  spiffe_id TEXT NOT NULL,
  key_type TEXT NOT NULL,
  not_before_us INTEGER NOT NULL,
  not_after_us INTEGER NOT NULL,
  status TEXT NOT NULL,
  revoked_at_us INTEGER,
  revocation_reason TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  renewed_from TEXT NOT NULL,
  created_at_us INTEGER NOT NULL
);
CREATE INDEX certificates_identity ON certificates(identity_id, created_at_us);
CREATE INDEX certificates_created ON certificates(created_at_us);
CREATE INDEX certificates_revoked ON certificates(status, not_after_us);

CREATE TABLE secrets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  identity_id TEXT NOT NULL,
  description TEXT NOT NULL,
  current_version INTEGER NOT NULL,
  rotation_due_at_us INTEGER,
  created_by TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
-- Sealed bytes only (base64url): value, nonce, wrapped data key. The KEK
-- that wraps the data keys lives outside the database.
CREATE TABLE secret_versions (
  secret_id TEXT NOT NULL REFERENCES secrets(id),
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  nonce TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  wrap_nonce TEXT NOT NULL,
  kek_id TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  inactive_until_us INTEGER,
  PRIMARY KEY (secret_id, version)
);

CREATE TABLE break_glass_events (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_name TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  ended_at_us INTEGER,
  reviewed_by TEXT NOT NULL,
  reviewed_at_us INTEGER,
  review_note TEXT NOT NULL
);
CREATE INDEX break_glass_created ON break_glass_events(created_at_us, id);
)sql"},
    {6, "exposure limits record the role that set them", R"sql(
ALTER TABLE exposure_limits ADD COLUMN actor_role TEXT NOT NULL DEFAULT '';
)sql"},
    // Existing records keep format 1 (SHA-256) and still verify as before;
    // the first keyed record marks the switch (audit_record.h).
    {7, "audit chain: link hash format per record (2: HMAC under audit.key)",
     R"sql(
ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
)sql"},
    // IF NOT EXISTS: re-runnable on a database whose version rows were
    // rolled back (as the downgrade tests of the audit chain do).
    {8, "release governance: releases, approvals, consents, signals", R"sql(
CREATE TABLE IF NOT EXISTS releases (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  service_version TEXT NOT NULL,
  environment TEXT NOT NULL,
  owner TEXT NOT NULL,
  risk_tier TEXT NOT NULL,
  risk_tier_declared INTEGER NOT NULL,
  risk_reason TEXT NOT NULL,
  flags TEXT NOT NULL,
  identities TEXT NOT NULL,
  integrations TEXT NOT NULL,
  notes TEXT NOT NULL,
  plan TEXT NOT NULL,
  stage INTEGER NOT NULL,
  stage_entered_at_us INTEGER NOT NULL,
  state TEXT NOT NULL,
  state_reason TEXT NOT NULL,
  next_advance_at_us INTEGER,
  runbook TEXT NOT NULL,
  runbook_dry_run_at_us INTEGER,
  created_by TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  version INTEGER NOT NULL
);
-- Ids are time-ordered: "ORDER BY id DESC" is newest first, and each
-- filter ends in id so a page is an index range scan.
CREATE INDEX IF NOT EXISTS releases_service ON releases(service, id);
CREATE INDEX IF NOT EXISTS releases_owner ON releases(owner, id);
CREATE INDEX IF NOT EXISTS releases_state ON releases(state, id);
CREATE INDEX IF NOT EXISTS releases_due ON releases(next_advance_at_us)
  WHERE next_advance_at_us IS NOT NULL;
-- Reverse views: what depends on a flag, an identity, an integration.
CREATE TABLE IF NOT EXISTS release_flags (
  flag_key TEXT NOT NULL,
  release_id TEXT NOT NULL REFERENCES releases(id),
  environment TEXT NOT NULL,
  PRIMARY KEY (flag_key, release_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS release_flags_environment
  ON release_flags(environment, flag_key, release_id);
CREATE TABLE IF NOT EXISTS release_identities (
  identity_id TEXT NOT NULL,
  release_id TEXT NOT NULL REFERENCES releases(id),
  PRIMARY KEY (identity_id, release_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS release_integrations (
  integration TEXT NOT NULL,
  release_id TEXT NOT NULL REFERENCES releases(id),
  PRIMARY KEY (integration, release_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS release_signals (
  release_id TEXT NOT NULL REFERENCES releases(id),
  name TEXT NOT NULL,
  value REAL NOT NULL,
  source TEXT NOT NULL,
  observed_at_us INTEGER NOT NULL,
  PRIMARY KEY (release_id, name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  release_id TEXT NOT NULL,
  tenant_key TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  stage INTEGER NOT NULL,
  subject TEXT NOT NULL,
  requester TEXT NOT NULL,
  requester_user TEXT NOT NULL,
  approver_role TEXT NOT NULL,
  approver TEXT NOT NULL,
  reason TEXT NOT NULL,
  ticket TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at_us INTEGER,
  decision_reason TEXT NOT NULL,
  version INTEGER NOT NULL
);
-- The inbox: pending requests for a role, or for one named approver.
CREATE INDEX IF NOT EXISTS approvals_inbox ON approvals(state, approver_role, id);
CREATE INDEX IF NOT EXISTS approvals_approver ON approvals(state, approver, id);
CREATE INDEX IF NOT EXISTS approvals_requester ON approvals(requester, id);
CREATE INDEX IF NOT EXISTS approvals_release ON approvals(release_id, tenant_key, id);
CREATE INDEX IF NOT EXISTS approvals_identity ON approvals(identity_id, id);
CREATE INDEX IF NOT EXISTS approvals_expiry ON approvals(expires_at_us)
  WHERE state = 'pending';
-- A role's open inbox: requests any holder of the role decides (approver
-- ''), beside those naming the caller (approvals_approver).
CREATE INDEX IF NOT EXISTS approvals_open ON approvals(state, approver_role, approver, id);
-- A tenant's approvals without a release (an account manager's view).
CREATE INDEX IF NOT EXISTS approvals_tenant ON approvals(tenant_key, id);

CREATE TABLE IF NOT EXISTS tenant_consents (
  tenant_key TEXT NOT NULL,
  flag_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  via TEXT NOT NULL,
  release_id TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at_us INTEGER NOT NULL,
  PRIMARY KEY (tenant_key, flag_key, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tenant_consents_flag ON tenant_consents(flag_key, tenant_key);
-- Reverse view: the identities a flag gates.
CREATE INDEX IF NOT EXISTS identity_gating_flags_flag
  ON identity_gating_flags(flag_key, identity_id);
)sql"},
    // A table beside exposure_limits rather than new columns: the report
    // is written once, after the limit has taken effect, and IF NOT EXISTS
    // keeps the migration re-runnable on a database whose version rows
    // were rolled back (ALTER TABLE ADD COLUMN is not).
    {9, "exposure limits: time to limit and report", R"sql(
CREATE TABLE IF NOT EXISTS exposure_limit_reports (
  limit_id TEXT PRIMARY KEY REFERENCES exposure_limits(id),
  time_to_limit_us INTEGER,
  report TEXT NOT NULL
);
)sql"},
    {10, "posture: findings, observations, reviews, maturity, usage", R"sql(
CREATE INDEX IF NOT EXISTS identities_external_id ON identities(external_id)
  WHERE external_id != '';

CREATE TABLE IF NOT EXISTS findings (
  id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  owner TEXT NOT NULL,
  owasp TEXT NOT NULL,
  csf TEXT NOT NULL,
  evidence TEXT NOT NULL,
  remediation TEXT NOT NULL,
  state TEXT NOT NULL,
  ack_reason TEXT NOT NULL,
  ack_by TEXT NOT NULL,
  ack_expires_at_us INTEGER,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  resolved_at_us INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_subject ON findings(subject_key);
CREATE INDEX IF NOT EXISTS findings_state ON findings(state, id);
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule, state, id);
CREATE INDEX IF NOT EXISTS findings_owner ON findings(owner, state, id);
CREATE INDEX IF NOT EXISTS findings_owasp ON findings(owasp, state, id);
CREATE INDEX IF NOT EXISTS findings_identity ON findings(identity_id, id);

CREATE TABLE IF NOT EXISTS observations (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  scan_target TEXT NOT NULL,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  attributes TEXT NOT NULL,
  identity_id TEXT NOT NULL,
  state TEXT NOT NULL,
  changes TEXT NOT NULL,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS observations_identity ON observations(identity_id, state);
CREATE INDEX IF NOT EXISTS observations_scan ON observations(source, scan_target, last_seen_us);
CREATE INDEX IF NOT EXISTS observations_state ON observations(state, kind, key);

CREATE TABLE IF NOT EXISTS scan_runs (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  state TEXT NOT NULL,
  observations INTEGER NOT NULL,
  issues INTEGER NOT NULL,
  issues_detail TEXT NOT NULL,
  started_by TEXT NOT NULL,
  started_at_us INTEGER NOT NULL,
  finished_at_us INTEGER
);

CREATE TABLE IF NOT EXISTS review_campaigns (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  closed_at_us INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS review_campaigns_due ON review_campaigns(state, due_at_us);

CREATE TABLE IF NOT EXISTS review_items (
  campaign_id TEXT NOT NULL REFERENCES review_campaigns(id),
  identity_id TEXT NOT NULL,
  identity_name TEXT NOT NULL,
  owner TEXT NOT NULL,
  decision TEXT NOT NULL,
  justification TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at_us INTEGER,
  PRIMARY KEY (campaign_id, identity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_items_kept ON review_items(identity_id)
  WHERE decision = 'keep';

CREATE TABLE IF NOT EXISTS maturity_snapshots (
  scope TEXT NOT NULL,
  taken_at_us INTEGER NOT NULL,
  inventoried INTEGER NOT NULL,
  observed INTEGER NOT NULL,
  justified INTEGER NOT NULL,
  revocable INTEGER NOT NULL,
  identities INTEGER NOT NULL,
  PRIMARY KEY (scope, taken_at_us)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS usage_sightings (
  identity_id TEXT NOT NULL,
  source_network TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  client TEXT NOT NULL,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL,
  uses INTEGER NOT NULL,
  hours_mask INTEGER NOT NULL,
  weekdays_mask INTEGER NOT NULL,
  PRIMARY KEY (identity_id, source_network, user_agent, client)
) WITHOUT ROWID;
)sql"},
    // Name search (identity_name_search.h): an FTS5 trigram index over
    // identities.name, external content keyed by identities' rowid, so it
    // stores no second copy of the names; detail=none and columnsize=0
    // because the query only asks which rows hold every trigram (the exact
    // substring test runs on the row). New and renamed names are indexed
    // once per write transaction, not per row: the triggers only note the
    // rowid in identity_name_pending and FlushDeferredIndexes()
    // (deferred_indexes.h) indexes the noted rows before the COMMIT, outside
    // any unit's savepoint (FTS5 flushes its pending terms into a new
    // segment at every savepoint, which cost ~40 us per created identity
    // when the index was kept by a trigger). A deleted or renamed row that
    // is already indexed leaves the index at once. 'rebuild' indexes the
    // rows already there. A VACUUM may renumber identities' rowids: rebuild
    // the index after one (docs/OPERATIONS.md). The tier index gains
    // expires_at_us after id, so that the tier + expiry filter still walks
    // keyset order and tests expiry on the index entry instead of reading
    // every row of the tier.
    {11, "identities: name search and tier + expiry indexes", R"sql(
CREATE INDEX IF NOT EXISTS identities_risk_tier_expires
  ON identities(risk_tier, id, expires_at_us);
DROP INDEX IF EXISTS identities_risk_tier;
CREATE VIRTUAL TABLE IF NOT EXISTS identity_name_trigrams USING fts5(
  name, content='identities', content_rowid='rowid',
  tokenize='trigram', detail='none', columnsize=0);
INSERT INTO identity_name_trigrams(identity_name_trigrams) VALUES ('rebuild');
CREATE TABLE IF NOT EXISTS identity_name_pending (
  identity_rowid INTEGER PRIMARY KEY
);
CREATE TRIGGER IF NOT EXISTS identity_name_trigrams_insert
AFTER INSERT ON identities BEGIN
  INSERT OR IGNORE INTO identity_name_pending(identity_rowid)
    VALUES (new.rowid);
END;
CREATE TRIGGER IF NOT EXISTS identity_name_trigrams_delete
AFTER DELETE ON identities BEGIN
  INSERT INTO identity_name_trigrams(identity_name_trigrams, rowid, name)
    SELECT 'delete', old.rowid, old.name
    WHERE NOT EXISTS (SELECT 1 FROM identity_name_pending
                      WHERE identity_rowid = old.rowid);
  DELETE FROM identity_name_pending WHERE identity_rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS identity_name_trigrams_rename
AFTER UPDATE OF name ON identities WHEN old.name IS NOT new.name BEGIN
  INSERT INTO identity_name_trigrams(identity_name_trigrams, rowid, name)
    SELECT 'delete', old.rowid, old.name
    WHERE NOT EXISTS (SELECT 1 FROM identity_name_pending
                      WHERE identity_rowid = old.rowid);
  INSERT OR IGNORE INTO identity_name_pending(identity_rowid)
    VALUES (new.rowid);
END;
)sql"},
    // Console sign-in: users' credentials, sessions (by the SHA-256 of the
    // cookie) and pending OIDC logins, all in the store so any replica can
    // check a session or finish a login another one started. Re-runnable.
    {12, "console sign-in: credentials, sessions, oidc logins", R"sql(
CREATE TABLE IF NOT EXISTS user_credentials (
  user TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  totp_sealed TEXT NOT NULL,
  totp_last_step INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL,
  locked_until_us INTEGER,
  updated_at_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS console_sessions (
  id_hash TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  method TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  last_seen_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  ended_at_us INTEGER,
  remote TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_user ON console_sessions(user, ended_at_us);
CREATE INDEX IF NOT EXISTS console_sessions_expires ON console_sessions(expires_at_us);
CREATE TABLE IF NOT EXISTS oidc_logins (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL
);
)sql"},
    {13, "oauth: client assertion jtis shared by replicas", R"sql(
CREATE TABLE IF NOT EXISTS client_assertion_jtis (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at_us INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS client_assertion_jtis_expires
  ON client_assertion_jtis(expires_at_us);
)sql"},
    // Audit streaming sinks (store/audit_sink_cursor_repository.h): per
    // sink, the last sequence delivered and the lease of the one process
    // delivering it.
    {14, "audit sinks: delivery cursors and leases", R"sql(
CREATE TABLE IF NOT EXISTS audit_sink_cursors (
  sink TEXT PRIMARY KEY,
  delivered_sequence INTEGER NOT NULL,
  holder TEXT NOT NULL,
  lease_expires_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    {15, "audit retention: the signed chain anchor left by pruning", R"sql(
-- One row (id 1) once records were archived and pruned: the last pruned
-- record's sequence, hash and format, signed by the checkpoint key
-- (audit/audit_anchor.h). Verification starts from it.
CREATE TABLE IF NOT EXISTS audit_anchor (
  id INTEGER PRIMARY KEY,
  sequence INTEGER NOT NULL,
  hash TEXT NOT NULL,
  format INTEGER NOT NULL,
  time_us INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
)sql"},
    {16, "oauth: mutual-TLS client authentication (RFC 8705)", R"sql(
-- certificate_field and certificate_value of oauth_client_credentials are
-- added before this runs (kTlsClientAuthColumns).
SELECT 1;
)sql"},
};

Status AddColumnIfAbsent(sql::Connection& connection, const AddedColumn& column,
                         const std::string& context) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> present,
      QueryFirst(
          connection, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?",
          context, [](const sql::Statement& s) { return s.Int(0); },
          column.table, column.column));
  if (present) return Status::Ok();
  return connection.Exec(std::string("ALTER TABLE ") + column.table +
                             " ADD COLUMN " + column.column + " " +
                             column.definition,
                         context);
}

// SQLite's step before a migration's SQL: the columns it adds, when absent.
Status AddColumns(sql::Connection& connection, size_t index,
                  const std::string& context) {
  for (const ColumnsAdded& added : kColumnsAdded) {
    if (added.version != kMigrations[index].version) continue;
    for (const AddedColumn& column : added.columns) {
      WARDEN_RETURN_IF_ERROR(AddColumnIfAbsent(connection, column, context));
    }
  }
  return Status::Ok();
}

}  // namespace

int64_t LatestSchemaVersion() { return sql::LatestVersion(kMigrations); }

Status MigrateSchema(sql::Connection& connection, int64_t now_us) {
  return sql::RunMigrations(
      connection,
      sql::MigrationPlan{
          "BEGIN IMMEDIATE",
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
          "PRIMARY KEY, description TEXT NOT NULL, applied_at_us INTEGER NOT "
          "NULL)",
          kMigrations, AddColumns},
      now_us);
}

}  // namespace warden::sqlite
