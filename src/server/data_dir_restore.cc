#include "server/data_dir_restore.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "audit/audit_key_files.h"
#include "core/private_file.h"
#include "custody/secret_keyring.h"
#include "server/data_directory.h"
#include "server/database_chain_check.h"

namespace warden::server {
namespace {

namespace fs = std::filesystem;

// Seeds are 32 bytes; a bounded read of a file that should hold one.
constexpr size_t kMaxSeedFileBytes = 4096;

Status PosixError(std::string_view op, const std::string& path) {
  return Unavailable(std::string(op) + " " + path + ": " +
                     std::strerror(errno));
}

// DIR may be absent or hold key files; never state a restore would replace.
Status CheckTarget(const DataDirectory& dir) {
  std::error_code ec;
  if (!fs::exists(dir.path(), ec)) return Status::Ok();
  if (!fs::is_directory(dir.path(), ec)) {
    return InvalidArgument(dir.path() + " exists and is not a directory");
  }
  for (const std::string& name :
       {std::string(kDatabaseFileName), std::string(kDatabaseFileName) + "-wal",
        std::string(kDatabaseFileName) + "-shm",
        std::string(kDatabaseFileName) + "-journal",
        std::string(kAuditCheckpointFileName)}) {
    if (fs::exists(dir.File(name), ec)) {
      return AlreadyExists(
          dir.File(name) +
          " exists: a restore never replaces a data dir's state; restore "
          "into a new directory, or move this one aside first");
    }
  }
  return Status::Ok();
}

// The staging directory inside DIR, and DIR itself when the restore made
// it: both removed unless Commit() ran (the staging dir always).
class Staging {
 public:
  static Result<std::unique_ptr<Staging>> Create(const DataDirectory& dir) {
    std::error_code ec;
    const bool created = !fs::exists(dir.path(), ec);
    WARDEN_RETURN_IF_ERROR(dir.Prepare());
    std::string pattern = dir.File(".restore-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      const Status error = PosixError("create", pattern);
      if (created) fs::remove(dir.path(), ec);
      return error;
    }
    return std::unique_ptr<Staging>(new Staging(dir.path(), pattern, created));
  }
  ~Staging() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
    if (!committed_ && created_dir_) fs::remove(data_dir_, ignored);
  }
  std::string File(const char* name) const {
    return (fs::path(path_) / name).string();
  }
  const std::string& path() const { return path_; }
  void Commit() { committed_ = true; }

 private:
  Staging(std::string data_dir, std::string path, bool created_dir)
      : data_dir_(std::move(data_dir)),
        path_(std::move(path)),
        created_dir_(created_dir) {}

  std::string data_dir_;
  std::string path_;
  bool created_dir_;
  bool committed_ = false;
};

// Writes each file of the backup into the staging dir (0600, fsync).
class StagingSink final : public BackupEntrySink {
 public:
  explicit StagingSink(const Staging& staging) : staging_(staging) {}
  ~StagingSink() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Begin(const BackupEntry& entry) override {
    path_ = staging_.File(entry.name.c_str());
    const int fd =
        ::open(path_.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return PosixError("create", path_);
    file_ = ::fdopen(fd, "wb");
    if (file_ == nullptr) {
      ::close(fd);
      return PosixError("open", path_);
    }
    return Status::Ok();
  }
  Status Write(std::string_view bytes) override {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      return PosixError("write", path_);
    }
    return Status::Ok();
  }
  Status End(const BackupEntry&) override {
    const bool synced = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (!synced || closed != 0) return PosixError("write", path_);
    return Status::Ok();
  }

 private:
  const Staging& staging_;
  std::FILE* file_ = nullptr;
  std::string path_;
};

Result<BackupManifest> Extract(const std::string& in, const Staging& staging) {
  std::ifstream file(in, std::ios::binary);
  if (!file) return PosixError("open", in);
  StagingSink sink(staging);
  return ReadBackupArchive(file, sink);
}

// The carried checkpoint, its signature checked under the carried public
// key, which must be DIR's too when DIR has the checkpoint key or its
// public half. nullopt when the backup carries no checkpoint.
Result<std::optional<AuditCheckpoint>> StagedCheckpoint(
    const DataDirectory& dir, const Staging& staging) {
  if (!FileExists(staging.File(kBackupCheckpointFile))) {
    return std::optional<AuditCheckpoint>();
  }
  WARDEN_ASSIGN_OR_RETURN(
      AuditCheckpoint checkpoint,
      ReadAuditCheckpointFile(staging.File(kBackupCheckpointFile)));
  WARDEN_ASSIGN_OR_RETURN(std::string public_key,
                          LoadAuditCheckpointPublicKey(staging.path()));
  const Status signature = VerifyAuditCheckpoint(checkpoint, public_key);
  if (!signature.ok()) {
    return FailedPrecondition("the backup's checkpoint: " + signature.message(),
                              kChainBrokenProblem);
  }
  const std::string seed_path = dir.File(kAuditCheckpointKeyFileName);
  if (FileExists(seed_path)) {
    WARDEN_ASSIGN_OR_RETURN(std::string seed,
                            ReadPrivateFile(seed_path, kMaxSeedFileBytes));
    Result<AuditCheckpointSigner> signer =
        AuditCheckpointSigner::FromSeed(seed);
    if (!signer.ok()) return signer.status().WithContext(seed_path);
    if (signer->public_key() != public_key) {
      return FailedPrecondition(
          seed_path +
          " is not the key that signed the backup's checkpoint "
          "(key " +
          signer->key_id() + ", checkpoint signed by " + checkpoint.key_id +
          "): it belongs to another data dir");
    }
  }
  Result<std::string> present = LoadAuditCheckpointPublicKey(dir.path());
  if (present.ok() && *present != public_key) {
    return FailedPrecondition(
        dir.File(kAuditCheckpointPublicKeyFileName) +
        " differs from the backup's: it belongs to another data dir");
  }
  return std::optional<AuditCheckpoint>(std::move(checkpoint));
}

Result<DatabaseChainCheck> VerifyStaged(const DataDirectory& dir,
                                        const Staging& staging,
                                        const BackupManifest& manifest) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditChainKey> key,
                          LoadAuditChainKey(dir.path()));
  if (!key && manifest.audit_keyed_from > 0) {
    return FailedPrecondition(
        dir.File(kAuditKeyFileName) +
        " is missing: put the data dir's key files back first (a backup "
        "never holds them); the restore verifies the audit chain with it");
  }
  WARDEN_ASSIGN_OR_RETURN(std::optional<AuditCheckpoint> checkpoint,
                          StagedCheckpoint(dir, staging));
  WARDEN_ASSIGN_OR_RETURN(
      DatabaseChainCheck check,
      CheckDatabaseChain(staging.File(kBackupDatabaseFile),
                         key ? &*key : nullptr,
                         checkpoint ? &*checkpoint : nullptr));
  if (check.verification.last_sequence != manifest.audit_head_sequence ||
      check.head_hash != manifest.audit_head_hash) {
    return FailedPrecondition(
        "audit chain: the database ends at sequence " +
            std::to_string(check.verification.last_sequence) +
            ", not at the head the backup's manifest names (sequence " +
            std::to_string(manifest.audit_head_sequence) + ")",
        kChainBrokenProblem);
  }
  return check;
}

Status SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return PosixError("open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return PosixError("fsync", path);
  return Status::Ok();
}

// The database last: a data dir with warden.db is a finished restore.
Status MoveIntoPlace(const DataDirectory& dir, const Staging& staging) {
  for (const char* name : {kBackupCheckpointPublicKeyFile,
                           kBackupCheckpointFile, kBackupDatabaseFile}) {
    const std::string from = staging.File(name);
    if (!FileExists(from) || FileExists(dir.File(name))) continue;
    if (::rename(from.c_str(), dir.File(name).c_str()) != 0) {
      return PosixError("rename " + from + " to", dir.File(name));
    }
  }
  return SyncDirectory(dir.path());
}

bool KekInEnvironment() {
  const char* kek = std::getenv("WARDEN_KEK");
  return kek != nullptr && *kek != '\0';
}

void NoteMissingKeys(const DataDirectory& dir, DataDirRestore& restore) {
  for (const std::string& name : restore.manifest.key_files) {
    if (name == kAdminTokenFileName) continue;  // a bootstrap credential
    const bool kek =
        name == custody::kKekFileName || name == custody::kSecretKekFileName;
    if (kek && KekInEnvironment()) continue;
    if (FileExists(dir.File(name))) continue;
    restore.missing_key_files.push_back(name);
    restore.kek_missing = restore.kek_missing || kek;
  }
}

}  // namespace

Result<DataDirRestore> RestoreDataDirectory(const std::string& in,
                                            const std::string& data_dir) {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return NotFound("no backup file at " + in);
  const DataDirectory dir(data_dir);
  WARDEN_RETURN_IF_ERROR(CheckTarget(dir));
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<Staging> staging,
                          Staging::Create(dir));
  DataDirRestore restore;
  Result<BackupManifest> manifest = Extract(in, *staging);
  if (!manifest.ok()) return manifest.status().WithContext(in);
  restore.manifest = *std::move(manifest);
  WARDEN_ASSIGN_OR_RETURN(DatabaseChainCheck check,
                          VerifyStaged(dir, *staging, restore.manifest));
  restore.records_verified = check.verification.records_checked;
  restore.database_bytes = static_cast<int64_t>(
      fs::file_size(staging->File(kBackupDatabaseFile), ec));
  WARDEN_RETURN_IF_ERROR(MoveIntoPlace(dir, *staging));
  staging->Commit();
  NoteMissingKeys(dir, restore);
  restore.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return restore;
}

}  // namespace warden::server
