// Flags in SQL (either store): one row per (environment, key) in `flags`; the
// evaluator model is the opaque `definition` JSON column (exposure_records.h).
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_FLAG_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_FLAG_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlFlagRepository final : public FlagRepository {
 public:
  explicit SqlFlagRepository(RepositoryContext& context) : context_(context) {}
  Status Insert(const FlagRecord& flag) override;
  Status Update(const FlagRecord& flag) override;
  Result<FlagRecord> Get(Environment environment,
                         std::string_view key) override;
  Result<std::vector<FlagRecord>> List(Environment environment,
                                       bool include_archived) override;
  Status TouchLastEvaluated(Environment environment,
                            const std::vector<std::string>& keys,
                            Timestamp at) override;

 private:
  Result<FlagRecord> Decode(const Statement& stmt) const;
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_FLAG_REPOSITORY_H_
