// Human-readable rendering of API JSON: aligned tables for lists and
// "field: value" blocks for single records. Pure functions of their input.
#ifndef WARDEN_CLI_TABLE_H_
#define WARDEN_CLI_TABLE_H_

#include <boost/json/fwd.hpp>
#include <string>
#include <vector>

namespace warden::cli {

struct Column {
  std::string header;  // e.g. "NAME"
  std::string field;   // JSON member of each row, e.g. "name"
};

// Renders `rows` (JSON objects; anything else renders as empty cells) under
// `columns`, each column padded to its widest cell, columns separated by two
// spaces, one trailing newline per line. Missing or null members show "-".
std::string RenderTable(const std::vector<Column>& columns,
                        const boost::json::array& rows);

// Renders each member of `record` as "field:  value" with the values aligned,
// in the order the server sent them.
std::string RenderRecord(const boost::json::object& record);

// The text of one cell: strings as-is, arrays joined with ",", null as "-",
// numbers and booleans in JSON form; control characters replaced by '?', so
// server-supplied text cannot move the terminal cursor.
std::string CellText(const boost::json::value& value);

}  // namespace warden::cli

#endif  // WARDEN_CLI_TABLE_H_
