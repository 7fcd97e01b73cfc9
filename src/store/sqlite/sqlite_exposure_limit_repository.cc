#include "store/sqlite/sqlite_exposure_limit_repository.h"

#include <string>

#include "store/sqlite/sqlite_query.h"
#include "store/sqlite/string_list_column.h"

namespace warden::sqlite {
namespace {

constexpr char kLimitColumns[] =
    "id, scope, scope_values, flag_keys, environment, reason, actor, "
    "created_at_us, lifted_at_us, lifted_by, lift_reason, actor_role";

std::string LimitName(std::string_view id) {
  return "exposure limit '" + std::string(id) + "'";
}

// Binds every column but id, in kLimitColumns order.
void BindMutableColumns(Statement& stmt, const ExposureLimitRecord& limit) {
  BindAll(stmt, limit.scope, EncodeStringList(limit.scope_values),
          EncodeStringList(limit.flag_keys));
  if (limit.environment) {
    stmt.Bind(Name(*limit.environment));
  } else {
    stmt.BindNull();
  }
  BindAll(stmt, limit.reason, limit.actor, ToMicros(limit.created_at),
          OptionalMicros(limit.lifted_at), limit.lifted_by, limit.lift_reason,
          limit.actor_role);
}

}  // namespace

Status SqliteExposureLimitRepository::Insert(const ExposureLimitRecord& limit) {
  const std::string context = "insert " + LimitName(limit.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO exposure_limits (") + kLimitColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 context, limit.id,
                 [&limit](Statement& s) { BindMutableColumns(s, limit); });
}

Status SqliteExposureLimitRepository::Update(const ExposureLimitRecord& limit) {
  const std::string context = "update " + LimitName(limit.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE exposure_limits SET scope = ?, scope_values = ?, "
      "flag_keys = ?, environment = ?, reason = ?, actor = ?, "
      "created_at_us = ?, lifted_at_us = ?, lifted_by = ?, "
      "lift_reason = ?, actor_role = ? WHERE id = ?",
      context, [&limit](Statement& s) { BindMutableColumns(s, limit); },
      limit.id));
  return context_.RequireChanged(LimitName(limit.id));
}

Result<ExposureLimitRecord> SqliteExposureLimitRepository::Get(
    std::string_view id) {
  const std::string context = "get " + LimitName(id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ExposureLimitRecord> limit,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kLimitColumns +
              " FROM exposure_limits WHERE id = ?",
          context, [this](const Statement& s) { return Decode(s); }, id));
  if (!limit) return NotFound(LimitName(id) + " not found");
  return std::move(*limit);
}

Result<std::vector<ExposureLimitRecord>> SqliteExposureLimitRepository::List(
    bool active_only) {
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kLimitColumns +
          " FROM exposure_limits WHERE (? = 0 OR lifted_at_us IS NULL) "
          "ORDER BY created_at_us, id",
      "list exposure limits", [this](const Statement& s) { return Decode(s); },
      int64_t{active_only ? 1 : 0});
}

Result<ExposureLimitRecord> SqliteExposureLimitRepository::Decode(
    const Statement& s) const {
  ExposureLimitRecord limit;
  limit.id = s.Text(0);
  limit.scope = s.Text(1);
  auto values = DecodeStringList(s.Text(2));
  if (!values)
    return context_.Corrupt("exposure_limits.scope_values", s.Text(2));
  limit.scope_values = std::move(*values);
  auto flags = DecodeStringList(s.Text(3));
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
