// Trusted external issuers for token exchange (RFC 8693): workload
// federation, e.g. a CI system's OIDC token exchanged for a Warden token.
//
// Configuration (a JSON array, stored as one setting):
//   [{"issuer": "https://ci.example", "audience": "warden",
//     "jwks": {"keys": [...]},
//     "rules": [{"claims": {"repository": "acme/checkout",
//                           "ref": "refs/heads/main"},
//                "identity": "checkout-deployer"}]}]
// A rule maps a subject token to the identity named by "identity" when
// every listed claim equals the token's claim (strings, exact). The first
// matching rule wins.
//
// MapSubjectToken() verifies a subject token against this configuration:
// compact JWS with EdDSA/ES256 only (alg none and HMAC refused), an issuer
// listed here, a signature by a key of that issuer's JWKS, aud containing
// its audience, exp in the future and nbf/iat not in the future (30 s
// leeway), then the rules. Every refusal is kInvalidArgument with problem
// "invalid_request" and the reason (RFC 8693 section 2.2.2).
//
// Thread-safety: TrustedIssuers is immutable once parsed.
#ifndef WARDEN_SERVICE_OAUTH_TRUSTED_ISSUERS_H_
#define WARDEN_SERVICE_OAUTH_TRUSTED_ISSUERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "tokens/jwks.h"

namespace warden {

inline constexpr char kTrustedIssuersSetting[] = "oauth.trusted_issuers";
inline constexpr size_t kMaxTrustedIssuers = 32;
inline constexpr size_t kMaxMappingRules = 256;

struct ClaimMappingRule {
  std::map<std::string, std::string> claims;
  std::string identity;  // identity name
};

struct TrustedIssuer {
  std::string issuer;
  std::string audience;
  std::shared_ptr<const tokens::Jwks> jwks;
  std::vector<ClaimMappingRule> rules;
};

class TrustedIssuers {
 public:
  // kInvalidArgument naming the offending entry.
  static Result<TrustedIssuers> Parse(std::string_view json);

  // The identity name the subject token maps to, or the refusal.
  Result<std::string> MapSubjectToken(std::string_view token,
                                      Timestamp now) const;

  const std::vector<TrustedIssuer>& issuers() const { return issuers_; }

 private:
  std::vector<TrustedIssuer> issuers_;
};

}  // namespace warden

#endif  // WARDEN_SERVICE_OAUTH_TRUSTED_ISSUERS_H_
