// Versioned schema migrations for the PostgreSQL store.
//
// The same contract as the SQLite store's (store/sqlite/schema.h): an
// ordered list of migrations, the table schema_migrations recording which
// have been applied, every missing migration applied in one transaction (a
// database is never left half-migrated: PostgreSQL's DDL is
// transactional), and a database whose recorded version is newer than this
// binary knows refused with kFailedPrecondition ("schema-too-new", naming
// the database and both versions) rather than misread.
//
// Several replicas may start together on one database: the migrating
// transaction first takes the transaction-scoped advisory lock
// kSchemaMigrationLock, so one replica migrates while the others wait, then
// find the work done.
//
// Version numbers are shared with SQLite. PostgreSQL's first migration is a
// baseline: the SQLite schema at version 12 (sqlite::LatestSchemaVersion()
// when it was written), translated, recorded as version 12, so a version
// number names the same logical schema on both engines. A later change to
// the schema is added to BOTH lists with the same, next number
// (store/sqlite/schema.cc and pg_schema.cc); pg_schema_test checks that the
// two latest versions agree.
//
// Translation rules of the baseline (pg_schema.cc says where meaning
// differs): INTEGER becomes BIGINT (microseconds and counters exceed 32
// bits), REAL becomes DOUBLE PRECISION, and every text column is TEXT
// COLLATE "C", so that comparisons, ORDER BY and keyset pagination are
// byte-wise as in SQLite. The SQLite FTS5 name index is replaced by a
// pg_trgm GIN index on lower(name) (the extension ships in
// postgresql-contrib; it is trusted, so the database owner may create it).
// PostgreSQL alone has change_log: one row per write commit, read by the
// replicas that follow changes.
//
// Thread safety: free functions; the connection is used by the calling
// thread only, as sql::Connection requires.
#ifndef WARDEN_STORE_POSTGRES_PG_SCHEMA_H_
#define WARDEN_STORE_POSTGRES_PG_SCHEMA_H_

#include <cstdint>

#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::postgres {

// The key of the advisory lock held by the migrating transaction: the bytes
// of "WardenSM" (schema migration). Other cluster-wide advisory locks of
// the PostgreSQL store must use other keys.
inline constexpr int64_t kSchemaMigrationLock = 0x57617264656E534D;

// The newest schema version this binary knows (equal to
// sqlite::LatestSchemaVersion()).
int64_t PostgresSchemaVersion();

// Brings the database up to PostgresSchemaVersion(). Idempotent; safe to
// call from several processes at once (they serialise on the advisory
// lock). The transaction runs at READ COMMITTED whatever the session's
// default, so that the version read after the lock sees a migration another
// process committed while this one waited.
// REQUIRES: no transaction is open on `connection`, whose dialect is
// kPostgres.
// Errors: the connection's Status for a failed statement (context names
// the migration); kFailedPrecondition "schema-too-new" for a newer
// database. On error nothing has been applied.
Status MigratePostgresSchema(sql::Connection& connection, int64_t now_us);

}  // namespace warden::postgres

#endif  // WARDEN_STORE_POSTGRES_PG_SCHEMA_H_
