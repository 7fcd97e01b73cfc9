// A WHERE clause built from the filters present, with its parameters in
// order. Only present filters appear, so SQLite's planner sees each index
// (a "? IS NULL OR col = ?" form would hide them all).
//
// Thread safety: a value type; one thread at a time.
#ifndef WARDEN_STORE_SQL_WHERE_CLAUSE_H_
#define WARDEN_STORE_SQL_WHERE_CLAUSE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace warden::sql {

using SqlParam = std::variant<int64_t, std::string>;

class WhereClause {
 public:
  // `condition` holds one "?" bound to `param`.
  void Add(std::string_view condition, SqlParam param) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
    params_.push_back(std::move(param));
  }
  void AddText(std::string_view column, std::string_view value) {
    Add(std::string(column) + " = ?", std::string(value));
  }
  // `condition` holds one "?" per element of `values`, bound in order.
  void AddList(std::string_view condition,
               const std::vector<std::string>& values) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
    for (const std::string& value : values) params_.emplace_back(value);
  }
  // AddText when `value` is not empty.
  void AddTextIfSet(std::string_view column, std::string_view value) {
    if (!value.empty()) AddText(column, value);
  }
  const std::string& sql() const { return sql_; }
  std::vector<SqlParam>& params() { return params_; }

 private:
  std::string sql_;
  std::vector<SqlParam> params_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_WHERE_CLAUSE_H_
