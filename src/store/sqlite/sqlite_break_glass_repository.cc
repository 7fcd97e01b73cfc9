#include "store/sqlite/sqlite_break_glass_repository.h"

#include <string>

namespace warden::sqlite {
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
  stmt.Bind(r.kind);
  stmt.Bind(r.target_id);
  stmt.Bind(r.target_name);
  stmt.Bind(r.actor);
  stmt.Bind(r.reason);
  stmt.Bind(ToMicros(r.created_at));
  stmt.Bind(ToMicros(r.expires_at));
  stmt.Bind(OptionalMicros(r.ended_at));
  stmt.Bind(r.reviewed_by);
  stmt.Bind(OptionalMicros(r.reviewed_at));
  stmt.Bind(r.review_note);
}

}  // namespace

Status SqliteBreakGlassRepository::Insert(const BreakGlassRecord& r) {
  const std::string context = "insert break-glass " + r.id;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          std::string("INSERT INTO break_glass_events (") +
                              kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          context));
  stmt.Bind(r.id);
  BindTail(stmt, r);
  return stmt.Run(context);
}

Status SqliteBreakGlassRepository::Update(const BreakGlassRecord& r) {
  const std::string context = "update break-glass " + r.id;
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "UPDATE break_glass_events SET kind = ?, target_id = ?, "
          "target_name = ?, actor = ?, reason = ?, created_at_us = ?, "
          "expires_at_us = ?, ended_at_us = ?, reviewed_by = ?, "
          "reviewed_at_us = ?, review_note = ? WHERE id = ?",
          context));
  BindTail(stmt, r);
  stmt.Bind(r.id);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  if (context_.connection.Changes() == 1) return Status::Ok();
  return NotFound("break-glass " + r.id + " not found");
}

Result<BreakGlassRecord> SqliteBreakGlassRepository::Get(std::string_view id) {
  const std::string context = "get break-glass " + std::string(id);
  WARDEN_ASSIGN_OR_RETURN(Statement stmt, context_.connection.Prepare(
                                              Select("WHERE id = ?"), context));
  stmt.Bind(id);
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
  if (!row) return NotFound("break-glass " + std::string(id) + " not found");
  return Decode(stmt);
}

Result<std::vector<BreakGlassRecord>> SqliteBreakGlassRepository::List(
    bool unreviewed_only) {
  constexpr char kContext[] = "list break-glass";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          Select(
              "WHERE (? = 0 OR reviewed_by = '') ORDER BY created_at_us, id"),
          kContext));
  stmt.Bind(int64_t{unreviewed_only ? 1 : 0});
  return Collect(stmt, kContext);
}

Result<std::vector<BreakGlassRecord>>
SqliteBreakGlassRepository::ListDueReactivations(Timestamp now) {
  constexpr char kContext[] = "list due break-glass re-activations";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          Select("WHERE kind = 'identity_reactivation' AND ended_at_us IS NULL "
                 "AND expires_at_us <= ? ORDER BY expires_at_us, id"),
          kContext));
  stmt.Bind(ToMicros(now));
  return Collect(stmt, kContext);
}

Result<std::vector<BreakGlassRecord>> SqliteBreakGlassRepository::Collect(
    Statement& stmt, std::string_view context) {
  std::vector<BreakGlassRecord> records;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return records;
    records.push_back(Decode(stmt));
  }
}

}  // namespace warden::sqlite
