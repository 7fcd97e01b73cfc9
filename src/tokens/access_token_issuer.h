// AccessTokenIssuer: mints RFC 9068 JWT access tokens signed by the key
// ring's current key.
//
// The issuer decides only what is intrinsic to the token: times (from the
// Clock and the LifetimePolicy), a random jti, the header typ "at+jwt". It
// does not decide whether the identity may have the token (status, granted
// scopes, tenant exposure): oauth::TokenIssuance checks that first and passes
// the result here.
//
// Thread-safety: Issue() may be called from any number of threads at once.
// The ring, clock and policy are borrowed and must outlive the issuer.
#ifndef WARDEN_TOKENS_ACCESS_TOKEN_ISSUER_H_
#define WARDEN_TOKENS_ACCESS_TOKEN_ISSUER_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/access_token_claims.h"
#include "tokens/lifetime_policy.h"
#include "tokens/signing_key_ring.h"

namespace warden::tokens {

struct AccessTokenRequest {
  std::string subject;                // identity id
  std::string client_id;              // the OAuth client (often the same id)
  std::vector<std::string> audience;  // REQUIRES: not empty
  std::vector<std::string> scopes;    // already checked against grants
  std::optional<std::string> tenant;
  // Binds the token to this client certificate (cnf.x5t#S256).
  std::optional<std::string> certificate_thumbprint;
  LifetimeRequest lifetime;
};

struct IssuedAccessToken {
  std::string token;  // SECRET: never log
  AccessTokenClaims claims;
  std::chrono::seconds expires_in{0};  // for the "expires_in" response field
  std::string kid;                     // the key that signed it
};

class AccessTokenIssuer {
 public:
  // `issuer` is the "iss" value (Warden's issuer URL).
  AccessTokenIssuer(std::string issuer, const SigningKeyRing& keys,
                    const LifetimePolicy& lifetimes, const Clock& clock);

  // kInvalidArgument for an empty subject, client_id or audience, or a
  // malformed scope; the LifetimePolicy's errors; kInternal if signing
  // fails.
  Result<IssuedAccessToken> Issue(const AccessTokenRequest& request) const;

  const std::string& issuer() const { return issuer_; }

 private:
  // Immutable after construction.
  const std::string issuer_;
  const SigningKeyRing& keys_;
  const LifetimePolicy& lifetimes_;
  const Clock& clock_;
};

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_ACCESS_TOKEN_ISSUER_H_
