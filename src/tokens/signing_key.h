// SigningKey: one private JWS signing key (Ed25519 or ES256) and its public
// half.
//
// Key material for the store: PrivateBlob() returns the private key as an
// opaque byte string (the 32-byte Ed25519 seed, or the RFC 5915 DER of the
// P-256 key). The caller must encrypt it before it is written anywhere and
// must never log it; this class never prints it. FromPrivateBlob() is the
// inverse and re-derives the public key and kid, so a tampered blob cannot
// pair a private key with someone else's kid.
//
// Thread-safety: immutable after construction; Sign() may be called from any
// number of threads at once.
#ifndef WARDEN_TOKENS_SIGNING_KEY_H_
#define WARDEN_TOKENS_SIGNING_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "tokens/jws_algorithm.h"
#include "tokens/p256.h"
#include "tokens/verification_key.h"

namespace warden::tokens {

class SigningKey {
 public:
  // A fresh random key. kInternal only if the crypto library fails.
  static Result<std::shared_ptr<const SigningKey>> Generate(JwsAlgorithm alg);
  // kInvalidArgument when `blob` is not a key of `alg`.
  static Result<std::shared_ptr<const SigningKey>> FromPrivateBlob(
      JwsAlgorithm alg, std::string_view blob);

  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  JwsAlgorithm algorithm() const { return algorithm_; }
  // The RFC 7638 thumbprint of the public key.
  const std::string& kid() const { return public_key_->kid(); }
  const std::shared_ptr<const VerificationKey>& public_key() const {
    return public_key_;
  }

  // Raw JWS signature over `signing_input`: 64 bytes for both algorithms.
  Result<std::string> Sign(std::string_view signing_input) const;

  // Secret: see the file comment.
  Result<std::string> PrivateBlob() const;

 private:
  SigningKey() = default;
  static Result<std::shared_ptr<const SigningKey>> FromEd25519Seed(
      std::string_view seed);
  static Result<std::shared_ptr<const SigningKey>> FromP256(p256::KeyPtr key);

  // Immutable after construction.
  JwsAlgorithm algorithm_ = JwsAlgorithm::kEdDSA;
  std::string ed25519_secret_;  // libsodium's 64-byte seed || public key
  p256::KeyPtr ec_key_;
  std::shared_ptr<const VerificationKey> public_key_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_SIGNING_KEY_H_
