// VerificationKey: one public signature key with its key id, as published in
// a JWKS (RFC 7517) and used to verify JWS signatures.
//
// Ed25519 keys are OKP JWKs (RFC 8037 section 2); ES256 keys are EC P-256
// JWKs (RFC 7518 section 6.2); RS256 keys are RSA JWKs (RFC 7518 section
// 6.3), imported only from OpenID providers' key sets. The kid Warden assigns
// to its own keys is the RFC 7638 JWK thumbprint, so it is stable across
// restarts and replicas.
//
// Thread-safety: immutable after construction; share it freely (the key ring
// and JWKS hand out shared_ptr<const VerificationKey>).
#ifndef WARDEN_TOKENS_VERIFICATION_KEY_H_
#define WARDEN_TOKENS_VERIFICATION_KEY_H_

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "tokens/jws_algorithm.h"
#include "tokens/p256.h"

namespace warden::tokens {

class VerificationKey {
 public:
  // `public_key` is the 32-byte Ed25519 public key. An empty `kid` means
  // "use the RFC 7638 thumbprint". kInvalidArgument on a wrong length.
  static Result<std::shared_ptr<const VerificationKey>> FromEd25519(
      std::string_view public_key, std::string kid = {});
  // `x`, `y`: 32-byte big-endian affine coordinates of a P-256 point.
  // kInvalidArgument when the point is not on the curve.
  static Result<std::shared_ptr<const VerificationKey>> FromP256(
      std::string_view x, std::string_view y, std::string kid = {});
  // `n`, `e`: big-endian RSA modulus and public exponent. kInvalidArgument
  // outside rsa::kMinModulusBits..kMaxModulusBits or for a bad exponent.
  static Result<std::shared_ptr<const VerificationKey>> FromRsa(
      std::string_view n, std::string_view e, std::string kid = {});

  VerificationKey(const VerificationKey&) = delete;
  VerificationKey& operator=(const VerificationKey&) = delete;

  const std::string& kid() const { return kid_; }
  JwsAlgorithm algorithm() const { return algorithm_; }

  // True when this key may verify a JWS whose header names `alg`: Ed25519
  // keys accept "EdDSA" and "Ed25519"; P-256 keys accept "ES256" only; RSA
  // keys "RS256" only.
  bool Accepts(JwsAlgorithm alg) const { return alg == algorithm_; }

  // Verifies `signature` over `signing_input` (the ASCII "header.payload").
  // False on any mismatch, including a signature of the wrong length.
  bool Verify(std::string_view signing_input, std::string_view signature) const;

  // The public JWK: kty, crv, x (and y), kid, alg, use "sig".
  boost::json::object ToJwk() const;

  // RFC 7638 thumbprint (base64url SHA-256 of the canonical member JSON).
  std::string Thumbprint() const;

  // Raw public bytes: 32 for Ed25519, x || y (64) for P-256, the modulus
  // for RSA.
  const std::string& public_bytes() const { return public_bytes_; }

 private:
  VerificationKey(JwsAlgorithm algorithm, std::string public_bytes,
                  p256::KeyPtr evp_key);

  // Immutable after construction.
  JwsAlgorithm algorithm_;
  std::string public_bytes_;
  p256::KeyPtr evp_key_;      // the OpenSSL key for ES256 and RS256
  std::string rsa_exponent_;  // only for RS256
  std::string kid_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_VERIFICATION_KEY_H_
