#include "store/sql/sql_audit_sink_cursor_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kColumns[] =
    "sink, delivered_sequence, holder, lease_expires_at_us, updated_at_us";

// Takes the lease when the row is new, already ours, or expired.
constexpr char kAcquireSql[] =
    "INSERT INTO audit_sink_cursors (sink, delivered_sequence, holder, "
    "lease_expires_at_us, updated_at_us) VALUES (?, 0, ?, ?, ?) "
    "ON CONFLICT (sink) DO UPDATE SET holder = excluded.holder, "
    "lease_expires_at_us = excluded.lease_expires_at_us "
    "WHERE audit_sink_cursors.holder = excluded.holder "
    "OR audit_sink_cursors.lease_expires_at_us <= ?";
// The same, whoever holds it (a store no other process shares).
constexpr char kStealSql[] =
    "INSERT INTO audit_sink_cursors (sink, delivered_sequence, holder, "
    "lease_expires_at_us, updated_at_us) VALUES (?, 0, ?, ?, ?) "
    "ON CONFLICT (sink) DO UPDATE SET holder = excluded.holder, "
    "lease_expires_at_us = excluded.lease_expires_at_us";

AuditSinkCursor DecodeCursor(const Statement& s) {
  AuditSinkCursor cursor;
  cursor.sink = s.Text(0);
  cursor.delivered_sequence = s.Int(1);
  cursor.holder = s.Text(2);
  cursor.lease_expires_at = FromMicros(s.Int(3));
  cursor.updated_at = FromMicros(s.Int(4));
  return cursor;
}

}  // namespace

Result<AuditSinkCursor> SqlAuditSinkCursorRepository::Acquire(
    std::string_view sink, std::string_view holder, Timestamp now,
    Timestamp lease_until, bool steal) {
  const std::string context = "acquire audit sink lease " + Quoted(sink);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  if (steal) {
    WARDEN_RETURN_IF_ERROR(Execute(context_.connection, kStealSql, context,
                                   sink, holder, ToMicros(lease_until),
                                   ToMicros(now)));
  } else {
    WARDEN_RETURN_IF_ERROR(Execute(context_.connection, kAcquireSql, context,
                                   sink, holder, ToMicros(lease_until),
                                   ToMicros(now), ToMicros(now)));
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<AuditSinkCursor> row,
      QueryFirst(context_.connection,
                 std::string("SELECT ") + kColumns +
                     " FROM audit_sink_cursors WHERE sink = ?",
                 context, DecodeCursor, sink));
  if (!row) return Internal(context + ": row missing after upsert");
  return std::move(*row);
}

Status SqlAuditSinkCursorRepository::Advance(std::string_view sink,
                                             std::string_view holder,
                                             int64_t delivered_sequence,
                                             Timestamp now,
                                             Timestamp lease_until) {
  const std::string context = "advance audit sink cursor " + Quoted(sink);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE audit_sink_cursors SET delivered_sequence = CASE WHEN "
      "delivered_sequence > ? THEN delivered_sequence ELSE ? END, "
      "lease_expires_at_us = ?, updated_at_us = ? WHERE sink = ? AND holder "
      "= ?",
      context, delivered_sequence, delivered_sequence, ToMicros(lease_until),
      ToMicros(now), sink, holder));
  if (context_.connection.Changes() > 0) return Status::Ok();
  return FailedPrecondition(
      context + ": another process holds the sink's lease",
      "audit-sink-lease-lost");
}

Status SqlAuditSinkCursorRepository::Release(std::string_view sink,
                                             std::string_view holder,
                                             Timestamp now) {
  const std::string context = "release audit sink lease " + Quoted(sink);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 "UPDATE audit_sink_cursors SET lease_expires_at_us = ? "
                 "WHERE sink = ? AND holder = ?",
                 context, ToMicros(now), sink, holder);
}

Result<std::vector<AuditSinkCursor>> SqlAuditSinkCursorRepository::List() {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kColumns +
                       " FROM audit_sink_cursors ORDER BY sink",
                   "list audit sink cursors", DecodeCursor);
}

}  // namespace warden::sql
