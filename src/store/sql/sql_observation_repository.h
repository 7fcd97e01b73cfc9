// Observations and scan runs in SQL (either store): one row per (kind, key) in
// `observations` (updated in place by re-scans), indexed by the identity it
// matched, by (source, scan target, last seen) for marking what a complete
// scan no longer saw, and by state; one row per scan in `scan_runs`.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_OBSERVATION_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_OBSERVATION_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Page sizes outside [1, kMaxObservationPageSize] are clamped.
inline constexpr int kMaxObservationPageSize = 1000;

class SqlObservationRepository final : public ObservationRepository {
 public:
  explicit SqlObservationRepository(RepositoryContext& context)
      : context_(context) {}
  Status Put(const ObservationRecord& observation) override;
  Result<ObservationRecord> Get(std::string_view kind,
                                std::string_view key) override;
  Result<Page<ObservationRecord>> List(const ObservationFilter& filter,
                                       const PageRequest& page) override;
  Result<int64_t> Count(const ObservationFilter& filter) override;
  Result<std::pair<int64_t, int64_t>> CountInventoried(
      const std::vector<std::string>& kinds,
      const IdentityFilter& scope) override;
  Result<int64_t> MarkGone(std::string_view source, std::string_view target,
                           Timestamp before) override;
  Result<Page<Identity>> ListMissing(const PageRequest& page) override;
  Result<int64_t> CountMissing() override;
  Status PutScan(const ScanRunRecord& scan) override;
  Result<ScanRunRecord> GetScan(std::string_view id) override;
  Result<std::vector<ScanRunRecord>> ListScans(int limit) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_OBSERVATION_REPOSITORY_H_
