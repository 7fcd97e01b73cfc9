// Exposure limits in SQL (either store): one row per limit in
// `exposure_limits`; the short scope-value and flag-key lists are JSON arrays
// in their columns. The time to limit and report live in
// `exposure_limit_reports` (one row per limit, written by Insert/Update once
// either is set; reads join it).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_EXPOSURE_LIMIT_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_EXPOSURE_LIMIT_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlExposureLimitRepository final : public ExposureLimitRepository {
 public:
  explicit SqlExposureLimitRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ExposureLimitRecord& limit) override;
  Status Update(const ExposureLimitRecord& limit) override;
  Result<ExposureLimitRecord> Get(std::string_view id) override;
  Result<std::vector<ExposureLimitRecord>> List(bool active_only) override;

 private:
  Result<ExposureLimitRecord> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_EXPOSURE_LIMIT_REPOSITORY_H_
