#include "secrets/key_encryption_key_file.h"

#include <sodium.h>

#include <cstdlib>

#include "core/private_file.h"

namespace warden::secrets {
namespace {

// Read past kKeyBytes so a wrong size is reported as the size found; a key
// file larger than this is no key file at all.
constexpr size_t kMaxKeyFileBytes = 4096;

Status KeyFileError(const Status& status) {
  return FailedPrecondition("key-encryption key: " + status.message());
}

}  // namespace

bool KeyEncryptionKeyFile::EnvironmentOverrides() {
  const char* env = std::getenv(kKekEnvironmentVariable);
  return env != nullptr && *env != '\0';
}

Result<KeyEncryptionKey> KeyEncryptionKeyFile::Load() const {
  if (!EnvironmentOverrides()) return Read();
  Result<KeyEncryptionKey> key =
      KeyEncryptionKey::FromBase64Url(std::getenv(kKekEnvironmentVariable));
  if (!key.ok()) return key.status().WithContext(kKekEnvironmentVariable);
  return key;
}

Result<KeyEncryptionKey> KeyEncryptionKeyFile::Read() const {
  Result<std::string> bytes = ReadPrivateFile(path_, kMaxKeyFileBytes);
  if (!bytes.ok()) return KeyFileError(bytes.status());
  Result<KeyEncryptionKey> key = KeyEncryptionKey::FromBytes(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  if (!key.ok())
    return FailedPrecondition(path_ + ": " + key.status().message());
  return key;
}

Status KeyEncryptionKeyFile::EnsureExists() const {
  const Status created =
      CreatePrivateFile(path_, KeyEncryptionKey::Generate().bytes());
  if (created.code() == StatusCode::kAlreadyExists) return Status::Ok();
  return created;
}

Status KeyEncryptionKeyFile::Write(const KeyEncryptionKey& key) const {
  return WritePrivateFile(path_, key.bytes());
}

}  // namespace warden::secrets
