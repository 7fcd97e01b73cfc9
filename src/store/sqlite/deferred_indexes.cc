#include "store/sqlite/deferred_indexes.h"

namespace warden::sqlite {
namespace {

constexpr char kIndexNotedNames[] =
    "INSERT INTO identity_name_trigrams(rowid, name) "
    "SELECT i.rowid, i.name FROM identity_name_pending p "
    "JOIN identities i ON i.rowid = p.identity_rowid";
constexpr char kClearNotes[] = "DELETE FROM identity_name_pending";

Status Run(Connection& connection, const char* sql, std::string_view context) {
  WARDEN_ASSIGN_OR_RETURN(Statement statement,
                          connection.Prepare(sql, context));
  return statement.Run(context);
}

}  // namespace

Status FlushDeferredIndexes(Connection& connection) {
  WARDEN_RETURN_IF_ERROR(
      Run(connection, kIndexNotedNames, "index noted identity names"));
  return Run(connection, kClearNotes, "clear noted identity names");
}

}  // namespace warden::sqlite
