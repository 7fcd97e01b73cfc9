// Findings in SQL (either store): one row per (rule, subject) in `findings`,
// indexed by subject (the sweep's range reads), state, rule, owner and OWASP
// entry (the list filters, each ending in id for keyset pages).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_FINDING_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_FINDING_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Page sizes outside [1, kMaxFindingPageSize] are clamped.
inline constexpr int kMaxFindingPageSize = 500;

class SqlFindingRepository final : public FindingRepository {
 public:
  explicit SqlFindingRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const FindingRecord& finding) override;
  Status Update(const FindingRecord& finding) override;
  Result<FindingRecord> Get(std::string_view id) override;
  Result<Page<FindingRecord>> List(const FindingFilter& filter,
                                   const PageRequest& page) override;
  Result<std::vector<FindingRecord>> ListBySubjectBetween(
      std::string_view after_key, std::string_view last_key) override;
  Result<std::vector<FindingCount>> Count(const FindingFilter& filter) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_FINDING_REPOSITORY_H_
