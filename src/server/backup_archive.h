// The file `warden backup` writes and `warden restore` reads: a data dir's
// database and the audit files that travel with it, in one file that
// proves its own integrity.
//
// Layout (format 1), every number decimal ASCII without leading zeros:
//
//   warden-backup 1\n
//   file NAME SIZE\n  SIZE bytes  \nsha256 HEX\n     one per file, in order
//   manifest SIZE\n   SIZE bytes of JSON  \nsha256 HEX\n
//
// and nothing after. HEX is the lowercase SHA-256 of the bytes just
// before it. The manifest (last, so that a backup is written in one pass)
// lists every file again with its size and digest, and what the backup
// holds: the database's tables and rows and the audit head it ends at.
// NAME is one of kBackupFileNames, so a restore never writes anywhere but
// the data dir. The digests detect damage, not tampering: the chain and
// its signed checkpoint, verified by the restore, are what detect that.
//
// Thread safety: a BackupArchiveWriter is used by one thread; the reader
// keeps no state between calls.
#ifndef WARDEN_SERVER_BACKUP_ARCHIVE_H_
#define WARDEN_SERVER_BACKUP_ARCHIVE_H_

#include <cstdint>
#include <cstdio>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden::server {

inline constexpr char kBackupFormatLine[] = "warden-backup 1";
inline constexpr char kBackupManifestFormat[] = "warden-backup-v1";
// What a backup may hold, and nothing else: the database and the public
// half of the audit chain's custody. Key files never (docs/OPERATIONS.md,
// "Backup and restore").
inline constexpr char kBackupDatabaseFile[] = "warden.db";
inline constexpr char kBackupCheckpointFile[] = "audit.checkpoint";
inline constexpr char kBackupCheckpointPublicKeyFile[] = "audit-checkpoint.pub";
inline constexpr const char* kBackupFileNames[] = {
    kBackupDatabaseFile, kBackupCheckpointFile, kBackupCheckpointPublicKeyFile};

// Limits on an untrusted backup file: the database may be large (1 TiB is
// far beyond what one SQLite server carries); the other files are a few
// hundred bytes, and a manifest lists at most three of them.
inline constexpr int64_t kMaxBackupDatabaseBytes = int64_t{1} << 40;
inline constexpr int64_t kMaxBackupSmallFileBytes = 64 * 1024;
inline constexpr int64_t kMaxBackupManifestBytes = 64 * 1024;
inline constexpr int kMaxBackupManifestDepth = 8;
inline constexpr size_t kMaxBackupManifestKeyFiles = 16;
inline constexpr size_t kMaxBackupKeyFileNameBytes = 64;

struct BackupEntry {
  std::string name;
  int64_t size = 0;
  std::string sha256;  // 64 lowercase hex digits
};

struct BackupManifest {
  Timestamp created_at{};
  std::string source;  // the data dir it was taken from (informational)
  int tables = 0;
  int64_t rows = 0;
  // The audit chain of the database: its last record (the head), and the
  // first keyed record (0: none). The carried checkpoint, if any, is at or
  // before the head.
  int64_t audit_head_sequence = 0;
  std::string audit_head_hash;
  int64_t audit_keyed_from = 0;
  std::optional<int64_t> checkpoint_sequence;
  // The key files the source data dir had (names only, never contents):
  // what a restore needs put back beside the database.
  std::vector<std::string> key_files;
  std::vector<BackupEntry> files;
};

std::string EncodeBackupManifest(const BackupManifest& manifest);
// kInvalidArgument ("backup-malformed") naming the field.
Result<BackupManifest> ParseBackupManifest(std::string_view json);

// Writes a backup file. Create() makes the file (0600, refusing an existing
// path or a symlink); Finish() writes the manifest, fsyncs and closes.
// Destroying an unfinished writer leaves a partial file for the caller to
// remove.
class BackupArchiveWriter {
 public:
  static Result<std::unique_ptr<BackupArchiveWriter>> Create(
      const std::string& path);
  ~BackupArchiveWriter();
  BackupArchiveWriter(const BackupArchiveWriter&) = delete;
  BackupArchiveWriter& operator=(const BackupArchiveWriter&) = delete;

  // Appends the file at `source_path` (read in chunks) as `name`.
  Status AddFile(const std::string& name, const std::string& source_path);
  Status AddBytes(const std::string& name, std::string_view contents);
  // Fills manifest.files with the entries added, then writes it.
  Status Finish(BackupManifest manifest);

  const std::vector<BackupEntry>& entries() const { return entries_; }
  // Bytes written so far.
  int64_t size() const { return size_; }

 private:
  BackupArchiveWriter(std::FILE* file, std::string path)
      : file_(file), path_(std::move(path)) {}
  Status Put(std::string_view bytes);
  Status Section(const std::string& header, std::string_view body);

  std::FILE* file_;
  std::string path_;
  std::vector<BackupEntry> entries_;
  int64_t size_ = 0;
};

// Receives the files of a backup being read. An error from any call stops
// the read and is returned by ReadBackupArchive.
class BackupEntrySink {
 public:
  virtual ~BackupEntrySink() = default;
  virtual Status Begin(const BackupEntry& entry) = 0;  // name and size only
  virtual Status Write(std::string_view bytes) = 0;
  // After the file's digest matched (entry.sha256 filled).
  virtual Status End(const BackupEntry& entry) = 0;
};

// Reads a whole backup from `in`, handing each file to `sink`, and returns
// its manifest once every digest matched and the manifest lists exactly
// the files read. kInvalidArgument naming what is wrong: "backup-malformed"
// (not a backup, bad framing, unknown or repeated file, over a limit,
// trailing bytes, a manifest that disagrees with the files) or
// "backup-corrupt" (a digest mismatch, a truncated file).
Result<BackupManifest> ReadBackupArchive(std::istream& in,
                                         BackupEntrySink& sink);

}  // namespace warden::server

#endif  // WARDEN_SERVER_BACKUP_ARCHIVE_H_
