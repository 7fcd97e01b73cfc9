#include "store/sql/sql_identity_repository.h"

#include <algorithm>
#include <string>

#include "store/change_feed.h"
#include "store/sql/identity_name_search.h"
#include "store/sql/identity_query.h"
#include "store/sql/query.h"
#include "store/sql/string_list_column.h"

namespace warden::sql {
namespace {

// Bounds ListExpiredActive batches (the sweep calls again for more).
constexpr int kMaxExpiredBatch = 1000;

// Binds every column but id and version, in kIdentityColumns order.
void BindMutableColumns(Statement& stmt, const Identity& identity) {
  BindAll(stmt, identity.name, Name(identity.kind), identity.owner,
          identity.application, Name(identity.environment),
          identity.business_function, Name(identity.risk_tier),
          int64_t{identity.risk_tier_declared}, identity.risk_reason,
          identity.auth_method, EncodeStringList(identity.scopes),
          std::optional<int64_t>(identity.rotation_days),
          ToMicros(identity.expires_at), identity.justification,
          identity.vendor, identity.tenant, Name(identity.status),
          identity.status_reason, ToMicros(identity.created_at),
          ToMicros(identity.updated_at), OptionalMicros(identity.last_used_at),
          identity.external_id, identity.sponsor, identity.task_scope);
}

}  // namespace

Status SqlIdentityRepository::Insert(const Identity& identity) {
  constexpr char kContext[] = "insert identity";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO identities (") + kIdentityColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
              "?, ?, ?, ?, ?, ?, ?, ?, ?)",
          kContext));
  return Execute(
      stmt, "insert identity " + identity.name, identity.id,
      [&identity](Statement& s) { BindMutableColumns(s, identity); },
      identity.version);
}

Status SqlIdentityRepository::Update(const Identity& identity) {
  constexpr char kContext[] = "update identity";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  context_.NoteChanged(ChangeKey::Identity(identity.id));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE identities SET name = ?, kind = ?, owner = ?, "
          "application = ?, environment = ?, business_function = ?, "
          "risk_tier = ?, risk_tier_declared = ?, risk_reason = ?, "
          "auth_method = ?, scopes = ?, rotation_days = ?, expires_at_us = ?, "
          "justification = ?, vendor = ?, tenant = ?, status = ?, "
          "status_reason = ?, created_at_us = ?, updated_at_us = ?, "
          "last_used_at_us = ?, external_id = ?, sponsor = ?, task_scope = ?, "
          "version = ? WHERE id = ? AND version = ?",
          kContext));
  WARDEN_RETURN_IF_ERROR(Execute(
      stmt, "update identity " + identity.id,
      [&identity](Statement& s) { BindMutableColumns(s, identity); },
      identity.version, identity.id, identity.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(Identity stored, Get(identity.id));
  return FailedPrecondition("identity " + identity.id + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(identity.version - 1),
                            "version-conflict");
}

Result<Identity> SqlIdentityRepository::Get(std::string_view id) {
  return GetWhere("id", id);
}

Result<Identity> SqlIdentityRepository::GetByName(std::string_view name) {
  return GetWhere("name", name);
}

Result<Identity> SqlIdentityRepository::GetWhere(const char* column,
                                                 std::string_view key) {
  std::string context = "get identity by " + std::string(column);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<Identity> identity,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kIdentityColumns +
              " FROM identities WHERE " + column + " = ?",
          context, [this](const Statement& s) { return Decode(s); }, key));
  if (!identity) {
    return NotFound("identity with " + std::string(column) + " '" +
                    std::string(key) + "' not found");
  }
  return std::move(*identity);
}

Result<Page<Identity>> SqlIdentityRepository::List(const IdentityFilter& filter,
                                                   const PageRequest& page) {
  WARDEN_ASSIGN_OR_RETURN(NameSearch name_search,
                          ChooseNameSearch(context_.connection, filter));
  SqlQuery query = BuildIdentityListQuery(filter, page, name_search);
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<Identity> rows,
      QueryRows(
          context_.connection, query.sql, "list identities",
          [this](const Statement& s) { return Decode(s); }, query.params));
  Page<Identity> result;
  size_t page_size = static_cast<size_t>(ClampIdentityPageSize(page.limit));
  if (rows.size() > page_size) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<int64_t> SqlIdentityRepository::CountByOwner(std::string_view team) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> count,
      QueryFirst(
          context_.connection,
          "SELECT COUNT(*) FROM identities WHERE owner = ?",
          "count identities by owner",
          [](const Statement& s) { return s.Int(0); }, team));
  return count.value_or(0);
}

Result<std::vector<Identity>> SqlIdentityRepository::ListExpiredActive(
    Timestamp now, int limit) {
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kIdentityColumns +
          " FROM identities WHERE status = 'active' AND expires_at_us <= "
          "? ORDER BY expires_at_us, id LIMIT ?",
      "list expired active identities",
      [this](const Statement& s) { return Decode(s); }, ToMicros(now),
      int64_t{std::clamp(limit, 1, kMaxExpiredBatch)});
}

Status SqlIdentityRepository::TouchLastUsed(std::string_view id, Timestamp at) {
  constexpr char kContext[] = "touch identity last_used_at";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  return Execute(context_.connection,
                 "UPDATE identities SET last_used_at_us = ?1 WHERE id = ?2 AND "
                 "(last_used_at_us IS NULL OR last_used_at_us < ?1)",
                 kContext, ToMicros(at), id);
}

Result<Identity> SqlIdentityRepository::GetByExternalId(
    std::string_view external_id) {
  if (external_id.empty()) {
    return NotFound("identity with an empty external id");
  }
  // The second term repeats the partial index's condition, so that the
  // planner may use identities_external_id for a bound parameter.
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<Identity> identity,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kIdentityColumns +
              " FROM identities WHERE external_id = ? AND external_id != ''",
          "get identity by external id",
          [this](const Statement& s) { return Decode(s); }, external_id));
  if (!identity) {
    return NotFound("identity with external_id '" + std::string(external_id) +
                    "' not found");
  }
  return std::move(*identity);
}

Result<int64_t> SqlIdentityRepository::Count(const IdentityFilter& filter) {
  WARDEN_ASSIGN_OR_RETURN(NameSearch name_search,
                          ChooseNameSearch(context_.connection, filter));
  SqlQuery query = BuildIdentityCountQuery(filter, name_search);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> count,
      QueryFirst(
          context_.connection, query.sql, "count identities",
          [](const Statement& s) { return s.Int(0); }, query.params));
  return count.value_or(0);
}

Result<Identity> SqlIdentityRepository::Decode(const Statement& s) const {
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
  auto scopes = DecodeStringList(s.Text(11));
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
  identity.external_id = s.Text(22);
  identity.sponsor = s.Text(23);
  identity.task_scope = s.Text(24);
  identity.version = s.Int(25);
  return identity;
}

}  // namespace warden::sql
