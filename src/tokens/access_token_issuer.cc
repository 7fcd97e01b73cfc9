// RFC 9068 section 2: JWT access token issuance.
#include "tokens/access_token_issuer.h"

#include <algorithm>

#include "core/crypto.h"

namespace warden::tokens {
namespace {

// 128 random bits: unguessable and collision-free for the deny-list.
constexpr size_t kJwtIdBytes = 16;

bool IsScopeToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
  });
}

Status ValidateRequest(const AccessTokenRequest& r) {
  if (r.subject.empty()) return InvalidArgument("token subject is empty");
  if (r.client_id.empty()) return InvalidArgument("token client_id is empty");
  if (r.audience.empty() ||
      std::any_of(r.audience.begin(), r.audience.end(),
                  [](const std::string& a) { return a.empty(); })) {
    return InvalidArgument("token audience is empty");
  }
  for (const std::string& s : r.scopes) {
    if (!IsScopeToken(s)) {
      return InvalidArgument("scope \"" + s + "\" is not a valid scope token",
                             "invalid-scope");
    }
  }
  return Status::Ok();
}

}  // namespace

AccessTokenIssuer::AccessTokenIssuer(std::string issuer,
                                     const SigningKeyRing& keys,
                                     const LifetimePolicy& lifetimes,
                                     const Clock& clock)
    : issuer_(std::move(issuer)),
      keys_(keys),
      lifetimes_(lifetimes),
      clock_(clock) {}

Result<IssuedAccessToken> AccessTokenIssuer::Issue(
    const AccessTokenRequest& request) const {
  WARDEN_RETURN_IF_ERROR(ValidateRequest(request));
  const Timestamp now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  WARDEN_ASSIGN_OR_RETURN(std::chrono::seconds lifetime,
                          lifetimes_.Decide(request.lifetime, now));
  IssuedAccessToken out;
  AccessTokenClaims& c = out.claims;
  c.issuer = issuer_;
  c.subject = request.subject;
  c.audience = request.audience;
  c.issued_at = now;
  c.expires_at = now + lifetime;
  c.jwt_id = Base64UrlEncode(RandomBytes(kJwtIdBytes));
  c.client_id = request.client_id;
  c.scopes = request.scopes;
  c.tenant = request.tenant;
  c.certificate_thumbprint = request.certificate_thumbprint;
  // One snapshot: the key that signs is the kid in the header.
  std::shared_ptr<const PublishedKeys> keys = keys_.Published();
  WARDEN_ASSIGN_OR_RETURN(out.token,
                          SignCompactJws(*keys->current, kAccessTokenType,
                                         EncodeAccessTokenClaims(c)));
  out.expires_in = lifetime;
  out.kid = keys->current->kid();
  return out;
}

}  // namespace warden::tokens
