// AuditSinkCursorRepository in SQL (either store): the table
// audit_sink_cursors, one row per sink. The lease is taken with one
// conditional upsert, so two processes racing for it serialise on the
// row and exactly one wins.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_AUDIT_SINK_CURSOR_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_AUDIT_SINK_CURSOR_REPOSITORY_H_

#include "store/audit_sink_cursor_repository.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlAuditSinkCursorRepository final : public AuditSinkCursorRepository {
 public:
  explicit SqlAuditSinkCursorRepository(RepositoryContext& context)
      : context_(context) {}

  Result<AuditSinkCursor> Acquire(std::string_view sink,
                                  std::string_view holder, Timestamp now,
                                  Timestamp lease_until, bool steal) override;
  Status Advance(std::string_view sink, std::string_view holder,
                 int64_t delivered_sequence, Timestamp now,
                 Timestamp lease_until) override;
  Status Release(std::string_view sink, std::string_view holder,
                 Timestamp now) override;
  Result<std::vector<AuditSinkCursor>> List() override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_AUDIT_SINK_CURSOR_REPOSITORY_H_
