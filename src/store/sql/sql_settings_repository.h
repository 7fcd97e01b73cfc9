// Settings in SQL (either store): the key-value table `settings`
// (application-owned, e.g. bootstrap state); Put inserts or replaces.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_SETTINGS_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_SETTINGS_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlSettingsRepository final : public SettingsRepository {
 public:
  explicit SqlSettingsRepository(RepositoryContext& context)
      : context_(context) {}
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_SETTINGS_REPOSITORY_H_
