#include "custody/secret_keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "secrets/envelope.h"

namespace warden::custody {
namespace {

std::string PathOf(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

Result<secrets::KeyEncryptionKey> ReadKekFile(const std::string& path) {
  struct stat info = {};
  if (::stat(path.c_str(), &info) != 0) {
    return FailedPrecondition("key-encryption key " + path + ": " +
                              std::strerror(errno));
  }
  if ((info.st_mode & 077) != 0) {
    return FailedPrecondition("key-encryption key " + path +
                              " is readable by group or others; chmod 600");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  Result<secrets::KeyEncryptionKey> kek =
      secrets::KeyEncryptionKey::FromBytes(bytes);
  if (!kek.ok())
    return FailedPrecondition(path + ": " + kek.status().message());
  return kek;
}

Status WriteKekFile(const std::string& path, const std::string& bytes) {
  // O_NOFOLLOW: never write a key through a planted symlink. An existing
  // file keeps its old mode under O_CREAT, so fchmod before any key byte.
  const int fd =
      ::open(path.c_str(),
             O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Unavailable("write " + path + ": " + std::strerror(errno));
  }
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, bytes.data(), bytes.size()) ==
                      static_cast<ssize_t>(bytes.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Unavailable("write " + path + ": " + std::strerror(errno));
  return Status::Ok();
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
  if (const char* env = std::getenv(kKekEnvironmentVariable); env && *env) {
    WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey kek,
                            secrets::KeyEncryptionKey::FromBase64Url(env));
    return SecretKeyring(std::move(kek));
  }
  const std::string own = PathOf(data_dir, kSecretKekFileName);
  WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey current,
                          ReadKekFile(std::filesystem::exists(own)
                                          ? own
                                          : PathOf(data_dir, kKekFileName)));
  const std::string next_path = PathOf(data_dir, kNextKekFileName);
  if (!std::filesystem::exists(next_path))
    return SecretKeyring(std::move(current));
  WARDEN_ASSIGN_OR_RETURN(secrets::KeyEncryptionKey next,
                          ReadKekFile(next_path));
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
  if (const char* env = std::getenv(kKekEnvironmentVariable); env && *env) {
    return FailedPrecondition(
        "WARDEN_KEK is set: rotate that key in its own custody");
  }
  WARDEN_ASSIGN_OR_RETURN(SecretKeyring keyring, SecretKeyring::Load(data_dir));
  const std::string next_path = PathOf(data_dir, kNextKekFileName);
  // Resume an interrupted rotation with its kek.next, else start one.
  Result<secrets::KeyEncryptionKey> existing = ReadKekFile(next_path);
  const secrets::KeyEncryptionKey next =
      existing.ok() ? existing.value() : secrets::KeyEncryptionKey::Generate();
  if (!existing.ok()) {
    WARDEN_RETURN_IF_ERROR(WriteKekFile(next_path, next.bytes()));
  }
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
