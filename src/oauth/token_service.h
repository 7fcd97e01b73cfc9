// TokenService: the decisions of Warden's OAuth 2.0 authorization server.
//
//  - ClientCredentials (RFC 6749 section 4.4): authenticates the client
//    (ClientCredentialService), rate limits per client, refuses identities
//    that are not active, expired or ownerless, checks requested scopes
//    against the identity's grants, checks tenant exposure (OAuthTenantGate)
//    for tenant-bound tokens, and issues an RFC 9068 JWT (lifetime =
//    min(request, LifetimePolicy(env, tier), identity expiry)).
//  - Introspect (RFC 7662) and Revoke (RFC 7009). Successful introspection
//    is audited as a summary (AuditSummaryRecorder: one record per
//    introspecting caller and period, with active/inactive counts), never
//    one fsync per call.
//  - RevokeIdentity(): one epoch bump makes every live token of an identity
//    inactive (called when an identity is suspended or revoked).
// Revocation is compact: RevocationState (identity/tenant epochs plus a jti
// deny-list that expires with the tokens) persisted as one row. Every
// revocation writes that row and its audit record in one Store::Write unit
// (DESIGN: a mutation and its record commit together). The in-memory state
// changes first and is not rolled back when the unit fails: a failed
// revocation fails closed (the token stays refused by this process and the
// caller gets the error; the failure is audited as such). The store then
// holds neither row nor record for it until the next successful revocation,
// whose row carries the whole in-memory state, that one included.
//
// Errors are Status values whose problem() is the RFC 6749 section 5.2
// error code ("invalid_client", "invalid_scope", "unauthorized_client",
// "invalid_request", "invalid_target") or "rate_limited", or a
// kResourceExhausted refusal of the per-source failure throttle; the HTTP
// layer maps them (429s carry Status::retry_after). Issuance and refusals are
// audited ("oauth.token.issue", outcome ok or the error) with client, scopes,
// tenant and reason; token values never are.
//
// Thread-safety: every method may be called concurrently.
#ifndef WARDEN_OAUTH_TOKEN_SERVICE_H_
#define WARDEN_OAUTH_TOKEN_SERVICE_H_

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "oauth/client_credential_service.h"
#include "oauth/signing_keys.h"
#include "oauth/tenant_gate.h"
#include "oauth/trusted_issuers.h"
#include "oauth/usage_recorder.h"
#include "service/audit_summary_recorder.h"
#include "service/auditor.h"
#include "service/keyed_rate_limiter.h"
#include "tokens/access_token_issuer.h"
#include "tokens/access_token_verifier.h"
#include "tokens/lifetime_policy.h"
#include "tokens/revocation_state.h"

namespace warden::oauth {

struct TokenServiceOptions {
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
  std::string request_id;
};

// RFC 8693 token exchange: a subject token from a trusted issuer
// (oauth_trusted_issuers.h) for a Warden token of the mapped identity.
struct TokenExchangeRequest {
  std::string subject_token;  // SECRET
  std::string subject_token_type;
  std::optional<std::string> scope;
  std::optional<std::string> audience;
  std::optional<std::chrono::seconds> requested_lifetime;
  std::string remote;
  std::string request_id;
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
};

class TokenService {
 public:
  // `summaries` (borrowed, may be null: introspection then goes
  // unaudited, for tests that do not look) records successful
  // introspections.
  TokenService(Store& store, Auditor& auditor, OAuthSigningKeys& keys,
               ClientCredentialService& clients,
               const exposure::ConfigFeed& feed, UsageRecorder& usage,
               TokenServiceOptions options,
               tokens::LifetimePolicy lifetimes = {},
               AuditSummaryRecorder* summaries = nullptr);

  // Loads the persisted revocation state. Call once before serving.
  Status LoadRevocations();

  TokenOutcome ClientCredentials(const ClientCredentialsRequest& request);
  // The same decision without waiting for the issuance's audit record to
  // be committed: `done` gets the outcome exactly once. Refusals are
  // decided and recorded on the calling thread (which may block on the
  // store, as ClientCredentials does) and `done` runs there; a grant is
  // handed to `done` only after its "oauth.token.issue" record is durably
  // committed, on the store's thread (Store::WriteAsync: keep `done`
  // short), or refused with kUnavailable when the record failed (the
  // token is then never returned).
  using TokenCallback = std::function<void(TokenOutcome)>;
  void ClientCredentialsAsync(const ClientCredentialsRequest& request,
                              TokenCallback done);
  // Audited "oauth.token.exchange" with the issuer, identity and reason.
  TokenOutcome Exchange(const TokenExchangeRequest& request);

  // The trusted issuers document (admin and security only; audited
  // "oauth.trusted_issuers.set"). kInvalidArgument for a bad document,
  // including a jwks_file/jwks_uri source that cannot be read now (the
  // message names the issuer and the reason).
  Status SetTrustedIssuers(const Caller& caller, std::string_view json);
  // Scheduled (the maintenance sweep): re-reads file and URI key sets when
  // kIssuerKeysRefreshPeriod has passed. A failing source keeps its last
  // good keys (logged, counted in jwks_refresh_failures()). Exchanges keep
  // using the previous immutable set meanwhile. A subject token with an
  // unknown kid also triggers a refresh, at most once per
  // kUnknownKidRefreshMinInterval (so tokens cannot make us hammer the
  // issuer); that one request waits for the fetch (bounded by its timeout).
  void RefreshTrustedIssuerKeys(Timestamp now);
  static constexpr std::chrono::seconds kIssuerKeysRefreshPeriod{300};
  static constexpr std::chrono::seconds kUnknownKidRefreshMinInterval{30};
  uint64_t jwks_refresh_failures() const {
    return jwks_refresh_failures_.load();
  }
  Result<std::string> GetTrustedIssuers(const Caller& caller);

  // RFC 7662 response members ({"active": false} for anything not valid).
  // `caller` is who asked (an authenticated client or Warden principal):
  // counted in the "oauth.token.introspect" summary (outcome ok; counts
  // "active" / "inactive").
  boost::json::object Introspect(const Caller& caller, std::string_view token);
  static constexpr char kIntrospectAction[] = "oauth.token.introspect";

  // The claims of `token` when Introspect() would call it active (same
  // verifier, revocation state, identity and tenant checks); else the
  // kUnauthenticated TokenError (tokens/token_error.h) or kUnavailable.
  // For Warden as the resource server of its own tokens on /v1
  // (service/workload_authenticator.h).
  Result<tokens::AccessTokenClaims> VerifyAccessToken(std::string_view token);

  // RFC 7009: revokes `token` when it was issued to `client_id` (or when
  // client_id is empty: a Warden admin/security caller); unknown or foreign
  // tokens are ignored (section 2.2). Audited "oauth.token.revoke".
  Status Revoke(const Caller& caller, std::string_view client_id,
                std::string_view token);

  // Every token of the identity issued before now reads inactive. Audited
  // kRevokeIdentityAction (actor "system", target the identity id).
  Status RevokeIdentity(std::string_view identity_id, std::string_view reason);
  // Every token bound to the tenant issued before now reads inactive.
  // Audited kRevokeTenantAction (actor "system", target the tenant).
  Status RevokeTenant(std::string_view tenant, std::string_view reason);
  static constexpr char kRevokeIdentityAction[] =
      "oauth.identity_tokens.revoke";
  static constexpr char kRevokeTenantAction[] = "oauth.tenant_tokens.revoke";

  // Gating flags of tenant-bound tokens (kIdentityWrite on the owner team).
  Status SetGatingFlags(const Caller& caller, std::string_view identity_id,
                        std::vector<std::string> flag_keys);
  Result<std::vector<std::string>> GetGatingFlags(const Caller& caller,
                                                  std::string_view identity_id);
  // Scopes the identity's tokens were issued or introspected with, as
  // flushed by UsageRecorder (kIdentityRead).
  Result<std::vector<ScopeUsageRecord>> ScopesUsed(
      const Caller& caller, std::string_view identity_id);

  const std::string& issuer() const { return options_.issuer; }
  const tokens::RevocationState& revocations() const { return *revocations_; }

 private:
  Result<TokenGrant> Issue(const AuthenticatedClient& client,
                           const ClientCredentialsRequest& request,
                           boost::json::object& details);
  Result<Identity> MapSubject(const TokenExchangeRequest& request,
                              boost::json::object& details);
  Result<std::vector<std::string>> GrantedScopes(
      const Identity& identity, const std::optional<std::string>& scope) const;
  Status CheckTenant(const Identity& identity, const std::string& tenant);
  Result<tokens::AccessTokenClaims> VerifyLive(std::string_view token);
  Status PersistRevocations(Transaction& tx);
  Status PersistRevocationAudited(const Caller& caller, std::string_view action,
                                  std::string_view target,
                                  boost::json::object details);
  static Caller SystemCaller();
  Caller ClientCaller(const ClientCredentialsRequest& request,
                      std::string_view client_id) const;
  Result<std::shared_ptr<const TrustedIssuers>> CurrentIssuers(
      const std::string& document);
  void InstallIssuers(std::string document,
                      std::shared_ptr<const TrustedIssuers> issuers,
                      Timestamp loaded_at);
  void RefreshIssuerKeys(Timestamp now);
  bool RefreshIssuerKeysForUnknownKid(Timestamp now);
  void NoteRefreshFailures(const std::vector<std::string>& failures);

  Store& store_;
  Auditor& auditor_;
  OAuthSigningKeys& keys_;
  ClientCredentialService& clients_;
  OAuthTenantGate gate_;
  UsageRecorder& usage_;
  AuditSummaryRecorder* const summaries_;  // may be null
  const TokenServiceOptions options_;
  const tokens::LifetimePolicy lifetimes_;
  tokens::AccessTokenIssuer issuer_;
  tokens::AccessTokenVerifier verifier_;
  KeyedRateLimiter rate_limiter_;
  std::unique_ptr<tokens::RevocationState> revocations_;

  // Trusted issuers with their loaded keys, for the settings document they
  // were built from. Guarded by issuers_mu_ (never held across I/O).
  const std::unique_ptr<outbound::JwksFetcher> jwks_fetcher_ =
      std::make_unique<outbound::JwksFetcher>();
  std::mutex issuers_mu_;
  std::shared_ptr<const TrustedIssuers> issuers_;
  std::string issuers_document_;
  Timestamp issuers_loaded_at_{};
  std::atomic<int64_t> last_unknown_kid_refresh_us_{0};
  std::atomic<uint64_t> jwks_refresh_failures_{0};
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TOKEN_SERVICE_H_
