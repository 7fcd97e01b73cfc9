#include "custody/secret_keyring.h"

#include <filesystem>

#include "secrets/envelope.h"
#include "secrets/key_encryption_key_file.h"

namespace warden::custody {
namespace {

std::string PathOf(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

// Follows symlinks; an unreadable directory counts as absent and the key
// file's loader then names the real error.
bool Exists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::exists(path, ignored);
}

Status RewrapVersion(Transaction& tx, const SecretKeyring& keyring,
                     const secrets::KeyEncryptionKey& next,
                     SecretVersionRecord& version) {
  if (version.kek_id == next.key_id()) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(const secrets::KeyEncryptionKey* old,
                          keyring.Find(version.kek_id));
  secrets::SealedValue sealed{version.ciphertext, version.nonce,
                              version.wrapped_key, version.wrap_nonce,
                              version.kek_id};
  WARDEN_ASSIGN_OR_RETURN(
      secrets::SealedValue rewrapped,
      secrets::Rewrap(*old, next, sealed,
                      secrets::SecretAad(version.secret_id, version.version)));
  version.wrapped_key = std::move(rewrapped.wrapped_key);
  version.wrap_nonce = std::move(rewrapped.wrap_nonce);
  version.kek_id = std::move(rewrapped.kek_id);
  return tx.secrets().UpdateVersion(version);
}

}  // namespace

Result<SecretKeyring> SecretKeyring::Load(const std::string& data_dir) {
  const std::string own = PathOf(data_dir, kSecretKekFileName);
  const secrets::KeyEncryptionKeyFile current_file(
      Exists(own) ? own : PathOf(data_dir, kKekFileName));
  WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey current,
                          current_file.Load());
  // WARDEN_KEK replaces the files, an interrupted rotation's included.
  const secrets::KeyEncryptionKeyFile next_file(
      PathOf(data_dir, kNextKekFileName));
  if (secrets::KeyEncryptionKeyFile::EnvironmentOverrides() ||
      !Exists(next_file.path())) {
    return SecretKeyring(std::move(current));
  }
  WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey next, next_file.Read());
  return SecretKeyring(std::move(current), std::move(next));
}

Result<const secrets::KeyEncryptionKey*> SecretKeyring::Find(
    std::string_view kek_id) const {
  if (current_.key_id() == kek_id) return &current_;
  if (other_ && other_->key_id() == kek_id) return &*other_;
  return FailedPrecondition("no key-encryption key with id " +
                                std::string(kek_id) +
                                " is available (wrong DIR/kek or WARDEN_KEK?)",
                            "wrong-kek");
}

Result<int64_t> RotateKeyEncryptionKey(Store& store,
                                       const std::string& data_dir) {
  if (secrets::KeyEncryptionKeyFile::EnvironmentOverrides()) {
    return FailedPrecondition(
        "WARDEN_KEK is set: rotate that key in its own custody");
  }
  WARDEN_ASSIGN_OR_RETURN(SecretKeyring keyring, SecretKeyring::Load(data_dir));
  const std::string next_path = PathOf(data_dir, kNextKekFileName);
  const secrets::KeyEncryptionKeyFile next_file(next_path);
  // Resume an interrupted rotation with its kek.next, else start one.
  Result<secrets::KeyEncryptionKey> existing = next_file.Read();
  const secrets::KeyEncryptionKey next =
      existing.ok() ? existing.value() : secrets::KeyEncryptionKey::Generate();
  if (!existing.ok()) WARDEN_RETURN_IF_ERROR(next_file.Write(next));
  int64_t rewrapped = 0;
  WARDEN_RETURN_IF_ERROR(store.Write([&](Transaction& tx) -> Status {
    rewrapped = 0;
    WARDEN_ASSIGN_OR_RETURN(std::vector<SecretVersionRecord> versions,
                            tx.secrets().ListAllVersions());
    for (SecretVersionRecord& version : versions) {
      WARDEN_RETURN_IF_ERROR(RewrapVersion(tx, keyring, next, version));
      ++rewrapped;
    }
    return Status::Ok();
  }));
  std::error_code ec;
  std::filesystem::rename(next_path, PathOf(data_dir, kSecretKekFileName), ec);
  if (ec) return Unavailable("rename " + next_path + ": " + ec.message());
  return rewrapped;
}

}  // namespace warden::custody
