// Envelope encryption with XChaCha20-Poly1305 (IETF construction,
// draft-irtf-cfrg-xchacha) from libsodium.
#include "secrets/envelope.h"

#include <sodium.h>

#include "core/crypto.h"

namespace warden::secrets {
namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Wipes its bytes on destruction: data keys never linger in freed memory.
struct DataKey {
  std::string bytes;
  ~DataKey() { sodium_memzero(bytes.data(), bytes.size()); }
};

std::string AeadSeal(std::string_view key, std::string_view nonce,
                     std::string_view plaintext, std::string_view aad) {
  std::string out(plaintext.size() + kTagBytes, '\0');
  unsigned long long length = 0;  // NOLINT(runtime/int): libsodium's type
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()), &length, Bytes(plaintext),
      plaintext.size(), Bytes(aad), aad.size(), nullptr, Bytes(nonce),
      Bytes(key));
  out.resize(length);
  return out;
}

bool AeadOpen(std::string_view key, std::string_view nonce,
              std::string_view ciphertext, std::string_view aad,
              std::string& out) {
  if (ciphertext.size() < kTagBytes || nonce.size() != kNonceBytes)
    return false;
  out.assign(ciphertext.size() - kTagBytes, '\0');
  unsigned long long length = 0;  // NOLINT(runtime/int)
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &length, nullptr,
          Bytes(ciphertext), ciphertext.size(), Bytes(aad), aad.size(),
          Bytes(nonce), Bytes(key)) != 0) {
    sodium_memzero(out.data(), out.size());
    return false;
  }
  out.resize(length);
  return true;
}

std::string WrapAad(std::string_view aad) {
  return "warden-dek|" + std::string(aad);
}

Result<DataKey> Unwrap(const KeyEncryptionKey& kek, const SealedValue& sealed,
                       std::string_view aad) {
  if (sealed.kek_id != kek.key_id()) {
    return FailedPrecondition("secret was wrapped by key-encryption key " +
                                  sealed.kek_id + ", not " + kek.key_id(),
                              "wrong-kek");
  }
  DataKey key;
  if (!AeadOpen(kek.bytes(), sealed.wrap_nonce, sealed.wrapped_key,
                WrapAad(aad), key.bytes) ||
      key.bytes.size() != kKeyBytes) {
    return Status(StatusCode::kInternal,
                  "wrapped data key fails authentication", "secret-corrupt");
  }
  return key;
}

void Wrap(const KeyEncryptionKey& kek, const DataKey& key, std::string_view aad,
          SealedValue& sealed) {
  sealed.wrap_nonce = RandomBytes(kNonceBytes);
  sealed.wrapped_key =
      AeadSeal(kek.bytes(), sealed.wrap_nonce, key.bytes, WrapAad(aad));
  sealed.kek_id = kek.key_id();
}

}  // namespace

std::string SecretAad(std::string_view secret_id, int64_t version) {
  return "secret|" + std::string(secret_id) + "|v" + std::to_string(version);
}

Result<SealedValue> Seal(const KeyEncryptionKey& kek,
                         std::string_view plaintext, std::string_view aad) {
  if (plaintext.size() > kMaxSecretBytes) {
    return InvalidArgument("secret value larger than 64 KiB",
                           "secret-too-large");
  }
  DataKey key{RandomBytes(kKeyBytes)};
  SealedValue sealed;
  sealed.nonce = RandomBytes(kNonceBytes);
  sealed.ciphertext = AeadSeal(key.bytes, sealed.nonce, plaintext, aad);
  Wrap(kek, key, aad, sealed);
  return sealed;
}

Result<std::string> Open(const KeyEncryptionKey& kek, const SealedValue& sealed,
                         std::string_view aad) {
  WARDEN_ASSIGN_OR_RETURN(DataKey key, Unwrap(kek, sealed, aad));
  std::string plaintext;
  if (!AeadOpen(key.bytes, sealed.nonce, sealed.ciphertext, aad, plaintext)) {
    return Status(StatusCode::kInternal,
                  "secret ciphertext fails authentication", "secret-corrupt");
  }
  return plaintext;
}

Result<SealedValue> Rewrap(const KeyEncryptionKey& old_kek,
                           const KeyEncryptionKey& new_kek,
                           const SealedValue& sealed, std::string_view aad) {
  WARDEN_ASSIGN_OR_RETURN(DataKey key, Unwrap(old_kek, sealed, aad));
  SealedValue rewrapped = sealed;
  Wrap(new_kek, key, aad, rewrapped);
  return rewrapped;
}

}  // namespace warden::secrets
