// Settings on SQLite: the key-value table `settings` (application-owned,
// e.g. bootstrap state); Put inserts or replaces.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_SETTINGS_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_SETTINGS_REPOSITORY_H_

#include "store/sqlite/repository_context.h"
#include "store/store.h"

namespace warden::sqlite {

class SqliteSettingsRepository final : public SettingsRepository {
 public:
  explicit SqliteSettingsRepository(RepositoryContext& context)
      : context_(context) {}
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_SETTINGS_REPOSITORY_H_
