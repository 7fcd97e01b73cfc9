// Versioned schema migrations for the SQLite store.
//
// Migrations are an ordered list; each has a version (1, 2, 3 ...) and SQL.
// The table schema_migrations records which have been applied. At open,
// every missing migration is applied in one IMMEDIATE transaction, so a
// database is never left half-migrated. A database whose recorded version
// is newer than this binary knows is refused (kFailedPrecondition naming
// the path and both versions) rather than misread.
#ifndef WARDEN_STORE_SQLITE_SCHEMA_H_
#define WARDEN_STORE_SQLITE_SCHEMA_H_

#include <cstdint>

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden::sqlite {

// The newest schema version this binary knows.
int64_t LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion(). Idempotent.
// REQUIRES: no transaction is open on `connection`.
Status MigrateSchema(sql::Connection& connection, int64_t now_us);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SCHEMA_H_
