#include "oauth/key_custody.h"

#include <sodium.h>

#include "core/crypto.h"

namespace warden::oauth {
namespace {

constexpr std::string_view kPepperContext = "warden client secret pepper v1";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

OAuthKeyCustody::~OAuthKeyCustody() {
  sodium_memzero(kek_.data(), kek_.size());
  sodium_memzero(pepper_.data(), pepper_.size());
}

Result<OAuthKeyCustody> OAuthKeyCustody::Create(std::string_view kek) {
  if (kek.size() != kKeyBytes) {
    return InvalidArgument("key-encryption key must be " +
                           std::to_string(kKeyBytes) + " bytes");
  }
  std::string pepper(crypto_auth_hmacsha256_KEYBYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(pepper.data()),
                     pepper.size(), Bytes(kPepperContext),
                     kPepperContext.size(), Bytes(kek), kek.size());
  return OAuthKeyCustody(std::string(kek), std::move(pepper));
}

std::string OAuthKeyCustody::Seal(std::string_view plaintext,
                                  std::string_view associated_data) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out = RandomBytes(kNonce);
  out.resize(kNonce + plaintext.size() +
             crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()) + kNonce, &written,
      Bytes(plaintext), plaintext.size(), Bytes(associated_data),
      associated_data.size(), nullptr, Bytes(out), Bytes(kek_));
  out.resize(kNonce + written);
  return Base64UrlEncode(out);
}

Result<std::string> OAuthKeyCustody::Open(
    std::string_view sealed, std::string_view associated_data) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  Result<std::string> raw = Base64UrlDecode(sealed);
  if (!raw.ok() || raw->size() < kNonce + kTag) {
    return InvalidArgument("sealed key is malformed");
  }
  std::string plain(raw->size() - kNonce - kTag, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &written, nullptr,
          Bytes(*raw) + kNonce, raw->size() - kNonce, Bytes(associated_data),
          associated_data.size(), Bytes(*raw), Bytes(kek_)) != 0) {
    return InvalidArgument(
        "sealed key does not open with this key-encryption key");
  }
  plain.resize(written);
  return plain;
}

std::string OAuthKeyCustody::HashClientSecret(std::string_view secret) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(pepper_), pepper_.size());
  crypto_auth_hmacsha256_update(&state, Bytes(secret), secret.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return HexEncode(mac, sizeof(mac));
}

}  // namespace warden::oauth
