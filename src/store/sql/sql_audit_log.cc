#include "store/sql/sql_audit_log.h"

#include <algorithm>
#include <string>
#include <variant>

#include "core/audit_link_hasher.h"
#include "core/crypto.h"
#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kAuditColumns[] =
    "sequence, time_us, actor, action, target, outcome, details, prev_hash, "
    "hash, format";
constexpr char kAnchorColumns[] =
    "sequence, hash, format, time_us, key_id, signature";
// The one row of audit_anchor.
constexpr int64_t kAnchorRow = 1;

Result<AuditAnchorRecord> DecodeAnchor(const Statement& stmt) {
  AuditAnchorRecord anchor;
  anchor.sequence = stmt.Int(0);
  anchor.hash = stmt.Text(1);
  anchor.format = static_cast<int>(stmt.Int(2));
  anchor.time_us = stmt.Int(3);
  anchor.key_id = stmt.Text(4);
  Result<std::string> signature = Base64UrlDecode(stmt.Text(5));
  // A mangled signature reads as none: verification reports it unsigned
  // rather than the read failing.
  if (signature.ok()) anchor.signature = std::move(signature).value();
  return anchor;
}

}  // namespace

Result<AuditRecord> SqlAuditLog::Append(const AuditEvent& event) {
  constexpr char kContext[] = "append audit record";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, LinkTarget());
  const AuditChainKey* key = context_.audit_key;
  if (key == nullptr && head && head->format != AuditHashFormat::kSha256) {
    return FailedPrecondition(
        std::string(kContext) +
            ": the chain is keyed and this store was opened without the "
            "audit key [" +
            context_.connection.location() + "]",
        "audit-key-required");
  }
  AuditRecord record;
  record.sequence = head ? head->sequence + 1 : 1;
  record.event = event;
  record.prev_hash = head ? head->hash : std::string(kAuditGenesisHash);
  record.format = key ? AuditHashFormat::kHmacSha256 : AuditHashFormat::kSha256;
  record.hash = AuditLinkHash(key, record.format, record.sequence, event,
                              record.prev_hash);
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      std::string("INSERT INTO audit_log (") + kAuditColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      kContext, record.sequence, ToMicros(event.time), event.actor,
      event.action, event.target, event.outcome, event.details,
      record.prev_hash, record.hash, int64_t{static_cast<int>(record.format)}));
  return record;
}

Result<std::vector<AuditRecord>> SqlAuditLog::Query(const AuditFilter& filter) {
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
      if (context_.connection.dialect() == Dialect::kPostgres) {
        add("starts_with(action, ?)", prefix);
      } else {
        add("substr(CAST(action AS BLOB), 1, ?) = CAST(? AS BLOB)",
            static_cast<int64_t>(prefix.size()));
        params.emplace_back(prefix);
      }
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
  return QueryRows(context_.connection, sql, kContext, Decode, params);
}

Result<std::optional<AuditRecord>> SqlAuditLog::Head() {
  return QueryFirst(context_.connection,
                    std::string("SELECT ") + kAuditColumns +
                        " FROM audit_log ORDER BY sequence DESC LIMIT 1",
                    "read audit head", Decode);
}

Status SqlAuditLog::Scan(
    int64_t first, int64_t last,
    const std::function<bool(const AuditRecordView&)>& visit) {
  constexpr char kContext[] = "scan audit log";
  // A range of the rowid itself (sequence is the INTEGER PRIMARY KEY): one
  // B-tree walk in order, no index, no sort.
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(std::string("SELECT ") + kAuditColumns +
                                      " FROM audit_log WHERE sequence >= ? "
                                      "AND sequence <= ? ORDER BY sequence",
                                  kContext));
  BindAll(stmt, first, last);
  // Stepped by hand, not QueryRows: each row is a view into SQLite's page
  // (no copy, no vector of the whole range) and the visitor may stop early.
  AuditRecordView view;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
    if (!row) return Status::Ok();
    view.sequence = stmt.Int(0);
    view.time_us = stmt.Int(1);
    view.actor = stmt.TextView(2);
    view.action = stmt.TextView(3);
    view.target = stmt.TextView(4);
    view.outcome = stmt.TextView(5);
    view.details = stmt.TextView(6);
    view.prev_hash = stmt.TextView(7);
    view.hash = stmt.TextView(8);
    view.format = static_cast<int>(stmt.Int(9));
    if (!visit(view)) return Status::Ok();
  }
}

Result<std::optional<AuditAnchorRecord>> SqlAuditLog::Anchor() {
  return QueryFirst(context_.connection,
                    std::string("SELECT ") + kAnchorColumns +
                        " FROM audit_anchor WHERE id = ?",
                    "read audit anchor", DecodeAnchor, kAnchorRow);
}

Result<std::optional<AuditRecord>> SqlAuditLog::LinkTarget() {
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, Head());
  if (head) return head;
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditAnchorRecord> anchor, Anchor());
  if (!anchor) return head;
  AuditRecord previous;
  previous.sequence = anchor->sequence;
  previous.hash = anchor->hash;
  previous.format = anchor->format == static_cast<int>(AuditHashFormat::kSha256)
                        ? AuditHashFormat::kSha256
                        : AuditHashFormat::kHmacSha256;
  return std::optional<AuditRecord>(std::move(previous));
}

Status SqlAuditLog::CheckPrunable(const AuditAnchorRecord& anchor) {
  constexpr char kContext[] = "prune audit log";
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<std::string> hash,
      QueryFirst(
          context_.connection, "SELECT hash FROM audit_log WHERE sequence = ?",
          kContext, [](const Statement& s) { return s.Text(0); },
          anchor.sequence));
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditRecord> head, Head());
  if (!hash || *hash != anchor.hash || !head ||
      head->sequence <= anchor.sequence) {
    return FailedPrecondition(
        std::string(kContext) + ": the new anchor (sequence " +
            std::to_string(anchor.sequence) +
            ") must name a stored record, by its hash, before the head",
        "audit-anchor-mismatch");
  }
  return Status::Ok();
}

Result<int64_t> SqlAuditLog::Prune(int64_t expected_sequence,
                                   const AuditAnchorRecord& anchor) {
  constexpr char kContext[] = "prune audit log";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(kContext));
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditAnchorRecord> current, Anchor());
  const int64_t stored = current ? current->sequence : 0;
  if (stored != expected_sequence) {
    return FailedPrecondition(
        std::string(kContext) + ": the chain anchor moved from sequence " +
            std::to_string(expected_sequence) + " to " +
            std::to_string(stored) + " (another process pruned meanwhile)",
        "audit-anchor-conflict");
  }
  WARDEN_RETURN_IF_ERROR(CheckPrunable(anchor));
  WARDEN_RETURN_IF_ERROR(Execute(context_.connection,
                                 "DELETE FROM audit_log WHERE sequence <= ?",
                                 kContext, anchor.sequence));
  const int64_t deleted = context_.connection.Changes();
  // Upsert spelled as delete + insert: the same SQL on both dialects, and
  // the compare above already ran under the store's write lock.
  WARDEN_RETURN_IF_ERROR(Execute(context_.connection,
                                 "DELETE FROM audit_anchor WHERE id = ?",
                                 kContext, kAnchorRow));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              std::string("INSERT INTO audit_anchor (id, ") + kAnchorColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?)",
              kContext, kAnchorRow, anchor.sequence, anchor.hash,
              int64_t{anchor.format}, anchor.time_us, anchor.key_id,
              Base64UrlEncode(anchor.signature)));
  return deleted;
}

Result<AuditHead> SqlAuditLog::ReadHead(Connection& connection) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<AuditHead> head,
      QueryFirst(
          connection,
          "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1",
          "read committed audit head", [](const Statement& s) {
            AuditHead head;
            head.sequence = s.Int(0);
            head.hash = s.Text(1);
            return head;
          }));
  return head.value_or(AuditHead());
}

AuditRecord SqlAuditLog::Decode(const Statement& stmt) {
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
  // Unknown values read as keyed: never mistaken for the weaker format.
  record.format = stmt.Int(9) == static_cast<int>(AuditHashFormat::kSha256)
                      ? AuditHashFormat::kSha256
                      : AuditHashFormat::kHmacSha256;
  return record;
}

}  // namespace warden::sql
