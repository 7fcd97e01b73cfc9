// A list of strings stored in one TEXT column as a JSON array of strings
// (identity scopes, the scope values and flag keys of an exposure limit):
// readable in the sqlite3 shell, and never split on a separator that a
// value could contain.
//
// Thread safety: pure functions.
#ifndef WARDEN_STORE_SQL_STRING_LIST_COLUMN_H_
#define WARDEN_STORE_SQL_STRING_LIST_COLUMN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::sql {

// The JSON array of `items`, in order.
std::string EncodeStringList(const std::vector<std::string>& items);

// The strings of a JSON array; std::nullopt when `text` is not a JSON array
// of strings (a corrupt column: the caller names it).
std::optional<std::vector<std::string>> DecodeStringList(std::string_view text);

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_STRING_LIST_COLUMN_H_
