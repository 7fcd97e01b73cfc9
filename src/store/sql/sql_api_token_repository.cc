#include "store/sql/sql_api_token_repository.h"

#include <string>

#include "store/change_feed.h"
#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kTokenColumns[] =
    "id, secret_hash, \"user\", role, team, environment, tenant, description, "
    "created_by, created_at_us, expires_at_us, revoked_at_us, "
    "last_used_at_us";

// Binds every column but id, in kTokenColumns order.
void BindMutableColumns(Statement& stmt, const ApiToken& t) {
  BindAll(stmt, t.secret_hash, t.user, Name(t.role), t.team);
  if (t.environment) {
    stmt.Bind(Name(*t.environment));
  } else {
    stmt.BindNull();
  }
  BindAll(stmt, t.tenant, t.description, t.created_by, ToMicros(t.created_at),
          ToMicros(t.expires_at), OptionalMicros(t.revoked_at),
          OptionalMicros(t.last_used_at));
}

}  // namespace

Status SqlApiTokenRepository::Insert(const ApiToken& token) {
  std::string context = "insert api token " + Quoted(token.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO api_tokens (") + kTokenColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 context, token.id,
                 [&token](Statement& s) { BindMutableColumns(s, token); });
}

Status SqlApiTokenRepository::Update(const ApiToken& token) {
  std::string context = "update api token " + Quoted(token.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  context_.NoteChanged(ChangeKey::ApiToken(token.id));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE api_tokens SET secret_hash = ?, \"user\" = ?, role = ?, "
      "team = ?, environment = ?, tenant = ?, description = ?, "
      "created_by = ?, created_at_us = ?, expires_at_us = ?, "
      "revoked_at_us = ?, last_used_at_us = ? WHERE id = ?",
      context, [&token](Statement& s) { BindMutableColumns(s, token); },
      token.id));
  return context_.RequireChanged("api token " + Quoted(token.id));
}

Status SqlApiTokenRepository::TouchLastUsed(std::string_view id, Timestamp at) {
  constexpr char kContext[] = "touch api token last_used_at";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  return Execute(context_.connection,
                 "UPDATE api_tokens SET last_used_at_us = ?1 WHERE id = ?2 AND "
                 "(last_used_at_us IS NULL OR last_used_at_us < ?1)",
                 kContext, ToMicros(at), id);
}

Result<ApiToken> SqlApiTokenRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<ApiToken> SqlApiTokenRepository::GetBySecretHash(
    std::string_view secret_hash) {
  return GetWhere("secret_hash", secret_hash);
}

Result<ApiToken> SqlApiTokenRepository::GetWhere(const char* column,
                                                 std::string_view key) {
  // The key is not echoed: a secret hash is only ever compared.
  std::string context = "get api token by " + std::string(column);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ApiToken> token,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE " +
              column + " = ?",
          context, [this](const Statement& s) { return Decode(s); }, key));
  if (!token) return NotFound("api token not found by " + std::string(column));
  return std::move(*token);
}

Result<std::vector<ApiToken>> SqlApiTokenRepository::List() {
  constexpr char kContext[] = "list api tokens";
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kTokenColumns + " FROM api_tokens ORDER BY id",
      kContext, [this](const Statement& s) { return Decode(s); });
}

Result<ApiToken> SqlApiTokenRepository::Decode(const Statement& s) const {
  ApiToken t;
  t.id = s.Text(0);
  t.secret_hash = s.Text(1);
  t.user = s.Text(2);
  WARDEN_ASSIGN_OR_RETURN(t.role,
                          context_.Decode(s, 3, "api_tokens.role", ParseRole));
  t.team = s.Text(4);
  if (!s.IsNull(5)) {
    WARDEN_ASSIGN_OR_RETURN(
        t.environment,
        context_.Decode(s, 5, "api_tokens.environment", ParseEnvironment));
  }
  t.tenant = s.Text(6);
  t.description = s.Text(7);
  t.created_by = s.Text(8);
  t.created_at = FromMicros(s.Int(9));
  t.expires_at = FromMicros(s.Int(10));
  t.revoked_at = OptionalTimestamp(s.OptionalInt(11));
  t.last_used_at = OptionalTimestamp(s.OptionalInt(12));
  return t;
}

}  // namespace warden::sql
