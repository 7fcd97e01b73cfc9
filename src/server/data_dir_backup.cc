#include "server/data_dir_backup.h"

#include <chrono>
#include <filesystem>
#include <optional>

#include "audit/audit_key_files.h"
#include "core/clock.h"
#include "core/private_file.h"
#include "server/data_directory.h"
#include "server/database_chain_check.h"
#include "store/sqlite/sqlite_snapshot.h"

namespace warden::server {
namespace {

// The audit files, read before the database (see the header).
struct AuditFiles {
  std::optional<AuditChainKey> key;
  std::optional<AuditCheckpoint> checkpoint;
  std::string checkpoint_bytes;  // exactly what was verified, carried as is
  std::string public_key_bytes;  // "" when DIR has none
};

Result<AuditFiles> ReadAuditFiles(const std::string& data_dir) {
  AuditFiles files;
  const std::string checkpoint_path =
      AuditFilePath(data_dir, kAuditCheckpointFileName);
  const std::string public_path =
      AuditFilePath(data_dir, kAuditCheckpointPublicKeyFileName);
  if (FileExists(checkpoint_path)) {
    WARDEN_ASSIGN_OR_RETURN(
        files.checkpoint_bytes,
        ReadSmallFile(checkpoint_path, kMaxAuditCheckpointBytes));
    Result<AuditCheckpoint> checkpoint =
        ParseAuditCheckpoint(files.checkpoint_bytes);
    if (!checkpoint.ok())
      return checkpoint.status().WithContext(checkpoint_path);
    WARDEN_ASSIGN_OR_RETURN(std::string public_key,
                            LoadAuditCheckpointPublicKey(data_dir));
    const Status signature = VerifyAuditCheckpoint(*checkpoint, public_key);
    if (!signature.ok()) {
      return FailedPrecondition(
          "checkpoint " + checkpoint_path + ": " + signature.message(),
          kChainBrokenProblem);
    }
    files.checkpoint = *std::move(checkpoint);
  }
  if (FileExists(public_path)) {
    WARDEN_ASSIGN_OR_RETURN(
        files.public_key_bytes,
        ReadSmallFile(public_path, kMaxBackupSmallFileBytes));
  }
  WARDEN_ASSIGN_OR_RETURN(files.key, LoadAuditChainKey(data_dir));
  return files;
}

std::vector<std::string> PresentKeyFiles(const DataDirectory& dir) {
  std::vector<std::string> present;
  for (const char* name : kDataDirKeyFiles) {
    if (FileExists(dir.File(name))) present.emplace_back(name);
  }
  return present;
}

// Removes the snapshot (and any SQLite companion) on every path out.
class SnapshotFile {
 public:
  explicit SnapshotFile(std::string path) : path_(std::move(path)) {}
  ~SnapshotFile() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `out` from the snapshot and the audit files; fills the manifest's
// file list and the size. Removes `out` when it fails after creating it.
Status WriteArchive(const std::string& out, const std::string& snapshot,
                    const AuditFiles& audit, DataDirBackup& backup) {
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<BackupArchiveWriter> writer,
                          BackupArchiveWriter::Create(out));
  Status status = writer->AddFile(kBackupDatabaseFile, snapshot);
  if (status.ok() && audit.checkpoint) {
    status = writer->AddBytes(kBackupCheckpointFile, audit.checkpoint_bytes);
  }
  if (status.ok() && !audit.public_key_bytes.empty()) {
    status = writer->AddBytes(kBackupCheckpointPublicKeyFile,
                              audit.public_key_bytes);
  }
  if (status.ok()) status = writer->Finish(backup.manifest);
  backup.manifest.files = writer->entries();
  backup.file_bytes = writer->size();
  if (!status.ok()) {
    writer.reset();
    std::error_code ignored;
    std::filesystem::remove(out, ignored);
  }
  return status;
}

}  // namespace

Result<DataDirBackup> BackupDataDirectory(const std::string& data_dir,
                                          const std::string& out) {
  const auto started = std::chrono::steady_clock::now();
  const DataDirectory dir(data_dir);
  const std::string database = dir.File(kDatabaseFileName);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(database, ec)) {
    return NotFound("no database at " + database);
  }
  if (std::filesystem::exists(out, ec)) {
    return AlreadyExists(out +
                         " already exists (a backup never replaces a file)");
  }
  WARDEN_ASSIGN_OR_RETURN(AuditFiles audit, ReadAuditFiles(data_dir));
  SnapshotFile snapshot(out + ".snapshot");
  WARDEN_ASSIGN_OR_RETURN(
      sqlite::SqliteSnapshot copy,
      sqlite::SnapshotSqliteDatabase(database, snapshot.path()));
  WARDEN_ASSIGN_OR_RETURN(
      DatabaseChainCheck chain,
      CheckDatabaseChain(snapshot.path(), audit.key ? &*audit.key : nullptr,
                         audit.checkpoint ? &*audit.checkpoint : nullptr));
  DataDirBackup backup;
  backup.manifest.created_at = SystemClock().Now();
  backup.manifest.source = std::filesystem::absolute(data_dir, ec).string();
  backup.manifest.tables = copy.tables;
  backup.manifest.rows = copy.rows;
  backup.manifest.audit_head_sequence = chain.verification.last_sequence;
  backup.manifest.audit_head_hash = chain.head_hash;
  backup.manifest.audit_keyed_from = chain.verification.keyed_from;
  if (audit.checkpoint) {
    backup.manifest.checkpoint_sequence = audit.checkpoint->sequence;
  }
  backup.manifest.key_files = PresentKeyFiles(dir);
  backup.database_bytes =
      static_cast<int64_t>(std::filesystem::file_size(snapshot.path(), ec));
  backup.records_verified = chain.verification.records_checked;
  WARDEN_RETURN_IF_ERROR(WriteArchive(out, snapshot.path(), audit, backup));
  backup.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return backup;
}

}  // namespace warden::server
