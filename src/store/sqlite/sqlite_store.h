// The embedded SQLite implementation of Store (store.h): one database file
// in WAL mode, durable commits (synchronous=FULL: an acknowledged write
// survives kill -9 and power loss), group commit on one writer thread
// (group_committer.h) and a pool of read-only snapshot connections
// (read_pool.h). The schema is migrated at open (schema.h).
#ifndef WARDEN_STORE_SQLITE_SQLITE_STORE_H_
#define WARDEN_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "store/sqlite/fault_injector.h"
#include "store/store.h"

namespace warden {

struct SqliteStoreOptions {
  // The database file; created (with its schema) when missing, mode 0600
  // like its -wal and -shm files whatever the umask (database_files.h).
  // Its directory must exist.
  std::string path;
  // Concurrent Read() calls beyond this wait for a free connection.
  int read_connections = 4;
  // Most units group-committed in one transaction.
  int max_batch_units = 512;
  // Metrics sink; not owned; may be null. Must outlive the store.
  StoreObserver* observer = nullptr;
  // Test seam: when set, the database files go through a VFS that fails
  // writes or syncs on demand. Not owned; must outlive the store.
  FaultInjector* faults = nullptr;
};

// Opens the store. Errors name the path: kInvalidArgument for an empty
// path, kUnavailable when the file cannot be opened or read,
// kFailedPrecondition for a schema newer than this binary ("schema-too-new").
Result<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options);

}  // namespace warden

#endif  // WARDEN_STORE_SQLITE_SQLITE_STORE_H_
