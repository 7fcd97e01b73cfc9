// Public JWKs: RFC 7517, RFC 8037 section 2 (OKP), RFC 7518 section 6.2 (EC)
// and 6.3 (RSA), RFC 7638 (thumbprints).
#include "tokens/verification_key.h"

#include <sodium.h>

#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/rsa_pkcs1.h"

namespace warden::tokens {

VerificationKey::VerificationKey(JwsAlgorithm algorithm,
                                 std::string public_bytes, p256::KeyPtr evp_key)
    : algorithm_(algorithm),
      public_bytes_(std::move(public_bytes)),
      evp_key_(std::move(evp_key)) {}

Result<std::shared_ptr<const VerificationKey>> VerificationKey::FromEd25519(
    std::string_view public_key, std::string kid) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return InvalidArgument("Ed25519 public key must be 32 bytes");
  }
  // Refuses non-canonical encodings and small-order points, which would let
  // many messages verify under one "key".
  if (crypto_core_ed25519_is_valid_point(
          reinterpret_cast<const unsigned char*>(public_key.data())) != 1) {
    return InvalidArgument("Ed25519 public key is not a valid point");
  }
  std::shared_ptr<VerificationKey> key(new VerificationKey(
      JwsAlgorithm::kEdDSA, std::string(public_key), nullptr));
  key->kid_ = kid.empty() ? key->Thumbprint() : std::move(kid);
  return std::shared_ptr<const VerificationKey>(std::move(key));
}

Result<std::shared_ptr<const VerificationKey>> VerificationKey::FromP256(
    std::string_view x, std::string_view y, std::string kid) {
  WARDEN_ASSIGN_OR_RETURN(p256::KeyPtr ec, p256::FromPublicCoordinates(x, y));
  std::shared_ptr<VerificationKey> key(new VerificationKey(
      JwsAlgorithm::kES256, std::string(x) + std::string(y), std::move(ec)));
  key->kid_ = kid.empty() ? key->Thumbprint() : std::move(kid);
  return std::shared_ptr<const VerificationKey>(std::move(key));
}

Result<std::shared_ptr<const VerificationKey>> VerificationKey::FromRsa(
    std::string_view n, std::string_view e, std::string kid) {
  WARDEN_ASSIGN_OR_RETURN(p256::KeyPtr rsa, rsa::FromPublicComponents(n, e));
  std::string modulus, exponent;
  WARDEN_RETURN_IF_ERROR(rsa::PublicComponents(*rsa, &modulus, &exponent));
  std::shared_ptr<VerificationKey> key(new VerificationKey(
      JwsAlgorithm::kRS256, std::move(modulus), std::move(rsa)));
  key->rsa_exponent_ = std::move(exponent);
  key->kid_ = kid.empty() ? key->Thumbprint() : std::move(kid);
  return std::shared_ptr<const VerificationKey>(std::move(key));
}

bool VerificationKey::Verify(std::string_view signing_input,
                             std::string_view signature) const {
  if (algorithm_ == JwsAlgorithm::kES256) {
    return p256::Verify(*evp_key_, signing_input, signature);
  }
  if (algorithm_ == JwsAlgorithm::kRS256) {
    return rsa::Verify(*evp_key_, signing_input, signature);
  }
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(signing_input.data()),
             signing_input.size(),
             reinterpret_cast<const unsigned char*>(public_bytes_.data())) == 0;
}

boost::json::object VerificationKey::ToJwk() const {
  boost::json::object jwk;
  if (algorithm_ == JwsAlgorithm::kEdDSA) {
    jwk["kty"] = "OKP";
    jwk["crv"] = "Ed25519";
    jwk["x"] = Base64UrlEncode(public_bytes_);
  } else if (algorithm_ == JwsAlgorithm::kRS256) {
    jwk["kty"] = "RSA";
    jwk["n"] = Base64UrlEncode(public_bytes_);
    jwk["e"] = Base64UrlEncode(rsa_exponent_);
  } else {
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["x"] = Base64UrlEncode(public_bytes_.substr(0, p256::kCoordinateBytes));
    jwk["y"] = Base64UrlEncode(public_bytes_.substr(p256::kCoordinateBytes));
  }
  jwk["kid"] = kid_;
  jwk["alg"] = Name(algorithm_);
  jwk["use"] = "sig";
  return jwk;
}

std::string VerificationKey::Thumbprint() const {
  // RFC 7638 section 3.2: required members only, lexicographic order, no
  // whitespace. The values are base64url, so no escaping is ever needed.
  std::string canonical;
  if (algorithm_ == JwsAlgorithm::kEdDSA) {
    canonical = R"({"crv":"Ed25519","kty":"OKP","x":")" +
                Base64UrlEncode(public_bytes_) + R"("})";
  } else if (algorithm_ == JwsAlgorithm::kRS256) {
    canonical = R"({"e":")" + Base64UrlEncode(rsa_exponent_) +
                R"(","kty":"RSA","n":")" + Base64UrlEncode(public_bytes_) +
                R"("})";
  } else {
    canonical =
        R"({"crv":"P-256","kty":"EC","x":")" +
        Base64UrlEncode(public_bytes_.substr(0, p256::kCoordinateBytes)) +
        R"(","y":")" +
        Base64UrlEncode(public_bytes_.substr(p256::kCoordinateBytes)) + R"("})";
  }
  const Sha256Digest digest = Sha256(canonical);
  return Base64UrlEncode(std::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace warden::tokens
