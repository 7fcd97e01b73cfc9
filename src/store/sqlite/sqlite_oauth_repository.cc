#include "store/sqlite/sqlite_oauth_repository.h"

#include <string>

namespace warden::sqlite {
namespace {

std::string ClientName(std::string_view id) {
  return "client credential of identity '" + std::string(id) + "'";
}

}  // namespace

Status SqliteOAuthRepository::PutClientCredential(
    const ClientCredentialRecord& record) {
  const std::string context = "put " + ClientName(record.identity_id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "INSERT OR REPLACE INTO oauth_client_credentials (identity_id, "
          "method, secret_hash, previous_secret_hash, "
          "previous_valid_until_us, jwks, updated_at_us) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          context));
  stmt.Bind(record.identity_id);
  stmt.Bind(record.method);
  stmt.Bind(record.secret_hash);
  stmt.Bind(record.previous_secret_hash);
  stmt.Bind(OptionalMicros(record.previous_valid_until));
  stmt.Bind(record.jwks);
  stmt.Bind(ToMicros(record.updated_at));
  return stmt.Run(context);
}

Result<ClientCredentialRecord> SqliteOAuthRepository::GetClientCredential(
    std::string_view identity_id) {
  const std::string context = "get " + ClientName(identity_id);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          "SELECT method, secret_hash, previous_secret_hash, "
                          "previous_valid_until_us, jwks, updated_at_us "
                          "FROM oauth_client_credentials WHERE identity_id = ?",
                          context));
  stmt.Bind(identity_id);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound(context + ": none registered");
  ClientCredentialRecord record;
  record.identity_id = std::string(identity_id);
  record.method = stmt.Text(0);
  record.secret_hash = stmt.Text(1);
  record.previous_secret_hash = stmt.Text(2);
  record.previous_valid_until = OptionalTimestamp(stmt.OptionalInt(3));
  record.jwks = stmt.Text(4);
  record.updated_at = FromMicros(stmt.Int(5));
  return record;
}

Result<std::vector<SigningKeyRecord>> SqliteOAuthRepository::ListSigningKeys() {
  const std::string context = "list signing keys";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "SELECT kid, algorithm, state, created_at_us, activated_at_us, "
          "retired_at_us, sealed_private_key FROM oauth_signing_keys "
          "ORDER BY created_at_us, kid",
          context));
  std::vector<SigningKeyRecord> keys;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) break;
    SigningKeyRecord key;
    key.kid = stmt.Text(0);
    key.algorithm = stmt.Text(1);
    key.state = stmt.Text(2);
    key.created_at = FromMicros(stmt.Int(3));
    key.activated_at = OptionalTimestamp(stmt.OptionalInt(4));
    key.retired_at = OptionalTimestamp(stmt.OptionalInt(5));
    key.sealed_private_key = stmt.Text(6);
    keys.push_back(std::move(key));
  }
  return keys;
}

Status SqliteOAuthRepository::InsertSigningKey(const SigningKeyRecord& key) {
  const std::string context = "insert signing key '" + key.kid + "'";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "INSERT INTO oauth_signing_keys (kid, algorithm, state, "
          "created_at_us, activated_at_us, retired_at_us, sealed_private_key) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          context));
  stmt.Bind(key.kid);
  stmt.Bind(key.algorithm);
  stmt.Bind(key.state);
  stmt.Bind(ToMicros(key.created_at));
  stmt.Bind(OptionalMicros(key.activated_at));
  stmt.Bind(OptionalMicros(key.retired_at));
  stmt.Bind(key.sealed_private_key);
  return stmt.Run(context);
}

Status SqliteOAuthRepository::ReplaceSigningKeys(
    const std::vector<SigningKeyRecord>& keys) {
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable("replace signing keys"));
  WARDEN_RETURN_IF_ERROR(context_.connection.Exec(
      "DELETE FROM oauth_signing_keys", "replace signing keys"));
  for (const SigningKeyRecord& key : keys) {
    WARDEN_RETURN_IF_ERROR(InsertSigningKey(key));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteOAuthRepository::GetRevocationState() {
  const std::string context = "get revocation state";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "SELECT document FROM oauth_revocation_state WHERE id = 1", context));
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.Text(0));
}

Status SqliteOAuthRepository::PutRevocationState(std::string_view document) {
  const std::string context = "put revocation state";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("INSERT OR REPLACE INTO "
                                  "oauth_revocation_state (id, document) "
                                  "VALUES (1, ?)",
                                  context));
  stmt.Bind(document);
  return stmt.Run(context);
}

Result<std::vector<std::string>> SqliteOAuthRepository::GetGatingFlags(
    std::string_view identity_id) {
  const std::string context =
      "get gating flags of identity '" + std::string(identity_id) + "'";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("SELECT flag_key FROM identity_gating_flags "
                                  "WHERE identity_id = ? ORDER BY flag_key",
                                  context));
  stmt.Bind(identity_id);
  std::vector<std::string> flags;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) break;
    flags.push_back(stmt.Text(0));
  }
  return flags;
}

Status SqliteOAuthRepository::SetGatingFlags(
    std::string_view identity_id, const std::vector<std::string>& flag_keys) {
  const std::string context =
      "set gating flags of identity '" + std::string(identity_id) + "'";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(
            "DELETE FROM identity_gating_flags WHERE identity_id = ?",
            context));
    stmt.Bind(identity_id);
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  }
  for (const std::string& key : flag_keys) {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(
            "INSERT OR IGNORE INTO identity_gating_flags (identity_id, "
            "flag_key) VALUES (?, ?)",
            context));
    stmt.Bind(identity_id);
    stmt.Bind(key);
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  }
  return Status::Ok();
}

Status SqliteOAuthRepository::AddScopesUsed(
    std::string_view identity_id, const std::vector<std::string>& scopes,
    Timestamp at) {
  const std::string context =
      "record scopes used by identity '" + std::string(identity_id) + "'";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  for (const std::string& scope : scopes) {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(
            "INSERT INTO identity_scope_usage (identity_id, scope, "
            "last_used_at_us) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM "
            "identities WHERE id = ?1) ON CONFLICT (identity_id, scope) DO "
            "UPDATE SET last_used_at_us = MAX(last_used_at_us, "
            "excluded.last_used_at_us)",
            context));
    stmt.Bind(identity_id);
    stmt.Bind(scope);
    stmt.Bind(ToMicros(at));
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  }
  return Status::Ok();
}

Result<std::vector<ScopeUsageRecord>> SqliteOAuthRepository::ListScopesUsed(
    std::string_view identity_id) {
  const std::string context =
      "list scopes used by identity '" + std::string(identity_id) + "'";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "SELECT scope, last_used_at_us FROM identity_scope_usage "
          "WHERE identity_id = ? ORDER BY scope",
          context));
  stmt.Bind(identity_id);
  std::vector<ScopeUsageRecord> usage;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) break;
    usage.push_back({stmt.Text(0), FromMicros(stmt.Int(1))});
  }
  return usage;
}

}  // namespace warden::sqlite
