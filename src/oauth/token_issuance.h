// TokenIssuance: the token endpoint's decisions (RFC 6749 section 3.2) for
// the grants Warden supports.
//
//  - ClientCredentials (RFC 6749 section 4.4): authenticates the client
//    (ClientCredentialService), rate limits per client, refuses identities
//    that are not active, expired or ownerless (IdentityTokenPolicy),
//    refuses identities and tenants tied to an active exposure limit
//    (TokenLimits), checks requested scopes against the identity's grants,
//    checks tenant exposure (IdentityTokenPolicy::CheckTenant) for
//    tenant-bound tokens,
//    and issues an RFC 9068 JWT (lifetime = min(request,
//    LifetimePolicy(env, tier), identity expiry)), bound to the client
//    certificate (cnf.x5t#S256, RFC 8705) when the request came over
//    mutual TLS (either grant).
//  - Exchange (RFC 8693): a subject token of a trusted issuer
//    (TrustedIssuerService) for a Warden token of the mapped identity, with
//    the same identity, scope and lifetime rules.
// Introspection and revocation live in TokenRevocation, the trusted issuers
// document in TrustedIssuerService.
//
// Errors are Status values whose problem() is the RFC 6749 section 5.2
// error code ("invalid_client", "invalid_scope", "unauthorized_client",
// "invalid_request", "invalid_target") or "rate_limited", or a
// kResourceExhausted refusal of the per-source failure throttle; the HTTP
// layer maps them (429s carry Status::retry_after). Issuance and refusals
// are audited ("oauth.token.issue" / "oauth.token.exchange", outcome ok or
// the error) with client, scopes, tenant and reason; token values never
// are. A granted token is handed out only after its record is committed.
//
// Thread-safety: every method may be called concurrently (the rate limiter
// and token issuer lock themselves); the borrowed collaborators must
// outlive this object.
#ifndef WARDEN_OAUTH_TOKEN_ISSUANCE_H_
#define WARDEN_OAUTH_TOKEN_ISSUANCE_H_

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oauth/client_credential_service.h"
#include "oauth/identity_token_policy.h"
#include "oauth/signing_keys.h"
#include "oauth/token_limits.h"
#include "oauth/trusted_issuer_service.h"
#include "oauth/usage_recorder.h"
#include "service/auditor.h"
#include "service/keyed_rate_limiter.h"
#include "tokens/access_token_issuer.h"
#include "tokens/lifetime_policy.h"

namespace warden::oauth {

struct TokenIssuanceOptions {
  std::string issuer;  // "iss", and the default audience
  RateLimit rate_limit;
};

struct ClientCredentialsRequest {
  ClientPresentation client;
  std::optional<std::string> scope;     // space-separated, as sent
  std::optional<std::string> tenant;    // tenant-bound token
  std::optional<std::string> audience;  // "audience"/"resource"
  std::optional<std::chrono::seconds> requested_lifetime;
  std::string remote;
  std::string user_agent;  // where the request came from: usage sightings
  std::string request_id;
  // False on a thread that must not block (an I/O thread): the request is
  // decided from memory, or answered with TokenOutcome::needs_blocking.
  bool may_block = true;
};

// RFC 8693 token exchange: a subject token from a trusted issuer
// (trusted_issuers.h) for a Warden token of the mapped identity.
struct TokenExchangeRequest {
  std::string subject_token;  // SECRET
  std::string subject_token_type;
  // The TLS handshake's client certificate (null without mutual TLS): the
  // exchanged token is bound to it, as a client_credentials token is.
  std::shared_ptr<const ClientCertificate> certificate;
  std::optional<std::string> scope;
  std::optional<std::string> audience;
  std::optional<std::chrono::seconds> requested_lifetime;
  std::string remote;
  std::string user_agent;
  std::string request_id;
};

// Tokens this process handed out, per grant, since it started (/metrics:
// a counter per process; replicas each count their own).
struct IssuedTokenCounts {
  uint64_t client_credentials = 0;
  uint64_t token_exchange = 0;
};

inline constexpr char kAccessTokenType[] =
    "urn:ietf:params:oauth:token-type:access_token";

struct TokenGrant {
  std::string access_token;  // SECRET
  std::chrono::seconds expires_in{0};
  std::string scope;
  std::optional<std::string> tenant;
  std::string issued_token_type;  // token exchange only
};

struct TokenOutcome {
  Status status;  // OK: `grant` is set
  TokenGrant grant;
  std::chrono::seconds retry_after{0};  // set with problem "rate_limited"
  // Only for a request with may_block false: nothing was decided, nothing
  // recorded; ask again where blocking is allowed.
  bool needs_blocking = false;
};

class TokenIssuance {
 public:
  TokenIssuance(Store& store, Auditor& auditor, OAuthSigningKeys& keys,
                ClientCredentialService& clients, IdentityTokenPolicy& policy,
                TrustedIssuerService& trusted_issuers, UsageRecorder& usage,
                TokenIssuanceOptions options,
                tokens::LifetimePolicy lifetimes = {},
                const TokenLimits* limits = nullptr);
  TokenIssuance(const TokenIssuance&) = delete;
  TokenIssuance& operator=(const TokenIssuance&) = delete;

  TokenOutcome ClientCredentials(const ClientCredentialsRequest& request);
  // The same decision without waiting for the issuance's audit record to
  // be committed: `done` gets the outcome exactly once. Refusals are
  // decided and recorded on the calling thread (which may block on the
  // store, as ClientCredentials does) and `done` runs there; a grant is
  // handed to `done` only after its "oauth.token.issue" record is durably
  // committed, on the store's thread (Store::WriteAsync: keep `done`
  // short), or refused with kUnavailable when the record failed (the
  // token is then never returned).
  // With request.may_block false only a client_credentials request of a
  // cached client (client_secret, no tenant) that is granted is decided;
  // everything else gets needs_blocking at once, on the calling thread,
  // having charged at most the per-client rate limiter (so a request that
  // is refused after that is charged twice).
  using TokenCallback = std::function<void(TokenOutcome)>;
  void ClientCredentialsAsync(const ClientCredentialsRequest& request,
                              TokenCallback done);
  // Audited "oauth.token.exchange" with the issuer, identity and reason.
  TokenOutcome Exchange(const TokenExchangeRequest& request);

  const std::string& issuer() const { return options_.issuer; }
  // Grants whose token reached the caller (their record committed).
  IssuedTokenCounts issued() const {
    return {issued_client_credentials_.load(std::memory_order_relaxed),
            issued_token_exchange_.load(std::memory_order_relaxed)};
  }

 private:
  // The !may_block path of ClientCredentialsAsync.
  void ClientCredentialsFromMemory(const ClientCredentialsRequest& request,
                                   TokenCallback done);
  // Hands `grant` to `done` once its issuance record is durable.
  void RecordGrant(const ClientCredentialsRequest& request,
                   const std::string& client_id, boost::json::object details,
                   TokenGrant grant, TokenCallback done);
  Result<TokenGrant> Issue(const AuthenticatedClient& client,
                           const ClientCredentialsRequest& request,
                           boost::json::object& details);
  Result<Identity> MapSubject(const TokenExchangeRequest& request,
                              boost::json::object& details);
  Result<std::vector<std::string>> GrantedScopes(
      const Identity& identity, const std::optional<std::string>& scope) const;

  // Immutable after construction (the limiter and issuer lock themselves).
  Store& store_;
  Auditor& auditor_;
  ClientCredentialService& clients_;
  IdentityTokenPolicy& policy_;
  TrustedIssuerService& trusted_issuers_;
  UsageRecorder& usage_;
  const TokenIssuanceOptions options_;
  const tokens::LifetimePolicy lifetimes_;
  const tokens::AccessTokenIssuer issuer_;
  const TokenLimits* const limits_;  // may be null: no limit refuses
  KeyedRateLimiter rate_limiter_;
  std::atomic<uint64_t> issued_client_credentials_{0};
  std::atomic<uint64_t> issued_token_exchange_{0};
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TOKEN_ISSUANCE_H_
