// Usage sightings in SQL (either store): one row per (identity, source network,
// user agent, client) in `usage_sightings`, merged in place, keyed so that an
// identity's rows and a range of identities' rows are index range scans.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_USAGE_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_USAGE_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlUsageRepository final : public UsageRepository {
 public:
  explicit SqlUsageRepository(RepositoryContext& context) : context_(context) {}
  Status AddSightings(
      const std::vector<UsageSightingRecord>& sightings) override;
  Result<std::vector<UsageSightingRecord>> ListSightings(
      std::string_view identity_id) override;
  Result<std::vector<UsageSightingRecord>> ListSightingsBetween(
      std::string_view after_id, std::string_view last_id) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_USAGE_REPOSITORY_H_
