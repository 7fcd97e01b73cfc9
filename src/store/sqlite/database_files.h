// The modes of the database file and of the files SQLite keeps beside it
// (DB-wal, DB-shm, DB-journal): private to the server's user (0600)
// whatever the process umask.
//
// SQLite's unix VFS creates the main file with
// SQLITE_DEFAULT_FILE_PERMISSIONS (0644) less the umask, and gives the
// -wal, -journal and -shm files it creates the main file's permission bits
// (findCreateFileMode() and unixOpenSharedMemory() in os_unix.c; robust_open()
// fchmod()s a fresh file to that mode, so the umask does not apply to
// them). Creating the main file 0600 before SQLite opens it therefore makes
// all of them 0600. Files an older version left looser are tightened, with
// a warning on stderr.
//
// Not thread-safe; call before the store opens the database.
#ifndef WARDEN_STORE_SQLITE_DATABASE_FILES_H_
#define WARDEN_STORE_SQLITE_DATABASE_FILES_H_

#include <string>

#include "core/status.h"

namespace warden::sqlite {

// Creates `path` (empty, 0600) when absent; sets 0600 on it and on its
// existing companions when group or others may access them. Paths SQLite
// does not map to a file (":memory:", "file:" URIs) are left alone.
// kUnavailable naming the path when a file cannot be created or changed.
Status PrepareDatabaseFiles(const std::string& path);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_DATABASE_FILES_H_
