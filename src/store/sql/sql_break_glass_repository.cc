#include "store/sql/sql_break_glass_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kColumns[] =
    "id, kind, target_id, target_name, actor, reason, created_at_us, "
    "expires_at_us, ended_at_us, reviewed_by, reviewed_at_us, review_note";

std::string Select(const char* where) {
  return std::string("SELECT ") + kColumns + " FROM break_glass_events " +
         where;
}

BreakGlassRecord Decode(const Statement& s) {
  BreakGlassRecord r;
  r.id = s.Text(0);
  r.kind = s.Text(1);
  r.target_id = s.Text(2);
  r.target_name = s.Text(3);
  r.actor = s.Text(4);
  r.reason = s.Text(5);
  r.created_at = FromMicros(s.Int(6));
  r.expires_at = FromMicros(s.Int(7));
  r.ended_at = OptionalTimestamp(s.OptionalInt(8));
  r.reviewed_by = s.Text(9);
  r.reviewed_at = OptionalTimestamp(s.OptionalInt(10));
  r.review_note = s.Text(11);
  return r;
}

void BindTail(Statement& stmt, const BreakGlassRecord& r) {
  BindAll(stmt, r.kind, r.target_id, r.target_name, r.actor, r.reason,
          ToMicros(r.created_at), ToMicros(r.expires_at),
          OptionalMicros(r.ended_at), r.reviewed_by,
          OptionalMicros(r.reviewed_at), r.review_note);
}

}  // namespace

Status SqlBreakGlassRepository::Insert(const BreakGlassRecord& r) {
  const std::string context = "insert break-glass " + r.id;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 std::string("INSERT INTO break_glass_events (") + kColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                 context, r.id, [&r](Statement& s) { BindTail(s, r); });
}

Status SqlBreakGlassRepository::Update(const BreakGlassRecord& r) {
  const std::string context = "update break-glass " + r.id;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE break_glass_events SET kind = ?, target_id = ?, "
      "target_name = ?, actor = ?, reason = ?, created_at_us = ?, "
      "expires_at_us = ?, ended_at_us = ?, reviewed_by = ?, "
      "reviewed_at_us = ?, review_note = ? WHERE id = ?",
      context, [&r](Statement& s) { BindTail(s, r); }, r.id));
  return context_.RequireChanged("break-glass " + r.id);
}

Result<BreakGlassRecord> SqlBreakGlassRepository::Get(std::string_view id) {
  const std::string context = "get break-glass " + std::string(id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<BreakGlassRecord> record,
      QueryFirst(context_.connection, Select("WHERE id = ?"), context, Decode,
                 id));
  if (!record) return NotFound("break-glass " + std::string(id) + " not found");
  return std::move(*record);
}

Result<std::vector<BreakGlassRecord>> SqlBreakGlassRepository::List(
    bool unreviewed_only) {
  return QueryRows(
      context_.connection,
      Select("WHERE (? = 0 OR reviewed_by = '') ORDER BY created_at_us, id"),
      "list break-glass", Decode, int64_t{unreviewed_only ? 1 : 0});
}

Result<std::vector<BreakGlassRecord>>
SqlBreakGlassRepository::ListDueReactivations(Timestamp now) {
  return QueryRows(
      context_.connection,
      Select("WHERE kind = 'identity_reactivation' AND ended_at_us IS NULL "
             "AND expires_at_us <= ? ORDER BY expires_at_us, id"),
      "list due break-glass re-activations", Decode, ToMicros(now));
}

}  // namespace warden::sql
