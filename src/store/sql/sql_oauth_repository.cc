#include "store/sql/sql_oauth_repository.h"

#include <string>

#include "store/change_feed.h"
#include "store/sql/query.h"
#include "store/sql/upsert.h"

namespace warden::sql {
namespace {

std::string ClientName(std::string_view id) {
  return "client credential of identity '" + std::string(id) + "'";
}

// Every column but identity_id, the key the caller already holds.
ClientCredentialRecord DecodeClientCredential(const Statement& s) {
  ClientCredentialRecord record;
  record.method = s.Text(0);
  record.secret_hash = s.Text(1);
  record.previous_secret_hash = s.Text(2);
  record.previous_valid_until = OptionalTimestamp(s.OptionalInt(3));
  record.jwks = s.Text(4);
  record.updated_at = FromMicros(s.Int(5));
  record.certificate_field = s.Text(6);
  record.certificate_value = s.Text(7);
  return record;
}

SigningKeyRecord DecodeSigningKey(const Statement& s) {
  SigningKeyRecord key;
  key.kid = s.Text(0);
  key.algorithm = s.Text(1);
  key.state = s.Text(2);
  key.created_at = FromMicros(s.Int(3));
  key.activated_at = OptionalTimestamp(s.OptionalInt(4));
  key.retired_at = OptionalTimestamp(s.OptionalInt(5));
  key.sealed_private_key = s.Text(6);
  return key;
}

}  // namespace

Status SqlOAuthRepository::PutClientCredential(
    const ClientCredentialRecord& record) {
  const std::string context = "put " + ClientName(record.identity_id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  context_.NoteChanged(ChangeKey::Identity(record.identity_id));
  return Execute(
      context_.connection,
      UpsertSql("oauth_client_credentials",
                "identity_id, method, secret_hash, previous_secret_hash, "
                "previous_valid_until_us, jwks, updated_at_us, "
                "certificate_field, certificate_value",
                "identity_id"),
      context, record.identity_id, record.method, record.secret_hash,
      record.previous_secret_hash, OptionalMicros(record.previous_valid_until),
      record.jwks, ToMicros(record.updated_at), record.certificate_field,
      record.certificate_value);
}

Result<ClientCredentialRecord> SqlOAuthRepository::GetClientCredential(
    std::string_view identity_id) {
  const std::string context = "get " + ClientName(identity_id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ClientCredentialRecord> record,
      QueryFirst(context_.connection,
                 "SELECT method, secret_hash, previous_secret_hash, "
                 "previous_valid_until_us, jwks, updated_at_us, "
                 "certificate_field, certificate_value "
                 "FROM oauth_client_credentials WHERE identity_id = ?",
                 context, DecodeClientCredential, identity_id));
  if (!record) return NotFound(context + ": none registered");
  record->identity_id = std::string(identity_id);
  return std::move(*record);
}

Result<std::vector<SigningKeyRecord>> SqlOAuthRepository::ListSigningKeys() {
  return QueryRows(context_.connection,
                   "SELECT kid, algorithm, state, created_at_us, "
                   "activated_at_us, retired_at_us, sealed_private_key "
                   "FROM oauth_signing_keys ORDER BY created_at_us, kid",
                   "list signing keys", DecodeSigningKey);
}

Status SqlOAuthRepository::InsertSigningKey(const SigningKeyRecord& key) {
  context_.NoteChanged(ChangeKey::SigningKeys());
  const std::string context = "insert signing key '" + key.kid + "'";
  return Execute(
      context_.connection,
      "INSERT INTO oauth_signing_keys (kid, algorithm, state, "
      "created_at_us, activated_at_us, retired_at_us, sealed_private_key) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      context, key.kid, key.algorithm, key.state, ToMicros(key.created_at),
      OptionalMicros(key.activated_at), OptionalMicros(key.retired_at),
      key.sealed_private_key);
}

Status SqlOAuthRepository::ReplaceSigningKeys(
    const std::vector<SigningKeyRecord>& keys) {
  context_.NoteChanged(ChangeKey::SigningKeys());
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable("replace signing keys"));
  WARDEN_RETURN_IF_ERROR(context_.connection.Exec(
      "DELETE FROM oauth_signing_keys", "replace signing keys"));
  for (const SigningKeyRecord& key : keys) {
    WARDEN_RETURN_IF_ERROR(InsertSigningKey(key));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> SqlOAuthRepository::GetRevocationState() {
  return QueryFirst(context_.connection,
                    "SELECT document FROM oauth_revocation_state WHERE id = 1",
                    "get revocation state",
                    [](const Statement& s) { return s.Text(0); });
}

Status SqlOAuthRepository::RecordAssertionJti(std::string_view client_id,
                                              std::string_view jti,
                                              Timestamp expires_at,
                                              Timestamp now) {
  const std::string context =
      "record assertion jti of client " + Quoted(client_id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "DELETE FROM client_assertion_jtis WHERE expires_at_us <= ?",
              context, ToMicros(now)));
  return Execute(context_.connection,
                 "INSERT INTO client_assertion_jtis (client_id, jti, "
                 "expires_at_us) VALUES (?, ?, ?)",
                 context, client_id, jti, ToMicros(expires_at));
}

Status SqlOAuthRepository::PutRevocationState(std::string_view document) {
  context_.NoteChanged(ChangeKey::RevocationState());
  const std::string context = "put revocation state";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 "INSERT INTO oauth_revocation_state (id, document) "
                 "VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET document = "
                 "excluded.document",
                 context, document);
}

Result<std::vector<std::string>> SqlOAuthRepository::GetGatingFlags(
    std::string_view identity_id) {
  const std::string context =
      "get gating flags of identity '" + std::string(identity_id) + "'";
  return QueryRows(
      context_.connection,
      "SELECT flag_key FROM identity_gating_flags "
      "WHERE identity_id = ? ORDER BY flag_key",
      context, [](const Statement& s) { return s.Text(0); }, identity_id);
}

Result<std::vector<std::string>> SqlOAuthRepository::ListIdentitiesGatedBy(
    std::string_view flag_key) {
  return QueryRows(
      context_.connection,
      "SELECT identity_id FROM identity_gating_flags "
      "WHERE flag_key = ? ORDER BY identity_id",
      "list identities gated by flag '" + std::string(flag_key) + "'",
      [](const Statement& s) { return s.Text(0); }, flag_key);
}

Status SqlOAuthRepository::SetGatingFlags(
    std::string_view identity_id, const std::vector<std::string>& flag_keys) {
  const std::string context =
      "set gating flags of identity '" + std::string(identity_id) + "'";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  context_.NoteChanged(ChangeKey::Identity(identity_id));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "DELETE FROM identity_gating_flags WHERE identity_id = ?",
              context, identity_id));
  for (const std::string& key : flag_keys) {
    WARDEN_RETURN_IF_ERROR(
        Execute(context_.connection,
                "INSERT INTO identity_gating_flags (identity_id, "
                "flag_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                context, identity_id, key));
  }
  return Status::Ok();
}

Status SqlOAuthRepository::AddScopesUsed(std::string_view identity_id,
                                         const std::vector<std::string>& scopes,
                                         Timestamp at) {
  const std::string context =
      "record scopes used by identity '" + std::string(identity_id) + "'";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  for (const std::string& scope : scopes) {
    WARDEN_RETURN_IF_ERROR(Execute(
        context_.connection,
        "INSERT INTO identity_scope_usage (identity_id, scope, "
        "last_used_at_us) SELECT ?1, ?2, CAST(?3 AS BIGINT) WHERE EXISTS "
        "(SELECT 1 FROM "
        "identities WHERE id = ?1) ON CONFLICT (identity_id, scope) DO "
        "UPDATE SET last_used_at_us = CASE WHEN excluded.last_used_at_us > "
        "identity_scope_usage.last_used_at_us THEN excluded.last_used_at_us "
        "ELSE identity_scope_usage.last_used_at_us END",
        context, identity_id, scope, ToMicros(at)));
  }
  return Status::Ok();
}

Result<std::vector<ScopeUsageRecord>> SqlOAuthRepository::ListScopesUsed(
    std::string_view identity_id) {
  const std::string context =
      "list scopes used by identity '" + std::string(identity_id) + "'";
  return QueryRows(
      context_.connection,
      "SELECT scope, last_used_at_us FROM identity_scope_usage "
      "WHERE identity_id = ? ORDER BY scope",
      context,
      [](const Statement& s) {
        return ScopeUsageRecord{std::string(), s.Text(0), FromMicros(s.Int(1))};
      },
      identity_id);
}

Result<std::vector<ScopeUsageRecord>> SqlOAuthRepository::ListScopesUsedBetween(
    std::string_view after_id, std::string_view last_id) {
  return QueryRows(
      context_.connection,
      "SELECT identity_id, scope, last_used_at_us FROM identity_scope_usage "
      "WHERE identity_id > ? AND identity_id <= ? ORDER BY identity_id, scope",
      "list scopes used in an identity range",
      [](const Statement& s) {
        return ScopeUsageRecord{s.Text(0), s.Text(1), FromMicros(s.Int(2))};
      },
      after_id, last_id);
}

Result<std::vector<ClientCredentialRecord>>
SqlOAuthRepository::ListClientCredentialsBetween(std::string_view after_id,
                                                 std::string_view last_id) {
  return QueryRows(
      context_.connection,
      "SELECT method, secret_hash, previous_secret_hash, "
      "previous_valid_until_us, jwks, updated_at_us, certificate_field, "
      "certificate_value, identity_id "
      "FROM oauth_client_credentials WHERE identity_id > ? AND "
      "identity_id <= ? ORDER BY identity_id",
      "list client credentials in an identity range",
      [](const Statement& s) {
        ClientCredentialRecord record = DecodeClientCredential(s);
        record.identity_id = s.Text(8);
        return record;
      },
      after_id, last_id);
}

}  // namespace warden::sql
