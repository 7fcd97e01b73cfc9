// A consistent copy of a live SQLite database, taken through SQLite's
// online backup API (sqlite3_backup_init/step/finish,
// https://www.sqlite.org/backup.html) while a server may keep writing it.
//
// The whole copy is one sqlite3_backup_step(-1): one read transaction of
// the source, so the copy holds exactly the transactions committed before
// it began, whatever is committed meanwhile. In WAL mode (the store's
// mode) writers are not blocked; they only cannot checkpoint the WAL past
// the copy's snapshot, so the WAL may grow during a long copy. (Stepping
// page by page instead would restart the copy whenever another process
// commits, and might never finish under steady writes.)
//
// Thread-safe: no state between calls.
#ifndef WARDEN_STORE_SQLITE_SQLITE_SNAPSHOT_H_
#define WARDEN_STORE_SQLITE_SQLITE_SNAPSHOT_H_

#include <cstdint>
#include <string>

#include "core/status.h"

namespace warden::sqlite {

struct SqliteSnapshot {
  int64_t bytes = 0;  // size of the copy
  int tables = 0;     // ordinary tables (no SQLite internals, no shadows)
  int64_t rows = 0;   // rows over those tables
};

// Copies the database at `source` into `destination`, a new file (0600,
// whatever the umask). The source is opened read-write without creating it
// (a read-only connection could not read a WAL database whose -shm it may
// not write) and is never changed. Waits up to 10 s for a lock the source
// holds exclusively (a WAL recovery). kNotFound when `source` does not
// exist, kAlreadyExists when `destination` does, kUnavailable for I/O and
// SQLite errors, each naming the path; a failed copy removes
// `destination`.
Result<SqliteSnapshot> SnapshotSqliteDatabase(const std::string& source,
                                              const std::string& destination);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_SNAPSHOT_H_
