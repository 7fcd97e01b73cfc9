// BreakGlassRepository on SQLite (table `break_glass_events`, migration 5).
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_BREAK_GLASS_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_BREAK_GLASS_REPOSITORY_H_

#include "store/break_glass_repository.h"
#include "store/sqlite/repository_context.h"

namespace warden::sqlite {

class SqliteBreakGlassRepository final : public BreakGlassRepository {
 public:
  explicit SqliteBreakGlassRepository(RepositoryContext& context)
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

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_BREAK_GLASS_REPOSITORY_H_
