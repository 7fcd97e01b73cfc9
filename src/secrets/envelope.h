// Envelope encryption of one secret version (libsodium
// crypto_aead_xchacha20poly1305_ietf).
//
//   data key  = 32 random bytes, fresh for every sealed value
//   ciphertext = AEAD(data key, nonce, plaintext, aad = SecretAad(id, version))
//   wrapped key = AEAD(KEK, wrap nonce, data key, aad = "warden-dek|" + aad)
//
// The AAD binds each ciphertext and wrapped key to its secret id and
// version, so rows swapped between secrets or versions fail to open.
// Rewrap() replaces only the wrapped key (KEK rotation): the ciphertext and
// its nonce are untouched.
//
// Pure functions; thread-safe.
#ifndef WARDEN_SECRETS_ENVELOPE_H_
#define WARDEN_SECRETS_ENVELOPE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "secrets/key_encryption_key.h"

namespace warden::secrets {

// Bound on one secret value: API keys and passwords, not files.
inline constexpr size_t kMaxSecretBytes = 64 * 1024;

struct SealedValue {
  std::string ciphertext;   // includes the 16-byte tag
  std::string nonce;        // 24 bytes
  std::string wrapped_key;  // 32 + 16 bytes
  std::string wrap_nonce;   // 24 bytes
  std::string kek_id;       // KeyEncryptionKey::key_id() that wrapped it
};

// "secret|<id>|v<version>".
std::string SecretAad(std::string_view secret_id, int64_t version);

// kInvalidArgument for a value over kMaxSecretBytes.
Result<SealedValue> Seal(const KeyEncryptionKey& kek,
                         std::string_view plaintext, std::string_view aad);

// kFailedPrecondition ("wrong-kek") when sealed under another KEK;
// kInternal ("secret-corrupt") when authentication fails.
Result<std::string> Open(const KeyEncryptionKey& kek, const SealedValue& sealed,
                         std::string_view aad);

// Unwraps the data key with `old_kek` and wraps it with `new_kek`; returns
// the value with a new wrapped_key, wrap_nonce and kek_id.
Result<SealedValue> Rewrap(const KeyEncryptionKey& old_kek,
                           const KeyEncryptionKey& new_kek,
                           const SealedValue& sealed, std::string_view aad);

}  // namespace warden::secrets

#endif  // WARDEN_SECRETS_ENVELOPE_H_
