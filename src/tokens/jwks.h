// Jwks: an immutable JSON Web Key Set (RFC 7517 section 5) of public
// signature keys: Warden's own published keys, a client's registered keys
// (private_key_jwt), or a trusted external issuer's keys (token exchange).
//
// Import (Parse) is strict and bounded: only signature keys Warden can use
// are accepted, i.e. OKP/Ed25519 (RFC 8037) and EC/P-256 (RFC 7518 6.2).
// Keys with "use" other than "sig", an "alg" that does not fit the key, a
// "d" member (a private key published by mistake), a duplicate or missing
// kid, or an invalid point make the whole set invalid: a typo in a trusted
// issuer's configuration must be loud, not silently narrow the set.
// Keys of other types (RSA, oct) are skipped with `skipped_keys()` counting
// them, because real issuers publish mixed sets (see
// JwksLimits::openid_provider for RSA).
//
// Thread-safety: immutable after construction; FindKey() is safe from any
// thread.
#ifndef WARDEN_TOKENS_JWKS_H_
#define WARDEN_TOKENS_JWKS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tokens/key_resolver.h"
#include "tokens/verification_key.h"

namespace warden::tokens {

// Limits on imported JWKS documents, with reasons.
struct JwksLimits {
  // A JWKS of a few dozen keys is ~10 KiB; 64 KiB bounds parse work.
  size_t max_document_bytes = 64 * 1024;
  // Real issuers publish 1-5 keys (current, next, retired); clients 1-2.
  size_t max_keys = 32;
  // A JWK is flat except "x5c" arrays and small objects.
  int max_json_depth = 6;
  // An OpenID provider's published set (OpenID Connect Discovery
  // "jwks_uri"): RSA keys (RS256) are imported too, and keys Warden cannot
  // use for id_tokens (use "enc", or an alg other than EdDSA, ES256, RS256)
  // are skipped rather than refused, because providers publish them.
  bool openid_provider = false;
};

class Jwks final : public KeyResolver {
 public:
  // kInvalidArgument naming the offending key ("keys[2].crv ...").
  static Result<std::shared_ptr<const Jwks>> Parse(
      std::string_view json, const JwksLimits& limits = {});

  // REQUIRES: distinct kids.
  explicit Jwks(std::vector<std::shared_ptr<const VerificationKey>> keys,
                size_t skipped_keys = 0);

  std::shared_ptr<const VerificationKey> FindKey(
      std::string_view kid) const override;

  const std::vector<std::shared_ptr<const VerificationKey>>& keys() const {
    return keys_;
  }
  size_t skipped_keys() const { return skipped_keys_; }

  // {"keys":[...]} with kid, alg and use "sig" on every key.
  std::string ToJson() const;

 private:
  // Immutable after construction.
  std::vector<std::shared_ptr<const VerificationKey>> keys_;
  size_t skipped_keys_ = 0;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_JWKS_H_
