// Approvals in SQL (either store): one row per request in `approvals`, indexed
// for the inbox (state + approver role or named approver), the requester, and
// the release/tenant and identity a request is about.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_APPROVAL_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_APPROVAL_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Page sizes outside [1, kMaxApprovalPageSize] are clamped.
inline constexpr int kMaxApprovalPageSize = 500;

class SqlApprovalRepository final : public ApprovalRepository {
 public:
  explicit SqlApprovalRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ApprovalRecord& approval) override;
  Status Update(const ApprovalRecord& approval) override;
  Result<ApprovalRecord> Get(std::string_view id) override;
  Result<Page<ApprovalRecord>> List(const ApprovalFilter& filter,
                                    const PageRequest& page) override;
  Result<std::vector<ApprovalRecord>> ListExpired(Timestamp now,
                                                  int limit) override;

 private:
  static ApprovalRecord Decode(const Statement& stmt);
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_APPROVAL_REPOSITORY_H_
