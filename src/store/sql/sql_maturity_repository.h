// Maturity snapshots in SQL (either store): one row per (scope, time) in
// `maturity_snapshots`, so a scope's history is one range scan.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_MATURITY_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_MATURITY_REPOSITORY_H_

#include <vector>

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlMaturityRepository final : public MaturityRepository {
 public:
  explicit SqlMaturityRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const MaturitySnapshotRecord& snapshot) override;
  Result<std::vector<MaturitySnapshotRecord>> List(std::string_view scope,
                                                   int limit) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_MATURITY_REPOSITORY_H_
