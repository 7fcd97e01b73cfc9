#include "store/sql/sql_settings_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {

Result<std::optional<std::string>> SqlSettingsRepository::Get(
    std::string_view key) {
  std::string context = "get setting " + Quoted(key);
  return QueryFirst(
      context_.connection, "SELECT value FROM settings WHERE key = ?", context,
      [](const Statement& s) { return s.Text(0); }, key);
}

Status SqlSettingsRepository::Put(std::string_view key,
                                  std::string_view value) {
  context_.NoteChanged(ChangeKey::Setting(key));
  std::string context = "put setting " + Quoted(key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 "INSERT INTO settings (key, value) VALUES (?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 context, key, value);
}

}  // namespace warden::sql
