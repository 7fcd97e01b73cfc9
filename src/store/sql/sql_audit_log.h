// AuditLog in SQL (either store): the hash-chained audit_log table.
//
// Append reads the head inside the current transaction (never a cached
// head), so a unit rolled back to its savepoint cannot leave a stale head
// behind for the next unit, and sequences stay gapless; a log emptied by
// pruning continues from its anchor (the one-row audit_anchor table). It
// keys the record with the context's audit key when there is one
// (audit_record.h).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_AUDIT_LOG_H_
#define WARDEN_STORE_SQL_SQL_AUDIT_LOG_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Query returns at most this many records, whatever the filter asks: a
// bound on one request's memory.
inline constexpr int kMaxAuditQueryLimit = 1000;

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(RepositoryContext& context) : context_(context) {}

  Result<AuditRecord> Append(const AuditEvent& event) override;
  Result<std::vector<AuditRecord>> Query(const AuditFilter& filter) override;
  Result<std::optional<AuditRecord>> Head() override;
  Status Scan(
      int64_t first, int64_t last,
      const std::function<bool(const AuditRecordView&)>& visit) override;
  Result<std::optional<AuditAnchorRecord>> Anchor() override;
  Result<int64_t> Prune(int64_t expected_sequence,
                        const AuditAnchorRecord& anchor) override;

  // The head as committed on `connection` (the group committer reads it
  // after each commit for the AuditHeadListener).
  static Result<AuditHead> ReadHead(Connection& connection);

 private:
  static AuditRecord Decode(const Statement& stmt);
  // What the next record links to: the head, else the anchor, else none.
  Result<std::optional<AuditRecord>> LinkTarget();
  Status CheckPrunable(const AuditAnchorRecord& anchor);

  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_AUDIT_LOG_H_
