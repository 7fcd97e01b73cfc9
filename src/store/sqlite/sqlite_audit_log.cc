#include "store/sqlite/sqlite_audit_log.h"

#include <algorithm>
#include <string>
#include <variant>

namespace warden::sqlite {
namespace {

constexpr char kAuditColumns[] =
    "sequence, time_us, actor, action, target, outcome, details, prev_hash, "
    "hash";

}  // namespace

Result<AuditRecord> SqliteAuditLog::Append(const AuditEvent& event) {
  constexpr char kContext[] = "append audit record";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, Head());
  AuditRecord record;
  record.sequence = head ? head->sequence + 1 : 1;
  record.event = event;
  record.prev_hash = head ? head->hash : std::string(kAuditGenesisHash);
  record.hash = AuditRecordHash(record.sequence, event, record.prev_hash);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("INSERT INTO audit_log (") +
                                      kAuditColumns +
                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  kContext));
  stmt.Bind(record.sequence);
  stmt.Bind(ToMicros(event.time));
  stmt.Bind(event.actor);
  stmt.Bind(event.action);
  stmt.Bind(event.target);
  stmt.Bind(event.outcome);
  stmt.Bind(event.details);
  stmt.Bind(record.prev_hash);
  stmt.Bind(record.hash);
  WARDEN_RETURN_IF_ERROR(stmt.Run(kContext));
  return record;
}

Result<std::vector<AuditRecord>> SqliteAuditLog::Query(
    const AuditFilter& filter) {
  constexpr char kContext[] = "query audit log";
  std::string where;
  std::vector<std::variant<int64_t, std::string>> params;
  auto add = [&](const std::string& condition, auto value) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
    params.emplace_back(std::move(value));
  };
  if (filter.actor) add("actor = ?", *filter.actor);
  if (filter.action) {
    const std::string& action = *filter.action;
    if (!action.empty() && action.back() == '*') {
      std::string prefix = action.substr(0, action.size() - 1);
      // The range keeps the action index usable; the byte-wise substr()
      // makes it exact for any UTF-8 and free of LIKE wildcards.
      add("action >= ?", prefix);
      add("substr(CAST(action AS BLOB), 1, ?) = CAST(? AS BLOB)",
          static_cast<int64_t>(prefix.size()));
      params.emplace_back(prefix);
    } else {
      add("action = ?", action);
    }
  }
  if (filter.target) add("target = ?", *filter.target);
  if (filter.since) add("time_us >= ?", ToMicros(*filter.since));
  if (filter.until) add("time_us < ?", ToMicros(*filter.until));
  if (filter.after_sequence) add("sequence > ?", *filter.after_sequence);
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log" +
                    where + " ORDER BY sequence " +
                    (filter.newest_first ? "DESC" : "ASC") + " LIMIT ?";
  // Bound, not inlined: one cached statement per filter combination.
  params.emplace_back(
      int64_t{std::clamp(filter.limit, 1, kMaxAuditQueryLimit)});
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(sql, kContext));
  for (const auto& param : params) {
    std::visit([&stmt](const auto& value) { stmt.Bind(value); }, param);
  }
  std::vector<AuditRecord> records;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
    if (!row) return records;
    records.push_back(Decode(stmt));
  }
}

Result<std::optional<AuditRecord>> SqliteAuditLog::Head() {
  constexpr char kContext[] = "read audit head";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kAuditColumns +
                                      " FROM audit_log ORDER BY sequence "
                                      "DESC LIMIT 1",
                                  kContext));
  WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
  if (!row) return std::optional<AuditRecord>();
  return std::optional<AuditRecord>(Decode(stmt));
}

AuditRecord SqliteAuditLog::Decode(const Statement& stmt) {
  AuditRecord record;
  record.sequence = stmt.Int(0);
  record.event.time = FromMicros(stmt.Int(1));
  record.event.actor = stmt.Text(2);
  record.event.action = stmt.Text(3);
  record.event.target = stmt.Text(4);
  record.event.outcome = stmt.Text(5);
  record.event.details = stmt.Text(6);
  record.prev_hash = stmt.Text(7);
  record.hash = stmt.Text(8);
  return record;
}

}  // namespace warden::sqlite
