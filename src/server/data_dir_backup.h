// `warden backup --data-dir DIR OUT`: an online backup of a SQLite data
// dir into one file (server/backup_archive.h), while `warden serve` may
// keep running on DIR.
//
// What it holds: DIR/warden.db as one consistent snapshot (SQLite's online
// backup API, store/sqlite/sqlite_snapshot.h), DIR/audit.checkpoint and
// DIR/audit-checkpoint.pub. Never a key file (kDataDirKeyFiles): secrets,
// OAuth signing keys and TOTP keys in the database stay sealed under the
// KEK, which is kept apart by design, and the audit keys and the CA key are
// what an attacker holding a backup would need to forge the chain or
// certificates. The manifest names the key files DIR had, so a restore can
// say which are missing.
//
// Consistent with the audit head: the checkpoint is read before the
// snapshot is taken. The server writes a checkpoint only after the batch
// it covers is durable, so the snapshot, taken later, holds at least every
// record the carried checkpoint covers: the checkpoint is never ahead of
// the database (as `warden audit verify --data-dir` relies on when it reads
// the checkpoint first). The snapshot's whole chain is then verified with
// DIR/audit.key against that checkpoint before the file is written; a
// broken chain writes nothing.
//
// Not thread-safe with itself on one OUT; safe beside a running server.
#ifndef WARDEN_SERVER_DATA_DIR_BACKUP_H_
#define WARDEN_SERVER_DATA_DIR_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_key_files.h"
#include "core/status.h"
#include "custody/certificate_ca_files.h"
#include "custody/secret_keyring.h"
#include "server/backup_archive.h"
#include "server/data_directory.h"

namespace warden::server {

// The data dir's key and credential files: never in a backup. Kept with
// their own custody (docs/OPERATIONS.md, "Backup and restore").
inline constexpr const char* kDataDirKeyFiles[] = {
    custody::kKekFileName,           custody::kSecretKekFileName,
    custody::kNextKekFileName,       kAuditKeyFileName,
    kAuditCheckpointKeyFileName,     custody::kCaKeyFileName,
    custody::kCaCertificateFileName, kAdminTokenFileName};

struct DataDirBackup {
  BackupManifest manifest;
  int64_t file_bytes = 0;      // the backup file
  int64_t database_bytes = 0;  // the snapshot of warden.db
  int64_t records_verified = 0;
  double seconds = 0;  // the whole backup, snapshot to fsync
};

// Writes the backup of `data_dir` to `out`, a new file (0600). A partial
// file is never left at `out`: the snapshot goes to `out`.snapshot first
// and is removed either way. Errors: kNotFound when DIR has no database;
// kAlreadyExists when `out` (or its snapshot) exists; kFailedPrecondition
// "audit-chain-broken" (nothing written) when the snapshot's chain does not
// verify, "audit-key-required" when it is keyed and DIR/audit.key is
// missing; kUnavailable for I/O, naming the path.
Result<DataDirBackup> BackupDataDirectory(const std::string& data_dir,
                                          const std::string& out);

}  // namespace warden::server

#endif  // WARDEN_SERVER_DATA_DIR_BACKUP_H_
