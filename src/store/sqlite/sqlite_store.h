// The embedded SQLite implementation of Store (store.h): one database file
// in WAL mode, durable commits (synchronous=FULL: an acknowledged write
// survives kill -9 and power loss), group commit on one writer thread
// (group_committer.h) and a pool of read-only snapshot connections
// (read_pool.h). The schema is migrated at open (schema.h).
#ifndef WARDEN_STORE_SQLITE_SQLITE_STORE_H_
#define WARDEN_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <optional>
#include <string>

#include "core/audit_chain_key.h"
#include "core/status.h"
#include "store/change_feed.h"
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
  // Read connections map this much of the file (PRAGMA mmap_size) instead
  // of copying pages through read(): for whole-log scans such as `warden
  // audit verify`. 0 (the server's default): no map, so an I/O error stays
  // an error code rather than a SIGBUS.
  int64_t read_mmap_bytes = 0;
  // Most units group-committed in one transaction.
  int max_batch_units = 512;
  // Metrics sink; not owned; may be null. Must outlive the store.
  StoreObserver* observer = nullptr;
  // Test seam: when set, the database files go through a VFS that fails
  // writes or syncs on demand. Not owned; must outlive the store.
  FaultInjector* faults = nullptr;
  // Keys the audit chain (HMAC-SHA-256, core/audit_record.h). Without it
  // records are appended unkeyed until the chain holds a keyed one, after
  // which appends fail ("audit-key-required").
  std::optional<AuditChainKey> audit_key;
  // Told about each committed audit head (signed checkpoints). Not owned;
  // may be null; must outlive the store.
  AuditHeadListener* audit_heads = nullptr;
  // Told the rows each durable commit changed (store/change_feed.h), for
  // caches of authentication decisions. Not owned; may be null; must
  // outlive the store.
  ChangeFeed* changes = nullptr;
};

// Opens the store. Errors name the path: kInvalidArgument for an empty
// path, kUnavailable when the file cannot be opened or read,
// kFailedPrecondition for a schema newer than this binary ("schema-too-new").
Result<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options);

}  // namespace warden

#endif  // WARDEN_STORE_SQLITE_SQLITE_STORE_H_
