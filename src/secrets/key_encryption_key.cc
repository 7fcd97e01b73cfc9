#include "secrets/key_encryption_key.h"

#include <sodium.h>

#include "core/crypto.h"

namespace warden::secrets {

KeyEncryptionKey::KeyEncryptionKey(std::string bytes)
    : bytes_(std::move(bytes)), key_id_(Sha256Hex(bytes_).substr(0, 16)) {}

KeyEncryptionKey::~KeyEncryptionKey() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

Result<KeyEncryptionKey> KeyEncryptionKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kKeyBytes) {
    return InvalidArgument("key-encryption key must be exactly 32 bytes, got " +
                           std::to_string(bytes.size()));
  }
  return KeyEncryptionKey(std::string(bytes));
}

Result<KeyEncryptionKey> KeyEncryptionKey::FromBase64Url(
    std::string_view text) {
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  Result<std::string> bytes = Base64UrlDecode(text);
  if (!bytes.ok()) {
    return InvalidArgument("key-encryption key is not base64url text");
  }
  return FromBytes(*bytes);
}

KeyEncryptionKey KeyEncryptionKey::Generate() {
  return KeyEncryptionKey(RandomBytes(kKeyBytes));
}

}  // namespace warden::secrets
