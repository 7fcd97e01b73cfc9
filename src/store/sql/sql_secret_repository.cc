#include "store/sql/sql_secret_repository.h"

#include <string>

#include "core/crypto.h"
#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kSecretColumns[] =
    "id, name, identity_id, description, current_version, rotation_due_at_us, "
    "created_by, created_at_us, updated_at_us";
constexpr char kVersionColumns[] =
    "secret_id, version, state, ciphertext, nonce, wrapped_key, wrap_nonce, "
    "kek_id, created_at_us, inactive_until_us";

SecretRecord DecodeSecret(const Statement& s) {
  SecretRecord r;
  r.id = s.Text(0);
  r.name = s.Text(1);
  r.identity_id = s.Text(2);
  r.description = s.Text(3);
  r.current_version = s.Int(4);
  r.rotation_due_at = OptionalTimestamp(s.OptionalInt(5));
  r.created_by = s.Text(6);
  r.created_at = FromMicros(s.Int(7));
  r.updated_at = FromMicros(s.Int(8));
  return r;
}

void BindSecretTail(Statement& stmt, const SecretRecord& r) {
  BindAll(stmt, r.name, r.identity_id, r.description, r.current_version,
          OptionalMicros(r.rotation_due_at), r.created_by,
          ToMicros(r.created_at), ToMicros(r.updated_at));
}

}  // namespace

Status SqlSecretRepository::Insert(const SecretRecord& r) {
  const std::string context = "insert secret " + r.name;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO secrets (") + kSecretColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?)",
                 context, r.id, [&r](Statement& s) { BindSecretTail(s, r); });
}

Status SqlSecretRepository::Update(const SecretRecord& r) {
  const std::string context = "update secret " + r.name;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE secrets SET name = ?, identity_id = ?, description = ?, "
      "current_version = ?, rotation_due_at_us = ?, created_by = ?, "
      "created_at_us = ?, updated_at_us = ? WHERE id = ?",
      context, [&r](Statement& s) { BindSecretTail(s, r); }, r.id));
  return context_.RequireChanged("secret " + r.name);
}

Result<SecretRecord> SqlSecretRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<SecretRecord> SqlSecretRepository::GetByName(std::string_view name) {
  return GetWhere("name", name);
}

Result<SecretRecord> SqlSecretRepository::GetWhere(const char* column,
                                                   std::string_view key) {
  const std::string context = "get secret '" + std::string(key) + "'";
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<SecretRecord> secret,
      QueryFirst(context_.connection,
                 std::string("SELECT ") + kSecretColumns +
                     " FROM secrets WHERE " + column + " = ?",
                 context, DecodeSecret, key));
  if (!secret) return NotFound("secret '" + std::string(key) + "' not found");
  return std::move(*secret);
}

Result<std::vector<SecretRecord>> SqlSecretRepository::List() {
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kSecretColumns + " FROM secrets ORDER BY name",
      "list secrets", DecodeSecret);
}

Status SqlSecretRepository::InsertVersion(const SecretVersionRecord& v) {
  const std::string context =
      "insert secret version " + v.secret_id + " v" + std::to_string(v.version);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO secret_versions (") +
                     kVersionColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                 context, v.secret_id, v.version, v.state,
                 Base64UrlEncode(v.ciphertext), Base64UrlEncode(v.nonce),
                 Base64UrlEncode(v.wrapped_key), Base64UrlEncode(v.wrap_nonce),
                 v.kek_id, ToMicros(v.created_at),
                 OptionalMicros(v.inactive_until));
}

Status SqlSecretRepository::UpdateVersion(const SecretVersionRecord& v) {
  const std::string context =
      "update secret version " + v.secret_id + " v" + std::to_string(v.version);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE secret_versions SET state = ?, inactive_until_us = ?, "
              "wrapped_key = ?, wrap_nonce = ?, kek_id = ? "
              "WHERE secret_id = ? AND version = ?",
              context, v.state, OptionalMicros(v.inactive_until),
              Base64UrlEncode(v.wrapped_key), Base64UrlEncode(v.wrap_nonce),
              v.kek_id, v.secret_id, v.version));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound(context + ": not found");
}

Result<std::vector<SecretVersionRecord>> SqlSecretRepository::ListVersions(
    std::string_view secret_id) {
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kVersionColumns +
          " FROM secret_versions WHERE secret_id = ? ORDER BY version DESC",
      "list secret versions",
      [this](const Statement& s) { return DecodeVersion(s); }, secret_id);
}

Result<std::vector<SecretVersionRecord>>
SqlSecretRepository::ListAllVersions() {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kVersionColumns +
                       " FROM secret_versions ORDER BY secret_id, version",
                   "list all secret versions",
                   [this](const Statement& s) { return DecodeVersion(s); });
}

Result<SecretVersionRecord> SqlSecretRepository::DecodeVersion(
    const Statement& s) const {
  SecretVersionRecord v;
  v.secret_id = s.Text(0);
  v.version = s.Int(1);
  v.state = s.Text(2);
  std::string* sealed[] = {&v.ciphertext, &v.nonce, &v.wrapped_key,
                           &v.wrap_nonce};
  for (int i = 0; i < 4; ++i) {
    Result<std::string> bytes = Base64UrlDecode(s.Text(3 + i));
    if (!bytes.ok())
      return context_.Corrupt("secret_versions sealed bytes", "");
    *sealed[i] = std::move(bytes).value();
  }
  v.kek_id = s.Text(7);
  v.created_at = FromMicros(s.Int(8));
  v.inactive_until = OptionalTimestamp(s.OptionalInt(9));
  return v;
}

}  // namespace warden::sql
