// Maturity snapshots on SQLite: one row per (scope, time) in
// `maturity_snapshots`, so a scope's history is one range scan.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_MATURITY_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_MATURITY_REPOSITORY_H_

#include <vector>

#include "store/sqlite/repository_context.h"
#include "store/store.h"

namespace warden::sqlite {

class SqliteMaturityRepository final : public MaturityRepository {
 public:
  explicit SqliteMaturityRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const MaturitySnapshotRecord& snapshot) override;
  Result<std::vector<MaturitySnapshotRecord>> List(std::string_view scope,
                                                   int limit) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_MATURITY_REPOSITORY_H_
