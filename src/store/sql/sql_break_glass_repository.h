// BreakGlassRepository in SQL (either store) (table `break_glass_events`,
// migration 5). Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_BREAK_GLASS_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_BREAK_GLASS_REPOSITORY_H_

#include "store/break_glass_repository.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlBreakGlassRepository final : public BreakGlassRepository {
 public:
  explicit SqlBreakGlassRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const BreakGlassRecord& record) override;
  Status Update(const BreakGlassRecord& record) override;
  Result<BreakGlassRecord> Get(std::string_view id) override;
  Result<std::vector<BreakGlassRecord>> List(bool unreviewed_only) override;
  Result<std::vector<BreakGlassRecord>> ListDueReactivations(
      Timestamp now) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_BREAK_GLASS_REPOSITORY_H_
