#include "store/sqlite/deferred_indexes.h"

namespace warden::sqlite {
namespace {

// The IN form makes the planner walk the notes and look each row up by
// rowid; a JOIN let it scan every identity (by the name index) per commit.
constexpr char kIndexNotedNames[] =
    "INSERT INTO identity_name_trigrams(rowid, name) "
    "SELECT rowid, name FROM identities WHERE rowid IN "
    "(SELECT identity_rowid FROM identity_name_pending)";
constexpr char kClearNotes[] = "DELETE FROM identity_name_pending";

Status Run(sql::Connection& connection, const char* sql,
           std::string_view context) {
  WARDEN_ASSIGN_OR_RETURN(sql::Statement statement,
                          connection.Prepare(sql, context));
  return statement.Run(context);
}

}  // namespace

Status FlushDeferredIndexes(sql::Connection& connection) {
  WARDEN_RETURN_IF_ERROR(
      Run(connection, kIndexNotedNames, "index noted identity names"));
  return Run(connection, kClearNotes, "clear noted identity names");
}

}  // namespace warden::sqlite
