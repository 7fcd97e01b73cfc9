// Releases in SQL (either store): one row per release in `releases`, its
// dependency lists both as JSON arrays in the row (read with the release) and
// as rows of release_flags / release_identities / release_integrations (the
// reverse views' indexes). The latest signal values live in release_signals.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_RELEASE_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_RELEASE_REPOSITORY_H_

#include <string>
#include <utility>
#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

// Page sizes outside [1, kMaxReleasePageSize] are clamped.
inline constexpr int kMaxReleasePageSize = 500;

class SqlReleaseRepository final : public ReleaseRepository {
 public:
  explicit SqlReleaseRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ReleaseRecord& release) override;
  Status Update(const ReleaseRecord& release) override;
  Result<ReleaseRecord> Get(std::string_view id) override;
  Result<Page<ReleaseRecord>> List(const ReleaseFilter& filter,
                                   const PageRequest& page) override;
  Result<std::vector<std::pair<std::string, std::string>>> GoverningReleases(
      Environment environment) override;
  Result<std::vector<ReleaseRecord>> ListDue(Timestamp now, int limit) override;
  Status PutSignal(const SignalRecord& signal) override;
  Result<std::vector<SignalRecord>> ListSignals(
      std::string_view release_id) override;

 private:
  Status InsertDependencies(const ReleaseRecord& release);
  Result<ReleaseRecord> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_RELEASE_REPOSITORY_H_
