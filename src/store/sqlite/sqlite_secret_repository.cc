#include "store/sqlite/sqlite_secret_repository.h"

#include <string>

#include "core/crypto.h"

namespace warden::sqlite {
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
  stmt.Bind(r.name);
  stmt.Bind(r.identity_id);
  stmt.Bind(r.description);
  stmt.Bind(r.current_version);
  stmt.Bind(OptionalMicros(r.rotation_due_at));
  stmt.Bind(r.created_by);
  stmt.Bind(ToMicros(r.created_at));
  stmt.Bind(ToMicros(r.updated_at));
}

}  // namespace

Status SqliteSecretRepository::Insert(const SecretRecord& r) {
  const std::string context = "insert secret " + r.name;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          std::string("INSERT INTO secrets (") +
                              kSecretColumns + ") VALUES (?,?,?,?,?,?,?,?,?)",
                          context));
  stmt.Bind(r.id);
  BindSecretTail(stmt, r);
  return stmt.Run(context);
}

Status SqliteSecretRepository::Update(const SecretRecord& r) {
  const std::string context = "update secret " + r.name;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE secrets SET name = ?, identity_id = ?, description = ?, "
          "current_version = ?, rotation_due_at_us = ?, created_by = ?, "
          "created_at_us = ?, updated_at_us = ? WHERE id = ?",
          context));
  BindSecretTail(stmt, r);
  stmt.Bind(r.id);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound("secret " + r.name + " not found");
}

Result<SecretRecord> SqliteSecretRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<SecretRecord> SqliteSecretRepository::GetByName(std::string_view name) {
  return GetWhere("name", name);
}

Result<SecretRecord> SqliteSecretRepository::GetWhere(const char* column,
                                                      std::string_view key) {
  const std::string context = "get secret '" + std::string(key) + "'";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kSecretColumns +
                                      " FROM secrets WHERE " + column + " = ?",
                                  context));
  stmt.Bind(key);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound("secret '" + std::string(key) + "' not found");
  return DecodeSecret(stmt);
}

Result<std::vector<SecretRecord>> SqliteSecretRepository::List() {
  constexpr char kContext[] = "list secrets";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kSecretColumns +
                                      " FROM secrets ORDER BY name",
                                  kContext));
  std::vector<SecretRecord> secrets;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
    if (!row) return secrets;
    secrets.push_back(DecodeSecret(stmt));
  }
}

Status SqliteSecretRepository::InsertVersion(const SecretVersionRecord& v) {
  const std::string context =
      "insert secret version " + v.secret_id + " v" + std::to_string(v.version);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("INSERT INTO secret_versions (") +
                                      kVersionColumns +
                                      ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                                  context));
  stmt.Bind(v.secret_id);
  stmt.Bind(v.version);
  stmt.Bind(v.state);
  stmt.Bind(Base64UrlEncode(v.ciphertext));
  stmt.Bind(Base64UrlEncode(v.nonce));
  stmt.Bind(Base64UrlEncode(v.wrapped_key));
  stmt.Bind(Base64UrlEncode(v.wrap_nonce));
  stmt.Bind(v.kek_id);
  stmt.Bind(ToMicros(v.created_at));
  stmt.Bind(OptionalMicros(v.inactive_until));
  return stmt.Run(context);
}

Status SqliteSecretRepository::UpdateVersion(const SecretVersionRecord& v) {
  const std::string context =
      "update secret version " + v.secret_id + " v" + std::to_string(v.version);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE secret_versions SET state = ?, inactive_until_us = ?, "
          "wrapped_key = ?, wrap_nonce = ?, kek_id = ? "
          "WHERE secret_id = ? AND version = ?",
          context));
  stmt.Bind(v.state);
  stmt.Bind(OptionalMicros(v.inactive_until));
  stmt.Bind(Base64UrlEncode(v.wrapped_key));
  stmt.Bind(Base64UrlEncode(v.wrap_nonce));
  stmt.Bind(v.kek_id);
  stmt.Bind(v.secret_id);
  stmt.Bind(v.version);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound(context + ": not found");
}

Result<std::vector<SecretVersionRecord>> SqliteSecretRepository::ListVersions(
    std::string_view secret_id) {
  constexpr char kContext[] = "list secret versions";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kVersionColumns +
              " FROM secret_versions WHERE secret_id = ? ORDER BY version DESC",
          kContext));
  stmt.Bind(secret_id);
  return CollectVersions(stmt, kContext);
}

Result<std::vector<SecretVersionRecord>>
SqliteSecretRepository::ListAllVersions() {
  constexpr char kContext[] = "list all secret versions";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kVersionColumns +
              " FROM secret_versions ORDER BY secret_id, version",
          kContext));
  return CollectVersions(stmt, kContext);
}

Result<std::vector<SecretVersionRecord>>
SqliteSecretRepository::CollectVersions(Statement& stmt,
                                        std::string_view context) {
  std::vector<SecretVersionRecord> versions;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return versions;
    WARDEN_ASSIGN_OR_RETURN(SecretVersionRecord v, DecodeVersion(stmt));
    versions.push_back(std::move(v));
  }
}

Result<SecretVersionRecord> SqliteSecretRepository::DecodeVersion(
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

}  // namespace warden::sqlite
