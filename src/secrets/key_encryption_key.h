// The key-encryption key (KEK): 32 random bytes kept outside the database
// (DIR/kek, mode 0600, or WARDEN_KEK as base64url; read by the one loader,
// key_encryption_key_file.h). It only ever wraps
// per-secret data keys; it never encrypts secret values directly.
//
// Immutable value; thread-safe. The key bytes are wiped on destruction.
#ifndef WARDEN_SECRETS_KEY_ENCRYPTION_KEY_H_
#define WARDEN_SECRETS_KEY_ENCRYPTION_KEY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::secrets {

inline constexpr size_t kKeyBytes = 32;

class KeyEncryptionKey {
 public:
  // kInvalidArgument unless `bytes` is exactly 32 bytes.
  static Result<KeyEncryptionKey> FromBytes(std::string_view bytes);
  // From base64url (RFC 4648 section 5) text, surrounding whitespace ignored.
  static Result<KeyEncryptionKey> FromBase64Url(std::string_view text);
  // A fresh random key.
  static KeyEncryptionKey Generate();

  KeyEncryptionKey(const KeyEncryptionKey& other)
      : KeyEncryptionKey(other.bytes_) {}
  KeyEncryptionKey& operator=(const KeyEncryptionKey&) = delete;
  ~KeyEncryptionKey();

  const std::string& bytes() const { return bytes_; }
  // First 16 hex digits of SHA-256(key): names the key in stored rows so a
  // wrong KEK is reported as such, never as corrupt data.
  const std::string& key_id() const { return key_id_; }

 private:
  explicit KeyEncryptionKey(std::string bytes);
  std::string bytes_;
  std::string key_id_;
};

}  // namespace warden::secrets

#endif  // WARDEN_SECRETS_KEY_ENCRYPTION_KEY_H_
