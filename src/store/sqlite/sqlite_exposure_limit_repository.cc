#include "store/sqlite/sqlite_exposure_limit_repository.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

namespace warden::sqlite {
namespace {

constexpr char kLimitColumns[] =
    "id, scope, scope_values, flag_keys, environment, reason, actor, "
    "created_at_us, lifted_at_us, lifted_by, lift_reason, actor_role";

std::string LimitName(std::string_view id) {
  return "exposure limit '" + std::string(id) + "'";
}

std::string EncodeList(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const std::string& item : items) array.emplace_back(item);
  return boost::json::serialize(array);
}

std::optional<std::vector<std::string>> DecodeList(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_string()) return std::nullopt;
    items.emplace_back(item.get_string());
  }
  return items;
}

// Binds every column but id, in kLimitColumns order.
void BindMutableColumns(Statement& stmt, const ExposureLimitRecord& limit) {
  stmt.Bind(limit.scope);
  stmt.Bind(EncodeList(limit.scope_values));
  stmt.Bind(EncodeList(limit.flag_keys));
  if (limit.environment) {
    stmt.Bind(Name(*limit.environment));
  } else {
    stmt.BindNull();
  }
  stmt.Bind(limit.reason);
  stmt.Bind(limit.actor);
  stmt.Bind(ToMicros(limit.created_at));
  stmt.Bind(OptionalMicros(limit.lifted_at));
  stmt.Bind(limit.lifted_by);
  stmt.Bind(limit.lift_reason);
  stmt.Bind(limit.actor_role);
}

}  // namespace

Status SqliteExposureLimitRepository::Insert(const ExposureLimitRecord& limit) {
  const std::string context = "insert " + LimitName(limit.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("INSERT INTO exposure_limits (") + kLimitColumns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          context));
  stmt.Bind(limit.id);
  BindMutableColumns(stmt, limit);
  return stmt.Run(context);
}

Status SqliteExposureLimitRepository::Update(const ExposureLimitRecord& limit) {
  const std::string context = "update " + LimitName(limit.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE exposure_limits SET scope = ?, scope_values = ?, "
          "flag_keys = ?, environment = ?, reason = ?, actor = ?, "
          "created_at_us = ?, lifted_at_us = ?, lifted_by = ?, "
          "lift_reason = ?, actor_role = ? WHERE id = ?",
          context));
  BindMutableColumns(stmt, limit);
  stmt.Bind(limit.id);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound(LimitName(limit.id) + " not found");
}

Result<ExposureLimitRecord> SqliteExposureLimitRepository::Get(
    std::string_view id) {
  const std::string context = "get " + LimitName(id);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kLimitColumns +
                                      " FROM exposure_limits WHERE id = ?",
                                  context));
  stmt.Bind(id);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound(LimitName(id) + " not found");
  return Decode(stmt);
}

Result<std::vector<ExposureLimitRecord>> SqliteExposureLimitRepository::List(
    bool active_only) {
  constexpr char kContext[] = "list exposure limits";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          std::string("SELECT ") + kLimitColumns +
              " FROM exposure_limits WHERE (? = 0 OR lifted_at_us IS NULL) "
              "ORDER BY created_at_us, id",
          kContext));
  stmt.Bind(int64_t{active_only ? 1 : 0});
  std::vector<ExposureLimitRecord> limits;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
    if (!row) return limits;
    WARDEN_ASSIGN_OR_RETURN(ExposureLimitRecord limit, Decode(stmt));
    limits.push_back(std::move(limit));
  }
}

Result<ExposureLimitRecord> SqliteExposureLimitRepository::Decode(
    const Statement& s) const {
  ExposureLimitRecord limit;
  limit.id = s.Text(0);
  limit.scope = s.Text(1);
  auto values = DecodeList(s.Text(2));
  if (!values)
    return context_.Corrupt("exposure_limits.scope_values", s.Text(2));
  limit.scope_values = std::move(*values);
  auto flags = DecodeList(s.Text(3));
  if (!flags) return context_.Corrupt("exposure_limits.flag_keys", s.Text(3));
  limit.flag_keys = std::move(*flags);
  if (!s.IsNull(4)) {
    WARDEN_ASSIGN_OR_RETURN(limit.environment,
                            context_.Decode(s, 4, "exposure_limits.environment",
                                            &ParseEnvironment));
  }
  limit.reason = s.Text(5);
  limit.actor = s.Text(6);
  limit.created_at = FromMicros(s.Int(7));
  limit.lifted_at = OptionalTimestamp(s.OptionalInt(8));
  limit.lifted_by = s.Text(9);
  limit.lift_reason = s.Text(10);
  limit.actor_role = s.Text(11);
  return limit;
}

}  // namespace warden::sqlite
