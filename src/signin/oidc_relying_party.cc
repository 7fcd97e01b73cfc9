// OpenID Connect Core 1.0 sections 3.1.2.1 (authentication request),
// 3.1.3 (token endpoint) and 3.1.3.7 (ID Token validation); RFC 7636
// (PKCE); OpenID Connect Discovery 1.0 section 4.
#include "signin/oidc_relying_party.h"

#include "core/crypto.h"
#include "service/field_checks.h"
#include "tokens/oidc_token_response.h"
#include "tokens/pkce.h"
#include "tokens/token_error.h"

namespace warden::signin {
namespace {

// A state we issue is 43 characters; a code is opaque but short. Bounds
// what an anonymous callback can make us hash, store-query and forward.
constexpr size_t kMaxStateLength = 256;
constexpr size_t kMaxCodeLength = 4096;
constexpr size_t kMaxReturnToLength = 512;
// The claim must be a name Warden's user API would accept (inventory's
// CheckName("name", ..., kMaxNameLength)): a just-in-time user is inserted
// by the sign-in service directly.
constexpr size_t kMaxUserNameLength = 128;

Status Refused(std::string message, std::string problem) {
  return Status(StatusCode::kUnauthenticated, std::move(message),
                std::move(problem));
}

std::string Scopes(const OidcOptions& options) {
  std::string scope = "openid";
  for (const std::string& extra : options.extra_scopes) {
    if (extra != "openid") scope += " " + extra;
  }
  return scope;
}

void AddQuery(std::string& url, std::string_view name, std::string_view value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += name;
  url += '=';
  url += outbound::FormUrlEncode(value);
}

}  // namespace

Status ValidateOidcOptions(const OidcOptions& options) {
  if (!options.enabled()) return Status::Ok();
  if (!tokens::IsAcceptableProviderUrl(options.issuer) ||
      options.issuer.find('?') != std::string::npos) {
    return InvalidArgument(
        "--oidc-issuer must be an https URL without query or fragment "
        "(http only on loopback)");
  }
  if (options.client_id.empty()) {
    return InvalidArgument("--oidc-client-id is required with --oidc-issuer");
  }
  if (options.client_secret.empty()) {
    return InvalidArgument(
        "--oidc-client-secret-file is required with --oidc-issuer (and must "
        "not be empty)");
  }
  if (options.redirect_uri.rfind("https://", 0) != 0 &&
      options.redirect_uri.rfind("http://", 0) != 0) {
    return InvalidArgument("--oidc-redirect-uri must be an http(s) URL");
  }
  if (options.user_claim.empty()) {
    return InvalidArgument("--oidc-user-claim must not be empty");
  }
  if (!options.role_map.empty() && options.role_claim.empty()) {
    return InvalidArgument("--oidc-role-map needs --oidc-role-claim");
  }
  return Status::Ok();
}

bool IsSameOriginPath(std::string_view path) {
  if (path.empty() || path.size() > kMaxReturnToLength) return false;
  if (path.front() != '/') return false;
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  for (char c : path) {
    if (c < 0x21 || c > 0x7e || c == '\\') return false;
  }
  return true;
}

OidcRelyingParty::OidcRelyingParty(OidcOptions options, Store& store,
                                   const outbound::OidcClient& client,
                                   const Clock& clock)
    : options_(std::move(options)),
      store_(store),
      client_(client),
      clock_(clock) {}

Result<std::shared_ptr<const tokens::Jwks>> OidcRelyingParty::FetchKeys(
    const std::string& jwks_uri) const {
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          client_.FetchDocument(jwks_uri, "jwks_uri"));
  tokens::JwksLimits limits;
  limits.openid_provider = true;
  auto keys = tokens::Jwks::Parse(text, limits);
  if (!keys.ok()) {
    return Unavailable("the provider's key set is invalid: " +
                       keys.status().message());
  }
  return keys;
}

Result<std::shared_ptr<const OidcRelyingParty::Provider>>
OidcRelyingParty::CurrentProvider() {
  const Timestamp now = clock_.Now();
  {
    MutexLock lock(mu_);
    if (provider_ && now < provider_->fetched_at + options_.metadata_ttl) {
      return provider_;
    }
  }
  // Fetched outside the lock: two concurrent refreshes cost one extra GET.
  WARDEN_ASSIGN_OR_RETURN(
      std::string text,
      client_.FetchDocument(tokens::DiscoveryUrl(options_.issuer),
                            "provider metadata"));
  auto metadata = tokens::OidcProviderMetadata::Parse(text, options_.issuer);
  if (!metadata.ok()) {
    return Unavailable("the provider's metadata is invalid: " +
                       metadata.status().message());
  }
  auto provider = std::make_shared<Provider>();
  provider->metadata = std::move(*metadata);
  WARDEN_ASSIGN_OR_RETURN(provider->keys,
                          FetchKeys(provider->metadata.jwks_uri));
  provider->fetched_at = now;
  provider->keys_fetched_at = now;
  MutexLock lock(mu_);
  provider_ = provider;
  return std::shared_ptr<const Provider>(provider);
}

Result<std::shared_ptr<const OidcRelyingParty::Provider>>
OidcRelyingParty::RefreshKeys(const std::shared_ptr<const Provider>& stale) {
  const Timestamp now = clock_.Now();
  if (now < stale->keys_fetched_at + options_.jwks_refresh_interval) {
    return std::shared_ptr<const Provider>();
  }
  WARDEN_ASSIGN_OR_RETURN(auto keys, FetchKeys(stale->metadata.jwks_uri));
  auto provider = std::make_shared<Provider>(*stale);
  provider->keys = std::move(keys);
  provider->keys_fetched_at = now;
  MutexLock lock(mu_);
  provider_ = provider;
  return std::shared_ptr<const Provider>(provider);
}

Result<std::string> OidcRelyingParty::Begin(std::string_view return_to) {
  if (!IsSameOriginPath(return_to)) {
    return InvalidArgument(
        "return_to must be a path on this server (\"/ui/...\"), not another "
        "site",
        "oidc-return-to-invalid");
  }
  WARDEN_ASSIGN_OR_RETURN(auto provider, CurrentProvider());
  const std::string state = tokens::NewRandomToken();
  OidcLogin login;
  login.state_hash = Sha256Hex(state);
  login.nonce = tokens::NewRandomToken();
  login.code_verifier = tokens::NewPkceCodeVerifier();
  login.return_to = std::string(return_to);
  login.created_at = clock_.Now();
  login.expires_at = login.created_at + options_.login_lifetime;
  WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) -> Status {
    // Abandoned logins are purged as new ones begin: the table holds at
    // most a login_lifetime's worth of starts.
    WARDEN_RETURN_IF_ERROR(
        tx.oidc_logins().DeleteExpired(login.created_at).status());
    return tx.oidc_logins().Insert(login);
  }));
  std::string url = provider->metadata.authorization_endpoint;
  AddQuery(url, "response_type", "code");
  AddQuery(url, "client_id", options_.client_id);
  AddQuery(url, "redirect_uri", options_.redirect_uri);
  AddQuery(url, "scope", Scopes(options_));
  AddQuery(url, "state", state);
  AddQuery(url, "nonce", login.nonce);
  AddQuery(url, "code_challenge",
           tokens::PkceS256Challenge(login.code_verifier));
  AddQuery(url, "code_challenge_method", "S256");
  return url;
}

Result<OidcLogin> OidcRelyingParty::TakeLogin(std::string_view state) {
  OidcLogin login;
  Status taken = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(login, tx.oidc_logins().Take(Sha256Hex(state)));
    return Status::Ok();
  });
  if (taken.code() == StatusCode::kNotFound) {
    return Refused(
        "no sign-in is waiting for this state (expired, already used, or "
        "not started here); start again",
        "oidc-login-unknown");
  }
  WARDEN_RETURN_IF_ERROR(taken);
  if (clock_.Now() >= login.expires_at) {
    return Refused("the sign-in took longer than " +
                       std::to_string(options_.login_lifetime.count()) +
                       "s; start again",
                   "oidc-login-expired");
  }
  return login;
}

Result<std::string> OidcRelyingParty::ExchangeCode(
    const Provider& provider, std::string_view code,
    const OidcLogin& login) const {
  outbound::CodeExchange exchange;
  exchange.token_endpoint = provider.metadata.token_endpoint;
  exchange.client_secret_basic = provider.metadata.auth_method ==
                                 tokens::ClientAuthMethod::kClientSecretBasic;
  exchange.client_id = options_.client_id;
  exchange.client_secret = options_.client_secret;
  exchange.code = std::string(code);
  exchange.redirect_uri = options_.redirect_uri;
  exchange.code_verifier = login.code_verifier;
  WARDEN_ASSIGN_OR_RETURN(outbound::HttpAnswer answer,
                          client_.ExchangeCode(exchange));
  WARDEN_ASSIGN_OR_RETURN(
      tokens::OidcTokenResponse response,
      tokens::OidcTokenResponse::Parse(answer.status, answer.body));
  return std::move(response.id_token);
}

Result<OidcIdentity> OidcRelyingParty::MapClaims(
    const tokens::IdTokenClaims& claims) const {
  OidcIdentity identity;
  identity.issuer = claims.issuer;
  identity.subject = claims.subject;
  std::optional<std::string> user = claims.StringClaim(options_.user_claim);
  if (!user || !CheckName("user", *user, kMaxUserNameLength).ok()) {
    return Refused("the id_token's \"" + options_.user_claim +
                       "\" claim is missing or not a Warden user name",
                   "oidc-user-claim-invalid");
  }
  identity.user = std::move(*user);
  identity.email = claims.StringClaim(options_.email_claim).value_or("");
  if (!options_.role_claim.empty()) {
    identity.role =
        options_.role_map.RoleFor(claims.StringListClaim(options_.role_claim));
  }
  return identity;
}

Result<OidcIdentity> OidcRelyingParty::Finish(std::string_view code,
                                              std::string_view state) {
  if (state.empty() || state.size() > kMaxStateLength || code.empty() ||
      code.size() > kMaxCodeLength) {
    return InvalidArgument("the callback needs code and state parameters",
                           "oidc-callback-invalid");
  }
  WARDEN_ASSIGN_OR_RETURN(OidcLogin login, TakeLogin(state));
  WARDEN_ASSIGN_OR_RETURN(auto provider, CurrentProvider());
  WARDEN_ASSIGN_OR_RETURN(std::string id_token,
                          ExchangeCode(*provider, code, login));
  tokens::IdTokenExpectations expected;
  expected.issuer = provider->metadata.issuer;
  expected.client_id = options_.client_id;
  expected.nonce = login.nonce;
  expected.leeway = options_.leeway;
  auto claims = tokens::ValidateIdToken(id_token, *provider->keys, expected,
                                        clock_.Now());
  if (!claims.ok() && tokens::TokenErrorOf(claims.status()) ==
                          tokens::TokenError::kUnknownKey) {
    WARDEN_ASSIGN_OR_RETURN(auto refreshed, RefreshKeys(provider));
    if (refreshed) {
      claims = tokens::ValidateIdToken(id_token, *refreshed->keys, expected,
                                       clock_.Now());
    }
  }
  if (!claims.ok()) return claims.status().WithContext("id_token");
  WARDEN_ASSIGN_OR_RETURN(OidcIdentity identity, MapClaims(*claims));
  identity.return_to = std::move(login.return_to);
  return identity;
}

}  // namespace warden::signin
