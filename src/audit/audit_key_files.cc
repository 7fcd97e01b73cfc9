#include "audit/audit_key_files.h"

#include <sys/stat.h>

#include <filesystem>

#include "core/crypto.h"
#include "core/private_file.h"

namespace warden {
namespace {

// Larger than any key file; bounds reads of a file someone replaced.
constexpr size_t kMaxKeyFileBytes = 256;
// The newest line of a witness file is in its last few hundred bytes; the
// margin tolerates trailing blank lines.
constexpr size_t kMaxCheckpointTailBytes = 64 * 1024;

Status CheckPrivate(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    return FailedPrecondition(path +
                              " is readable by group or others; chmod 600");
  }
  return Status::Ok();
}

// The raw key in `path`, created with `generate()` when missing.
template <typename Generate>
Result<std::string> LoadOrCreateSecret(const std::string& path, size_t bytes,
                                       Generate generate, bool& created) {
  if (!FileExists(path)) {
    Status written = CreatePrivateFile(path, generate());
    if (written.ok()) {
      created = true;
    } else if (written.code() != StatusCode::kAlreadyExists) {
      return written;
    }
  }
  WARDEN_RETURN_IF_ERROR(CheckPrivate(path));
  WARDEN_ASSIGN_OR_RETURN(std::string secret,
                          ReadSmallFile(path, kMaxKeyFileBytes));
  if (secret.size() != bytes) {
    return FailedPrecondition(path + ": expected " + std::to_string(bytes) +
                              " bytes, found " + std::to_string(secret.size()));
  }
  return secret;
}

}  // namespace

std::string AuditFilePath(const std::string& data_dir, const char* name) {
  return (std::filesystem::path(data_dir) / name).string();
}

Result<AuditKeys> LoadOrCreateAuditKeys(const std::string& data_dir) {
  bool created = false;
  WARDEN_ASSIGN_OR_RETURN(
      std::string chain_bytes,
      LoadOrCreateSecret(
          AuditFilePath(data_dir, kAuditKeyFileName), AuditChainKey::kBytes,
          [] { return RandomBytes(AuditChainKey::kBytes); }, created));
  WARDEN_ASSIGN_OR_RETURN(
      std::string seed,
      LoadOrCreateSecret(
          AuditFilePath(data_dir, kAuditCheckpointKeyFileName),
          AuditCheckpointSigner::kSeedBytes,
          [] { return RandomBytes(AuditCheckpointSigner::kSeedBytes); },
          created));
  WARDEN_ASSIGN_OR_RETURN(AuditChainKey chain_key,
                          AuditChainKey::FromBytes(chain_bytes));
  WARDEN_ASSIGN_OR_RETURN(AuditCheckpointSigner signer,
                          AuditCheckpointSigner::FromSeed(seed));
  const std::string public_path =
      AuditFilePath(data_dir, kAuditCheckpointPublicKeyFileName);
  Result<std::string> published = LoadAuditCheckpointPublicKey(data_dir);
  if (!published.ok() || *published != signer.public_key()) {
    WARDEN_RETURN_IF_ERROR(WritePrivateFileAtomically(
        public_path, Base64UrlEncode(signer.public_key()) + "\n"));
  }
  return AuditKeys{std::move(chain_key), std::move(signer), created};
}

Result<std::optional<AuditChainKey>> LoadAuditChainKey(
    const std::string& data_dir) {
  const std::string path = AuditFilePath(data_dir, kAuditKeyFileName);
  if (!FileExists(path)) return std::optional<AuditChainKey>();
  WARDEN_ASSIGN_OR_RETURN(std::string bytes,
                          ReadSmallFile(path, kMaxKeyFileBytes));
  Result<AuditChainKey> key = AuditChainKey::FromBytes(bytes);
  if (!key.ok()) return key.status().WithContext(path);
  return std::optional<AuditChainKey>(std::move(key).value());
}

Result<std::string> LoadAuditCheckpointPublicKey(const std::string& data_dir) {
  return LoadAuditPublicKeyFile(
      AuditFilePath(data_dir, kAuditCheckpointPublicKeyFileName));
}

Result<AuditKeys> LoadAuditKeys(const std::string& data_dir) {
  for (const char* name : {kAuditKeyFileName, kAuditCheckpointKeyFileName}) {
    const std::string path = AuditFilePath(data_dir, name);
    if (!FileExists(path)) {
      return NotFound(path + " is missing (has a server run on " + data_dir +
                      "?)");
    }
  }
  return LoadOrCreateAuditKeys(data_dir);
}

Result<std::string> LoadAuditPublicKeyFile(const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          ReadSmallFile(path, kMaxKeyFileBytes));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  Result<std::string> key = Base64UrlDecode(text);
  if (!key.ok() || key->size() != AuditCheckpointSigner::kPublicKeyBytes) {
    return InvalidArgument(path + ": not base64url of a 32-byte public key");
  }
  return key;
}

Result<AuditCheckpoint> ReadAuditCheckpointFile(const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          ReadFileTail(path, kMaxCheckpointTailBytes));
  Result<AuditCheckpoint> checkpoint = ParseLastAuditCheckpoint(text);
  if (!checkpoint.ok()) return checkpoint.status().WithContext(path);
  return checkpoint;
}

}  // namespace warden
