// OidcRelyingParty: console single sign-on with the company's OpenID
// provider, as an OpenID Connect relying party using the authorization code
// flow with PKCE (OpenID Connect Core 1.0 section 3.1, RFC 7636).
//
// Begin() starts a login: fresh state, nonce and PKCE code verifier, kept
// in the Store (Transaction::oidc_logins(), by the SHA-256 of the state,
// `login_lifetime`), so any replica can finish a login another began; it
// answers the provider's authorization URL to redirect the browser to.
// Finish() takes the login back by its state (single use: read and
// deleted), exchanges the code at the token endpoint with the verifier and
// the client secret, validates the id_token (tokens/id_token_validator.h)
// and maps its claims to a Warden user name and, for just-in-time users, a
// role (OidcRoleMap). Deciding whether that user may sign in (existing and
// enabled, or provisioned with the mapped role) is the sign-in service's.
//
// The provider's metadata (Discovery, `metadata_ttl`) and key set are
// cached in memory: they are the provider's state, not Warden's, and every
// replica reads them alike. An id_token signed with an unknown kid
// refreshes the key set once (at most every `jwks_refresh_interval`), so a
// provider's key rotation needs no restart.
//
// Errors (Status problem slugs, for the audit and the callback's redirect):
//   Begin: kInvalidArgument "oidc-return-to-invalid"; kUnavailable when the
//     provider cannot be reached or its metadata is invalid.
//   Finish: kInvalidArgument "oidc-callback-invalid" (missing or oversize
//     code/state); kUnauthenticated "oidc-login-unknown" (no such login:
//     expired and purged, used, or forged), "oidc-login-expired",
//     "oidc-code-exchange" (the provider refused the code), a token
//     failure slug (token_error.h) for an invalid id_token,
//     "oidc-user-claim-invalid"; kUnavailable (provider down).
//
// Thread-safety: Begin() and Finish() may run concurrently on any thread;
// the caches are guarded by mu_, never held across I/O.
#ifndef WARDEN_SIGNIN_OIDC_RELYING_PARTY_H_
#define WARDEN_SIGNIN_OIDC_RELYING_PARTY_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/mutex.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "outbound/oidc_client.h"
#include "signin/oidc_role_map.h"
#include "store/store.h"
#include "tokens/id_token_validator.h"
#include "tokens/jwks.h"
#include "tokens/oidc_provider_metadata.h"

namespace warden::signin {

struct OidcOptions {
  std::string issuer;  // empty: single sign-on is off
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;  // Warden's /v1/session/oidc/callback URL
  std::vector<std::string> extra_scopes;  // besides "openid"
  std::string user_claim = "preferred_username";
  std::string email_claim = "email";
  std::string role_claim;  // empty: no just-in-time users
  OidcRoleMap role_map;
  // A person completes the provider's sign-in within minutes.
  std::chrono::seconds login_lifetime{600};
  std::chrono::seconds metadata_ttl{3600};
  std::chrono::seconds jwks_refresh_interval{60};
  std::chrono::seconds leeway{60};

  bool enabled() const { return !issuer.empty(); }
};

// Configuration checks for `warden serve`: issuer and redirect URI URLs,
// client id and secret present, claim names, a role map only with a role
// claim. kInvalidArgument naming the option.
Status ValidateOidcOptions(const OidcOptions& options);

// True for a same-origin absolute path Warden may redirect to after sign-in:
// starts with one "/" (not "//" or "/\", which browsers read as another
// host), printable ASCII without backslash, at most 512 characters.
bool IsSameOriginPath(std::string_view path);

// Who the provider says signed in, mapped to Warden's names.
struct OidcIdentity {
  std::string issuer;
  std::string subject;
  std::string user;          // from OidcOptions::user_claim
  std::string email;         // from OidcOptions::email_claim; may be empty
  std::optional<Role> role;  // mapped from role_claim; nullopt: none
  std::string return_to;     // from Begin()
};

class OidcRelyingParty {
 public:
  // REQUIRES: options.enabled(). `store`, `client` and `clock` must outlive
  // the relying party.
  OidcRelyingParty(OidcOptions options, Store& store,
                   const outbound::OidcClient& client, const Clock& clock);

  // The provider's authorization URL for a new login that returns to
  // `return_to` (an IsSameOriginPath()).
  Result<std::string> Begin(std::string_view return_to);

  // Completes the login named by `state` with the provider's `code`.
  Result<OidcIdentity> Finish(std::string_view code, std::string_view state);

  const OidcOptions& options() const { return options_; }

 private:
  struct Provider {
    tokens::OidcProviderMetadata metadata;
    std::shared_ptr<const tokens::Jwks> keys;
    Timestamp fetched_at{};
    Timestamp keys_fetched_at{};
  };

  // The cached provider, fetched when absent or older than metadata_ttl.
  Result<std::shared_ptr<const Provider>> CurrentProvider();
  // A provider with a re-read key set, or nullptr when the last read is
  // more recent than jwks_refresh_interval.
  Result<std::shared_ptr<const Provider>> RefreshKeys(
      const std::shared_ptr<const Provider>& stale);
  Result<std::shared_ptr<const tokens::Jwks>> FetchKeys(
      const std::string& jwks_uri) const;
  Result<OidcLogin> TakeLogin(std::string_view state);
  Result<std::string> ExchangeCode(const Provider& provider,
                                   std::string_view code,
                                   const OidcLogin& login) const;
  Result<OidcIdentity> MapClaims(const tokens::IdTokenClaims& claims) const;

  // Immutable after construction.
  const OidcOptions options_;
  Store& store_;
  const outbound::OidcClient& client_;
  const Clock& clock_;

  Mutex mu_;
  std::shared_ptr<const Provider> provider_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_OIDC_RELYING_PARTY_H_
