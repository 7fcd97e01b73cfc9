// The one spelling of "insert, or replace the row with the same key" both
// engines accept (SQLite's INSERT OR REPLACE is not PostgreSQL's).
#ifndef WARDEN_STORE_SQL_UPSERT_H_
#define WARDEN_STORE_SQL_UPSERT_H_

#include <string>
#include <string_view>

namespace warden::sql {

// "INSERT INTO <table> (<columns>) VALUES (?, ...) ON CONFLICT (<key>) DO
// UPDATE SET c = excluded.c" for every column of `columns` (comma-separated)
// not in `key` (comma-separated): one placeholder per column, in order.
inline std::string UpsertSql(std::string_view table, std::string_view columns,
                             std::string_view key) {
  auto names = [](std::string_view list, auto visit) {
    while (!list.empty()) {
      const size_t comma = list.find(',');
      std::string_view name = list.substr(0, comma);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      visit(name);
      list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
    }
  };
  std::string keys = ",";
  names(key, [&](std::string_view name) {
    keys.append(name);
    keys += ',';
  });
  std::string placeholders;
  std::string updates;
  names(columns, [&](std::string_view name) {
    placeholders += placeholders.empty() ? "?" : ", ?";
    if (keys.find("," + std::string(name) + ",") != std::string::npos) return;
    if (!updates.empty()) updates += ", ";
    updates.append(name).append(" = excluded.").append(name);
  });
  return "INSERT INTO " + std::string(table) + " (" + std::string(columns) +
         ") VALUES (" + placeholders + ") ON CONFLICT (" + std::string(key) +
         ") DO UPDATE SET " + updates;
}

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_UPSERT_H_
