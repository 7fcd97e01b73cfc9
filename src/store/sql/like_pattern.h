// Substring search with LIKE in the form both engines run the same way:
// `lower(column) LIKE ? ESCAPE '\'` bound to ContainsPattern(text). SQLite's
// LIKE ignores ASCII case and PostgreSQL's does not: lower-casing both
// sides makes the two agree (ASCII only, as each engine's lower() in the C
// locale), and lets PostgreSQL use a pg_trgm index on lower(column).
#ifndef WARDEN_STORE_SQL_LIKE_PATTERN_H_
#define WARDEN_STORE_SQL_LIKE_PATTERN_H_

#include <string>
#include <string_view>

namespace warden::sql {

// "%<text>%", ASCII-lower-cased, with LIKE's wildcards and the escape
// character in `text` escaped by a backslash (matched literally).
inline std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return pattern + "%";
}

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_LIKE_PATTERN_H_
