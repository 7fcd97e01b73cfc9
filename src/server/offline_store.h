// The data directory's database opened by an offline maintenance command
// (`warden audit verify`, `warden secret rotate-kek`) rather than by a
// running server, so that the command line reaches the store only through
// the process layer and never names the SQLite implementation.
//
// The caller must make sure no server runs on the same directory (the
// commands' help says so); Close() the store when done.
#ifndef WARDEN_SERVER_OFFLINE_STORE_H_
#define WARDEN_SERVER_OFFLINE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/audit_chain_key.h"
#include "core/status.h"
#include "store/store.h"

namespace warden::server {

struct OfflineStoreOptions {
  // Concurrent readers (a whole-log scan reads in parallel).
  int read_connections = 1;
  // Bytes of the file each reader maps instead of copying pages (0: none).
  int64_t read_mmap_bytes = 0;
  // A libpq URI: the replicas' shared PostgreSQL database instead of the
  // SQLite file (`path` is then ignored).
  std::string database_uri;
  // Keys the records the command appends (`warden audit archive` records
  // its prune); without it a keyed chain refuses appends.
  std::optional<AuditChainKey> audit_key;
};

// Opens (and migrates, as a server would) the database at `path`, or the
// PostgreSQL database of `options.database_uri`.
Result<std::unique_ptr<Store>> OpenOfflineStore(
    const std::string& path, OfflineStoreOptions options = {});

}  // namespace warden::server

#endif  // WARDEN_SERVER_OFFLINE_STORE_H_
