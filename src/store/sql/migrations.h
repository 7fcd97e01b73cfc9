// Versioned schema migrations, the part both engines share: one transaction
// (a database is never left half-migrated), the table schema_migrations
// recording each version applied, and the refusal of a database newer than
// the binary ("schema-too-new", naming the database and both versions).
// Each engine keeps its own list and says how its transaction begins and
// what runs first in it (PostgreSQL: the migration lock).
//
// Thread safety: as the Connection (one thread).
#ifndef WARDEN_STORE_SQL_MIGRATIONS_H_
#define WARDEN_STORE_SQL_MIGRATIONS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::sql {

// One migration: `version` ascending along a list, `sql` one or more
// statements.
struct Migration {
  int64_t version;
  const char* description;
  const char* sql;
};

struct MigrationPlan {
  // Opens the migrating transaction.
  std::string begin_sql;
  // Runs first inside it: locks, and creating schema_migrations (version,
  // description, applied_at_us) when absent.
  std::string prepare_sql;
  std::span<const Migration> migrations;
  // Runs before migration `index`'s SQL (SQLite: columns added when
  // absent); may be empty.
  std::function<Status(Connection&, size_t index, const std::string& context)>
      before_each;
};

// The last version of `migrations`. REQUIRES: not empty.
inline int64_t LatestVersion(std::span<const Migration> migrations) {
  return migrations.back().version;
}

// Applies every migration newer than the recorded version, in one
// transaction. Idempotent. REQUIRES: no transaction open on `connection`.
Status RunMigrations(Connection& connection, const MigrationPlan& plan,
                     int64_t now_us);

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_MIGRATIONS_H_
