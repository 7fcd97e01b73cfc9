// Ed25519 (RFC 8032 via libsodium) and ES256 (RFC 7518 section 3.4) signing.
#include "tokens/signing_key.h"

#include <sodium.h>

#include "core/crypto.h"

namespace warden::tokens {

SigningKey::~SigningKey() {
  sodium_memzero(ed25519_secret_.data(), ed25519_secret_.size());
}

Result<std::shared_ptr<const SigningKey>> SigningKey::Generate(
    JwsAlgorithm alg) {
  if (alg == JwsAlgorithm::kRS256) {
    return InvalidArgument("Warden does not sign with RS256");
  }
  if (alg == JwsAlgorithm::kEdDSA) {
    std::string seed = RandomBytes(crypto_sign_SEEDBYTES);
    auto key = FromEd25519Seed(seed);
    sodium_memzero(seed.data(), seed.size());
    return key;
  }
  WARDEN_ASSIGN_OR_RETURN(p256::KeyPtr ec, p256::Generate());
  return FromP256(std::move(ec));
}

Result<std::shared_ptr<const SigningKey>> SigningKey::FromPrivateBlob(
    JwsAlgorithm alg, std::string_view blob) {
  if (alg == JwsAlgorithm::kEdDSA) return FromEd25519Seed(blob);
  if (alg == JwsAlgorithm::kRS256) {
    return InvalidArgument("Warden does not sign with RS256");
  }
  WARDEN_ASSIGN_OR_RETURN(p256::KeyPtr ec, p256::FromPrivateDer(blob));
  return FromP256(std::move(ec));
}

Result<std::shared_ptr<const SigningKey>> SigningKey::FromEd25519Seed(
    std::string_view seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return InvalidArgument("Ed25519 private key blob must be 32 bytes");
  }
  std::shared_ptr<SigningKey> key(new SigningKey());
  key->algorithm_ = JwsAlgorithm::kEdDSA;
  key->ed25519_secret_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_seed_keypair(
      reinterpret_cast<unsigned char*>(public_key.data()),
      reinterpret_cast<unsigned char*>(key->ed25519_secret_.data()),
      reinterpret_cast<const unsigned char*>(seed.data()));
  WARDEN_ASSIGN_OR_RETURN(key->public_key_,
                          VerificationKey::FromEd25519(public_key));
  return std::shared_ptr<const SigningKey>(std::move(key));
}

Result<std::shared_ptr<const SigningKey>> SigningKey::FromP256(
    p256::KeyPtr ec) {
  std::string x, y;
  WARDEN_RETURN_IF_ERROR(p256::PublicCoordinates(*ec, &x, &y));
  std::shared_ptr<SigningKey> key(new SigningKey());
  key->algorithm_ = JwsAlgorithm::kES256;
  key->ec_key_ = std::move(ec);
  WARDEN_ASSIGN_OR_RETURN(key->public_key_, VerificationKey::FromP256(x, y));
  return std::shared_ptr<const SigningKey>(std::move(key));
}

Result<std::string> SigningKey::Sign(std::string_view signing_input) const {
  if (algorithm_ == JwsAlgorithm::kES256) {
    return p256::Sign(*ec_key_, signing_input);
  }
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(
      reinterpret_cast<unsigned char*>(signature.data()), nullptr,
      reinterpret_cast<const unsigned char*>(signing_input.data()),
      signing_input.size(),
      reinterpret_cast<const unsigned char*>(ed25519_secret_.data()));
  return signature;
}

Result<std::string> SigningKey::PrivateBlob() const {
  if (algorithm_ == JwsAlgorithm::kES256) return p256::ToPrivateDer(*ec_key_);
  return ed25519_secret_.substr(0, crypto_sign_SEEDBYTES);
}

}  // namespace warden::tokens
