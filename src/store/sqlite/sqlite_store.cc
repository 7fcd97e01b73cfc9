#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "store/sql/group_committer.h"
#include "store/sql/read_pool.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/database_files.h"
#include "store/sqlite/deferred_indexes.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden {
namespace {

using sqlite::SqliteConnection;

// Each read connection holds a page cache and file descriptors.
constexpr int kMaxReadConnections = 64;

Result<std::vector<std::unique_ptr<sql::Connection>>> OpenReadConnections(
    const SqliteConnection::Options& options, int count) {
  std::vector<std::unique_ptr<sql::Connection>> connections;
  for (int i = 0; i < count; ++i) {
    WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<sql::Connection> connection,
                            SqliteConnection::Open(options));
    connections.push_back(std::move(connection));
  }
  return connections;
}

// Indexes rows noted by a writer that bypassed the group committer (a
// migration or a tool; the committer's notes commit with their flush).
Status FlushNotedRows(sql::Connection& writer) {
  WARDEN_RETURN_IF_ERROR(writer.Exec("BEGIN IMMEDIATE", "begin index flush"));
  Status flushed = sqlite::FlushDeferredIndexes(writer);
  if (!flushed.ok()) {
    (void)writer.Exec("ROLLBACK", "roll back index flush");
    return flushed;
  }
  return writer.Exec("COMMIT", "commit index flush");
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options) {
  if (options.path.empty()) {
    return InvalidArgument("open SQLite store: empty database path");
  }
  // 0600 before SQLite creates it: -wal and -shm inherit its mode.
  WARDEN_RETURN_IF_ERROR(sqlite::PrepareDatabaseFiles(options.path));
  std::unique_ptr<sqlite::FaultVfs> vfs;
  if (options.faults != nullptr) {
    WARDEN_ASSIGN_OR_RETURN(vfs, sqlite::FaultVfs::Register(*options.faults));
  }
  SqliteConnection::Options connection_options{
      options.path, vfs ? vfs->name() : std::string(),
      /*query_only=*/false};
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<sql::Connection> writer,
                          SqliteConnection::Open(connection_options));
  WARDEN_RETURN_IF_ERROR(
      sqlite::MigrateSchema(*writer, ToMicros(SystemClock().Now())));
  WARDEN_RETURN_IF_ERROR(FlushNotedRows(*writer));
  connection_options.query_only = true;
  connection_options.mmap_bytes = options.read_mmap_bytes;
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<std::unique_ptr<sql::Connection>> readers,
      OpenReadConnections(
          connection_options,
          std::clamp(options.read_connections, 1, kMaxReadConnections)));
  std::unique_ptr<const AuditChainKey> audit_key;
  if (options.audit_key) {
    audit_key = std::make_unique<const AuditChainKey>(*options.audit_key);
  }
  sql::WriteSteps steps{"BEGIN IMMEDIATE", [](sql::Connection& connection,
                                              const std::vector<std::string>&) {
                          return sqlite::FlushDeferredIndexes(connection);
                        }};
  auto committer = std::make_unique<sql::GroupCommitter>(
      std::move(writer), std::move(steps), options.max_batch_units,
      options.observer, audit_key.get(), options.audit_heads, options.changes);
  auto reads = std::make_unique<sql::ReadPool>(std::move(readers), "BEGIN",
                                               options.observer);
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(
      sql::SqlStore::Parts{.audit_key = std::move(audit_key),
                           .committer = std::move(committer),
                           .reads = std::move(reads),
                           .outlives_connections = std::move(vfs)}));
}

}  // namespace warden
