// Trusted external issuers for token exchange (RFC 8693): workload
// federation, e.g. a CI system's OIDC token exchanged for a Warden token.
//
// Configuration (a JSON array, stored as one setting):
//   [{"issuer": "https://ci.example", "audience": "warden",
//     "jwks": {"keys": [...]},   // or "jwks_file": "/abs/path.json"
//                                // or "jwks_uri": "https://ci.example/jwks"
//     "rules": [{"claims": {"repository": "acme/checkout",
//                           "ref": "refs/heads/main"},
//                "identity": "checkout-deployer"}]}]
// Exactly one of jwks, jwks_file and jwks_uri per issuer. Parse() leaves
// the keys of file and URI sources unset; LoadKeys() reads them (through
// JwksFetcher, then the fuzzed tokens::Jwks parser) and Refreshed() makes a
// copy with re-read keys, keeping an issuer's last good set when its
// source fails.
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
// Thread-safety: TrustedIssuers is immutable once its keys are loaded;
// TrustedIssuerService publishes it as a shared_ptr<const> and swaps it on
// refresh.
#ifndef WARDEN_OAUTH_TRUSTED_ISSUERS_H_
#define WARDEN_OAUTH_TRUSTED_ISSUERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "outbound/jwks_fetcher.h"
#include "tokens/jwks.h"

namespace warden::oauth {

inline constexpr char kTrustedIssuersSetting[] = "oauth.trusted_issuers";
inline constexpr size_t kMaxTrustedIssuers = 32;
inline constexpr size_t kMaxMappingRules = 256;

struct ClaimMappingRule {
  std::map<std::string, std::string> claims;
  std::string identity;  // identity name
};

enum class JwksSource { kInline, kFile, kUri };

struct TrustedIssuer {
  std::string issuer;
  std::string audience;
  JwksSource jwks_source = JwksSource::kInline;
  std::string jwks_location;  // the path or URI; empty for kInline
  std::shared_ptr<const tokens::Jwks> jwks;  // null until loaded
  std::vector<ClaimMappingRule> rules;
};

class TrustedIssuers {
 public:
  // kInvalidArgument naming the offending entry.
  static Result<TrustedIssuers> Parse(std::string_view json);

  // Reads the keys of every file and URI source. kInvalidArgument naming
  // the issuer and the reason (unreachable, not 200, oversize, bad JWKS).
  Status LoadKeys(const outbound::JwksFetcher& fetcher);
  // A copy with every file and URI source read again; a source that fails
  // keeps its previous keys and adds "issuer: reason" to `failures`.
  TrustedIssuers Refreshed(const outbound::JwksFetcher& fetcher,
                           std::vector<std::string>& failures) const;
  bool has_remote_keys() const;

  // The identity name the subject token maps to, or the refusal. When the
  // token names a trusted file/URI issuer but a kid its current set lacks
  // (a rotation at the issuer?), sets `*unknown_kid` to true.
  Result<std::string> MapSubjectToken(std::string_view token, Timestamp now,
                                      bool* unknown_kid = nullptr) const;

  const std::vector<TrustedIssuer>& issuers() const { return issuers_; }

 private:
  std::vector<TrustedIssuer> issuers_;
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TRUSTED_ISSUERS_H_
