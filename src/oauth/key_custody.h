// OAuthKeyCustody: what the OAuth server derives from the data dir's
// key-encryption key (DIR/kek, or WARDEN_KEK; the process wiring loads it
// with secrets::KeyEncryptionKeyFile and hands the bytes in): sealing of
// Warden's private signing keys at rest, and the pepper of client-secret
// hashes.
//
//  - Seal/Open: XChaCha20-Poly1305-IETF (libsodium) with a random 24-byte
//    nonce per seal and the key id as associated data, so a sealed blob
//    cannot be moved to another key's row. Output: base64url(nonce || ct).
//  - HashClientSecret: HMAC-SHA256 under a pepper derived from the kek
//    (BLAKE2b keyed by the kek), hex. A stolen database alone does not allow
//    offline guessing; secrets are 256 random bits anyway.
//
// Key material is never logged or put in a Status message.
// Thread-safety: immutable after construction; every method is thread-safe.
#ifndef WARDEN_OAUTH_KEY_CUSTODY_H_
#define WARDEN_OAUTH_KEY_CUSTODY_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::oauth {

class OAuthKeyCustody {
 public:
  static constexpr size_t kKeyBytes = 32;

  // kInvalidArgument unless `kek` is kKeyBytes long. The caller may wipe
  // `kek` afterwards: the custody keeps its own copy.
  static Result<OAuthKeyCustody> Create(std::string_view kek);

  OAuthKeyCustody(const OAuthKeyCustody&) = default;
  ~OAuthKeyCustody();

  std::string Seal(std::string_view plaintext,
                   std::string_view associated_data) const;
  // kInvalidArgument when the blob is malformed or fails authentication
  // (wrong kek, tampered, or moved to another row).
  Result<std::string> Open(std::string_view sealed,
                           std::string_view associated_data) const;

  std::string HashClientSecret(std::string_view secret) const;

 private:
  OAuthKeyCustody(std::string kek, std::string pepper)
      : kek_(std::move(kek)), pepper_(std::move(pepper)) {}

  std::string kek_;     // SECRET
  std::string pepper_;  // SECRET
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_KEY_CUSTODY_H_
