#include "server/offline_store.h"

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace warden::server {

Result<std::unique_ptr<Store>> OpenOfflineStore(const std::string& path,
                                                OfflineStoreOptions options) {
  if (!options.database_uri.empty()) {
    return OpenPostgresStore(
        PostgresStoreOptions{.uri = options.database_uri,
                             .read_connections = options.read_connections,
                             .audit_key = options.audit_key});
  }
  return OpenSqliteStore(
      SqliteStoreOptions{.path = path,
                         .read_connections = options.read_connections,
                         .read_mmap_bytes = options.read_mmap_bytes,
                         .audit_key = options.audit_key});
}

}  // namespace warden::server
