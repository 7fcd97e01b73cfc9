#include "store/sqlite/sqlite_identity_repository.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "store/sqlite/identity_query.h"

namespace warden::sqlite {
namespace {

// Bounds ListExpiredActive batches (the sweep calls again for more).
constexpr int kMaxExpiredBatch = 1000;

std::string EncodeScopes(const std::vector<std::string>& scopes) {
  boost::json::array array;
  for (const std::string& scope : scopes) array.emplace_back(scope);
  return boost::json::serialize(array);
}

std::optional<std::vector<std::string>> DecodeScopes(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return std::nullopt;
  std::vector<std::string> scopes;
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_string()) return std::nullopt;
    scopes.emplace_back(item.get_string());
  }
  return scopes;
}

// Binds every column but id and version, in kIdentityColumns order.
void BindMutableColumns(Statement& stmt, const Identity& identity) {
  stmt.Bind(identity.name);
  stmt.Bind(Name(identity.kind));
  stmt.Bind(identity.owner);
  stmt.Bind(identity.application);
  stmt.Bind(Name(identity.environment));
  stmt.Bind(identity.business_function);
  stmt.Bind(Name(identity.risk_tier));
  stmt.Bind(int64_t{identity.risk_tier_declared});
  stmt.Bind(identity.risk_reason);
  stmt.Bind(identity.auth_method);
  stmt.Bind(EncodeScopes(identity.scopes));
  if (identity.rotation_days) {
    stmt.Bind(int64_t{*identity.rotation_days});
  } else {
    stmt.BindNull();
  }
  stmt.Bind(ToMicros(identity.expires_at));
  stmt.Bind(identity.justification);
  stmt.Bind(identity.vendor);
  stmt.Bind(identity.tenant);
  stmt.Bind(Name(identity.status));
  stmt.Bind(identity.status_reason);
  stmt.Bind(ToMicros(identity.created_at));
  stmt.Bind(ToMicros(identity.updated_at));
  stmt.Bind(OptionalMicros(identity.last_used_at));
}

void BindParams(Statement& stmt, const SqlQuery& query) {
  for (const auto& param : query.params) {
    std::visit([&stmt](const auto& value) { stmt.Bind(value); }, param);
  }
}

}  // namespace

Status SqliteIdentityRepository::Insert(const Identity& identity) {
  constexpr char kContext[] = "insert identity";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO identities (") + kIdentityColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
              "?, ?, ?, ?, ?, ?)",
          kContext));
  stmt.Bind(identity.id);
  BindMutableColumns(stmt, identity);
  stmt.Bind(identity.version);
  return stmt.Run("insert identity " + identity.name);
}

Status SqliteIdentityRepository::Update(const Identity& identity) {
  constexpr char kContext[] = "update identity";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE identities SET name = ?, kind = ?, owner = ?, "
          "application = ?, environment = ?, business_function = ?, "
          "risk_tier = ?, risk_tier_declared = ?, risk_reason = ?, "
          "auth_method = ?, scopes = ?, rotation_days = ?, expires_at_us = ?, "
          "justification = ?, vendor = ?, tenant = ?, status = ?, "
          "status_reason = ?, created_at_us = ?, updated_at_us = ?, "
          "last_used_at_us = ?, version = ? WHERE id = ? AND version = ?",
          kContext));
  BindMutableColumns(stmt, identity);
  stmt.Bind(identity.version);
  stmt.Bind(identity.id);
  stmt.Bind(identity.version - 1);
  WARDEN_RETURN_IF_ERROR(stmt.Run("update identity " + identity.id));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(Identity stored, Get(identity.id));
  return FailedPrecondition("identity " + identity.id + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(identity.version - 1),
                            "version-conflict");
}

Result<Identity> SqliteIdentityRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<Identity> SqliteIdentityRepository::GetByName(std::string_view name) {
  return GetWhere("name", name);
}

Result<Identity> SqliteIdentityRepository::GetWhere(const char* column,
                                                    std::string_view key) {
  std::string context = "get identity by " + std::string(column);
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(
                              std::string("SELECT ") + kIdentityColumns +
                                  " FROM identities WHERE " + column + " = ?",
                              context));
  stmt.Bind(key);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) {
    return NotFound("identity with " + std::string(column) + " '" +
                    std::string(key) + "' not found");
  }
  return Decode(stmt);
}

Result<Page<Identity>> SqliteIdentityRepository::List(
    const IdentityFilter& filter, const PageRequest& page) {
  constexpr char kContext[] = "list identities";
  SqlQuery query = BuildIdentityListQuery(filter, page);
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(query.sql, kContext));
  BindParams(stmt, query);
  WARDEN_ASSIGN_OR_RETURN(std::vector<Identity> rows, Collect(stmt, kContext));
  Page<Identity> result;
  size_t page_size = static_cast<size_t>(ClampIdentityPageSize(page.limit));
  if (rows.size() > page_size) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<int64_t> SqliteIdentityRepository::CountByOwner(std::string_view team) {
  constexpr char kContext[] = "count identities by owner";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "SELECT COUNT(*) FROM identities WHERE owner = ?", kContext));
  stmt.Bind(team);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
  return row ? stmt.Int(0) : 0;
}

Result<std::vector<Identity>> SqliteIdentityRepository::ListExpiredActive(
    Timestamp now, int limit) {
  constexpr char kContext[] = "list expired active identities";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kIdentityColumns +
              " FROM identities WHERE status = 'active' AND expires_at_us <= "
              "? ORDER BY expires_at_us, id LIMIT ?",
          kContext));
  stmt.Bind(ToMicros(now));
  stmt.Bind(int64_t{std::clamp(limit, 1, kMaxExpiredBatch)});
  return Collect(stmt, kContext);
}

Status SqliteIdentityRepository::TouchLastUsed(std::string_view id,
                                               Timestamp at) {
  constexpr char kContext[] = "touch identity last_used_at";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE identities SET last_used_at_us = ?1 WHERE id = ?2 AND "
          "(last_used_at_us IS NULL OR last_used_at_us < ?1)",
          kContext));
  stmt.Bind(ToMicros(at));
  stmt.Bind(id);
  return stmt.Run(kContext);
}

Result<std::vector<Identity>> SqliteIdentityRepository::Collect(
    Statement& stmt, std::string_view context) {
  std::vector<Identity> identities;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return identities;
    WARDEN_ASSIGN_OR_RETURN(Identity identity, Decode(stmt));
    identities.push_back(std::move(identity));
  }
}

Result<Identity> SqliteIdentityRepository::Decode(const Statement& s) const {
  Identity identity;
  identity.id = s.Text(0);
  identity.name = s.Text(1);
  WARDEN_ASSIGN_OR_RETURN(
      identity.kind,
      context_.Decode(s, 2, "identities.kind", ParseIdentityKind));
  identity.owner = s.Text(3);
  identity.application = s.Text(4);
  WARDEN_ASSIGN_OR_RETURN(
      identity.environment,
      context_.Decode(s, 5, "identities.environment", ParseEnvironment));
  identity.business_function = s.Text(6);
  WARDEN_ASSIGN_OR_RETURN(
      identity.risk_tier,
      context_.Decode(s, 7, "identities.risk_tier", ParseRiskTier));
  identity.risk_tier_declared = s.Int(8) != 0;
  identity.risk_reason = s.Text(9);
  identity.auth_method = s.Text(10);
  auto scopes = DecodeScopes(s.Text(11));
  if (!scopes) return context_.Corrupt("identities.scopes", s.Text(11));
  identity.scopes = std::move(*scopes);
  if (auto days = s.OptionalInt(12)) identity.rotation_days = int(*days);
  identity.expires_at = FromMicros(s.Int(13));
  identity.justification = s.Text(14);
  identity.vendor = s.Text(15);
  identity.tenant = s.Text(16);
  WARDEN_ASSIGN_OR_RETURN(
      identity.status,
      context_.Decode(s, 17, "identities.status", ParseIdentityStatus));
  identity.status_reason = s.Text(18);
  identity.created_at = FromMicros(s.Int(19));
  identity.updated_at = FromMicros(s.Int(20));
  identity.last_used_at = OptionalTimestamp(s.OptionalInt(21));
  identity.version = s.Int(22);
  return identity;
}

}  // namespace warden::sqlite
