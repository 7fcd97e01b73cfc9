#include "store/sql/sql_exposure_limit_repository.h"

#include <string>

#include "store/sql/query.h"
#include "store/sql/string_list_column.h"

namespace warden::sql {
namespace {

constexpr char kLimitColumns[] =
    "id, scope, scope_values, flag_keys, environment, reason, actor, "
    "created_at_us, lifted_at_us, lifted_by, lift_reason, actor_role";
// kLimitColumns of `l` then the report's, for reads.
constexpr char kSelectLimits[] =
    "SELECT l.id, l.scope, l.scope_values, l.flag_keys, l.environment, "
    "l.reason, l.actor, l.created_at_us, l.lifted_at_us, l.lifted_by, "
    "l.lift_reason, l.actor_role, r.time_to_limit_us, r.report "
    "FROM exposure_limits l LEFT JOIN exposure_limit_reports r "
    "ON r.limit_id = l.id";

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

// The report row exists once a report was recorded; nothing else writes it.
Status PutReport(RepositoryContext& context, const ExposureLimitRecord& limit,
                 const std::string& operation) {
  if (!limit.time_to_limit_us && limit.report_json.empty()) {
    return Status::Ok();
  }
  return Execute(context.connection,
                 "INSERT INTO exposure_limit_reports (limit_id, "
                 "time_to_limit_us, report) VALUES (?, ?, ?) "
                 "ON CONFLICT(limit_id) DO UPDATE SET "
                 "time_to_limit_us = excluded.time_to_limit_us, "
                 "report = excluded.report",
                 operation + " report", limit.id, limit.time_to_limit_us,
                 limit.report_json);
}

}  // namespace

Status SqlExposureLimitRepository::Insert(const ExposureLimitRecord& limit) {
  context_.NoteChanged(ChangeKey::Exposure("limits"));
  const std::string context = "insert " + LimitName(limit.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              std::string("INSERT INTO exposure_limits (") + kLimitColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              context, limit.id,
              [&limit](Statement& s) { BindMutableColumns(s, limit); }));
  return PutReport(context_, limit, context);
}

Status SqlExposureLimitRepository::Update(const ExposureLimitRecord& limit) {
  context_.NoteChanged(ChangeKey::Exposure("limits"));
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
  WARDEN_RETURN_IF_ERROR(context_.RequireChanged(LimitName(limit.id)));
  return PutReport(context_, limit, context);
}

Result<ExposureLimitRecord> SqlExposureLimitRepository::Get(
    std::string_view id) {
  const std::string context = "get " + LimitName(id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ExposureLimitRecord> limit,
      QueryFirst(
          context_.connection, std::string(kSelectLimits) + " WHERE l.id = ?",
          context, [this](const Statement& s) { return Decode(s); }, id));
  if (!limit) return NotFound(LimitName(id) + " not found");
  return std::move(*limit);
}

Result<std::vector<ExposureLimitRecord>> SqlExposureLimitRepository::List(
    bool active_only) {
  return QueryRows(
      context_.connection,
      std::string(kSelectLimits) +
          " WHERE (? = 0 OR l.lifted_at_us IS NULL) "
          "ORDER BY l.created_at_us, l.id",
      "list exposure limits", [this](const Statement& s) { return Decode(s); },
      int64_t{active_only ? 1 : 0});
}

Result<ExposureLimitRecord> SqlExposureLimitRepository::Decode(
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
  limit.time_to_limit_us = s.OptionalInt(12);
  limit.report_json = s.Text(13);  // "" for NULL (no report row)
  return limit;
}

}  // namespace warden::sql
