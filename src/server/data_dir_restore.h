// `warden restore IN --data-dir DIR`: a backup file (backup_archive.h,
// written by data_dir_backup.h) restored into a new data dir.
//
// DIR must not exist, or hold no database (warden.db and its -wal, -shm,
// -journal) and no audit.checkpoint: a restore never replaces state. It
// may (and should) already hold the key files put back from their own
// custody, since a backup never carries them: DIR/audit.key is required
// when the backup's chain is keyed, because the restore verifies the chain
// with it before anything is moved into DIR.
//
// Steps: every file is extracted into DIR/.restore-XXXXXX (0700) while its
// SHA-256 is checked; the manifest must list exactly those files; the
// carried checkpoint must verify under the carried public key, which must
// match DIR's audit-checkpoint.pub / .key if present; the staged database's
// whole chain must verify against that checkpoint and end at the
// manifest's head. Only then are the files renamed into DIR (the database
// last). Any failure removes the staging dir, and DIR itself when the
// restore created it: nothing is written.
//
// A missing KEK (DIR/kek, or WARDEN_KEK set) does not stop the restore: the
// database and its chain are whole without it, and an operator may restore
// to inspect or verify. It is reported in missing_key_files, as is every
// key file the source data dir had and DIR lacks; the server refuses to
// start (rather than issue from new keys) until they are back.
//
// Not thread-safe with another restore of the same DIR.
#ifndef WARDEN_SERVER_DATA_DIR_RESTORE_H_
#define WARDEN_SERVER_DATA_DIR_RESTORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "server/backup_archive.h"

namespace warden::server {

struct DataDirRestore {
  BackupManifest manifest;
  int64_t records_verified = 0;
  int64_t database_bytes = 0;
  // Key files the source data dir had that DIR lacks (the KEK counts as
  // present when WARDEN_KEK is set).
  std::vector<std::string> missing_key_files;
  bool kek_missing = false;
  double seconds = 0;
};

// Errors (nothing written): kNotFound when `in` does not exist;
// kAlreadyExists when DIR holds a database or a checkpoint;
// kInvalidArgument "backup-malformed" / "backup-corrupt" for a damaged
// file; kFailedPrecondition "audit-chain-broken" when the chain or the
// checkpoint does not verify, or otherwise (exit 3) when DIR/audit.key is
// missing or DIR's checkpoint key is another data dir's; kUnavailable for
// I/O, naming the path.
Result<DataDirRestore> RestoreDataDirectory(const std::string& in,
                                            const std::string& data_dir);

}  // namespace warden::server

#endif  // WARDEN_SERVER_DATA_DIR_RESTORE_H_
