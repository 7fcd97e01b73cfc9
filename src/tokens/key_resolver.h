// KeyResolver: where a verifier finds the public key named by a JWS "kid".
// Implemented by SigningKeyRing (Warden's own published keys) and Jwks
// (a client's registered keys, or a trusted external issuer's).
//
// Thread-safety: implementations must allow concurrent FindKey() calls.
#ifndef WARDEN_TOKENS_KEY_RESOLVER_H_
#define WARDEN_TOKENS_KEY_RESOLVER_H_

#include <memory>
#include <string_view>

#include "tokens/verification_key.h"

namespace warden::tokens {

class KeyResolver {
 public:
  virtual ~KeyResolver() = default;
  // The key with this kid, or nullptr when none is published.
  virtual std::shared_ptr<const VerificationKey> FindKey(
      std::string_view kid) const = 0;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_KEY_RESOLVER_H_
