// RFC 6749 section 4.4 (client credentials), RFC 8693 (token exchange),
// RFC 9068 (JWT access tokens).
#include "oauth/token_issuance.h"

#include <algorithm>
#include <boost/json/value_from.hpp>
#include <future>

namespace warden::oauth {
namespace {

constexpr std::string_view kIssueAction = "oauth.token.issue";
constexpr std::string_view kExchangeAction = "oauth.token.exchange";

Status OAuthError(StatusCode code, std::string_view error,
                  std::string description) {
  return Status(code, std::move(description), std::string(error));
}

std::vector<std::string> SplitScopes(std::string_view text) {
  std::vector<std::string> scopes;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) scopes.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return scopes;
}

bool IsJwtTokenType(std::string_view type) {
  return type == "urn:ietf:params:oauth:token-type:jwt" ||
         type == "urn:ietf:params:oauth:token-type:id_token" ||
         type == kAccessTokenType;
}

// Where a token request came from, for the usage sightings.
UsageSource SourceOf(const ClientCredentialsRequest& request) {
  UsageSource source;
  source.remote = request.remote;
  source.user_agent = request.user_agent;
  if (request.tenant) source.client = "tenant:" + *request.tenant;
  return source;
}

// The audit actor of a token request: the client it names.
Caller ClientCaller(const ClientCredentialsRequest& request,
                    std::string_view client_id) {
  Caller caller;
  caller.principal.subject = "client:" + std::string(client_id);
  caller.principal.role = Role::kSdk;
  caller.request_id = request.request_id;
  caller.remote = request.remote;
  return caller;
}

}  // namespace

TokenIssuance::TokenIssuance(Store& store, Auditor& auditor,
                             OAuthSigningKeys& keys,
                             ClientCredentialService& clients,
                             IdentityTokenPolicy& policy,
                             TrustedIssuerService& trusted_issuers,
                             UsageRecorder& usage, TokenIssuanceOptions options,
                             tokens::LifetimePolicy lifetimes,
                             const TokenLimits* limits)
    : store_(store),
      auditor_(auditor),
      clients_(clients),
      policy_(policy),
      trusted_issuers_(trusted_issuers),
      usage_(usage),
      options_(std::move(options)),
      lifetimes_(lifetimes),
      issuer_(options_.issuer, keys.ring(), lifetimes_, auditor.clock()),
      limits_(limits),
      rate_limiter_(options_.rate_limit) {}

Result<std::vector<std::string>> TokenIssuance::GrantedScopes(
    const Identity& identity, const std::optional<std::string>& scope) const {
  if (!scope) return identity.scopes;  // RFC 6749 3.3: the default
  std::vector<std::string> requested = SplitScopes(*scope);
  for (const std::string& s : requested) {
    if (!std::binary_search(identity.scopes.begin(), identity.scopes.end(),
                            s)) {
      return OAuthError(StatusCode::kInvalidArgument, "invalid_scope",
                        "scope '" + s + "' is not granted to this identity");
    }
  }
  return requested;
}

Result<TokenGrant> TokenIssuance::Issue(const AuthenticatedClient& client,
                                        const ClientCredentialsRequest& request,
                                        boost::json::object& details) {
  const Identity& identity = client.identity;
  const Timestamp now = auditor_.clock().Now();
  std::string refusal = IdentityTokenPolicy::Refusal(identity, now);
  if (!refusal.empty()) {
    return OAuthError(StatusCode::kInvalidArgument, "unauthorized_client",
                      refusal);
  }
  if (limits_ != nullptr) {
    WARDEN_RETURN_IF_ERROR(limits_->CheckIdentity(identity));
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> scopes,
                          GrantedScopes(identity, request.scope));
  details["scopes"] = boost::json::value_from(scopes);
  if (request.tenant) {
    details["tenant"] = *request.tenant;
    if (limits_ != nullptr) {
      WARDEN_RETURN_IF_ERROR(limits_->CheckTenant(identity, *request.tenant));
    }
    WARDEN_RETURN_IF_ERROR(policy_.CheckTenant(identity, *request.tenant));
  }
  tokens::AccessTokenRequest token_request;
  token_request.subject = identity.id;
  token_request.client_id = identity.id;
  token_request.audience = {options_.issuer};
  if (request.audience && *request.audience != options_.issuer) {
    token_request.audience.insert(token_request.audience.begin(),
                                  *request.audience);
  }
  token_request.scopes = scopes;
  token_request.tenant = request.tenant;
  // RFC 8705 section 3: a token requested over mutual TLS is bound to the
  // certificate, whichever way the client authenticated.
  if (request.client.certificate != nullptr) {
    token_request.certificate_thumbprint =
        request.client.certificate->thumbprint_s256;
    details["certificate_bound"] = true;
  }
  token_request.lifetime = {request.requested_lifetime, identity.environment,
                            identity.risk_tier, identity.expires_at};
  Result<tokens::IssuedAccessToken> issued = issuer_.Issue(token_request);
  if (!issued.ok()) {
    return OAuthError(StatusCode::kInvalidArgument, "invalid_request",
                      issued.status().message());
  }
  details["jti"] = issued->claims.jwt_id;
  details["kid"] = issued->kid;
  details["expires_in"] = issued->expires_in.count();
  TokenGrant grant;
  grant.access_token = std::move(issued->token);
  grant.expires_in = issued->expires_in;
  grant.scope = issued->claims.ScopeString();
  grant.tenant = request.tenant;
  return grant;
}

TokenOutcome TokenIssuance::ClientCredentials(
    const ClientCredentialsRequest& request) {
  std::promise<TokenOutcome> decided;
  ClientCredentialsAsync(request, [&decided](TokenOutcome outcome) {
    decided.set_value(std::move(outcome));
  });
  return decided.get_future().get();
}

// Refusals (rate limit, authentication, identity, scope, tenant) are
// decided and recorded here, synchronously; only the issuance's own record
// is committed asynchronously, and the token is handed out from its
// callback, so it never leaves before its record is durable.
void TokenIssuance::ClientCredentialsAsync(
    const ClientCredentialsRequest& request, TokenCallback done) {
  if (!request.may_block) {
    return ClientCredentialsFromMemory(request, std::move(done));
  }
  TokenOutcome outcome;
  // Capped before any use: it keys the limiter and names the audit actor.
  Result<std::string> claimed =
      ClientCredentialService::ClaimedClientId(request.client);
  if (!claimed.ok()) {
    outcome.status = claimed.status();
    return done(std::move(outcome));
  }
  // A private_key_jwt request without client_id is limited by the
  // assertion's issuer, like any other client.
  const std::string presented_id = std::move(*claimed);
  if (!presented_id.empty()) {
    outcome.retry_after =
        rate_limiter_.Acquire(presented_id, auditor_.clock().Now());
    if (outcome.retry_after.count() > 0) {
      outcome.status = OAuthError(StatusCode::kResourceExhausted,
                                  "rate_limited", "too many token requests")
                           .WithRetryAfter(outcome.retry_after);
      return done(std::move(outcome));
    }
  }
  boost::json::object details;
  details["grant_type"] = "client_credentials";
  details["auth_method"] = request.client.auth_method;
  Result<AuthenticatedClient> client = clients_.Authenticate(request.client);
  const std::string client_id =
      client.ok() ? client->identity.id : presented_id;
  const Caller caller = ClientCaller(request, client_id);
  if (AuthFailureThrottle::IsThrottled(client.status())) {
    outcome.status = client.status();  // summarised by the throttle
    outcome.retry_after = outcome.status.retry_after();
    return done(std::move(outcome));
  }
  if (!client.ok()) {
    details["reason"] = client.status().message();
    outcome.status = auditor_.Failed(caller, kIssueAction, client_id,
                                     client.status(), details);
    outcome.retry_after = outcome.status.retry_after();  // replay quota
    return done(std::move(outcome));
  }
  Result<TokenGrant> grant = Issue(*client, request, details);
  if (!grant.ok()) {
    details["reason"] = grant.status().message();
    outcome.status = auditor_.Failed(caller, kIssueAction, client_id,
                                     grant.status(), details);
    return done(std::move(outcome));
  }
  RecordGrant(request, client_id, std::move(details), std::move(*grant),
              std::move(done));
}

// Nothing here blocks: the client comes from the cache, the rate limiter
// and the signer are in memory, and the record is queued, not awaited.
void TokenIssuance::ClientCredentialsFromMemory(
    const ClientCredentialsRequest& request, TokenCallback done) {
  TokenOutcome blocked;
  blocked.needs_blocking = true;
  // A tenant-bound token's gating flags are read from the store.
  if (request.tenant) return done(std::move(blocked));
  std::optional<AuthenticatedClient> client =
      clients_.AuthenticateFromCache(request.client);
  if (!client) return done(std::move(blocked));
  TokenOutcome limited;
  limited.retry_after =
      rate_limiter_.Acquire(client->identity.id, auditor_.clock().Now());
  if (limited.retry_after.count() > 0) {
    limited.status = OAuthError(StatusCode::kResourceExhausted, "rate_limited",
                                "too many token requests")
                         .WithRetryAfter(limited.retry_after);
    return done(std::move(limited));
  }
  boost::json::object details;
  details["grant_type"] = "client_credentials";
  details["auth_method"] = request.client.auth_method;
  Result<TokenGrant> grant = Issue(*client, request, details);
  if (!grant.ok()) return done(std::move(blocked));  // audited on a worker
  RecordGrant(request, client->identity.id, std::move(details),
              std::move(*grant), std::move(done));
}

void TokenIssuance::RecordGrant(const ClientCredentialsRequest& request,
                                const std::string& client_id,
                                boost::json::object details, TokenGrant grant,
                                TokenCallback done) {
  TokenOutcome outcome;
  outcome.grant = std::move(grant);
  auditor_.RecordAsync(
      ClientCaller(request, client_id), kIssueAction, client_id,
      std::move(details),
      [this, client_id, source = SourceOf(request),
       outcome = std::move(outcome),
       done = std::move(done)](Status recorded) mutable {
        if (!recorded.ok()) {
          TokenOutcome refused;
          refused.status = Unavailable("token issuance could not be audited");
          return done(std::move(refused));
        }
        usage_.Note(client_id, SplitScopes(outcome.grant.scope),
                    auditor_.clock().Now(), source);
        issued_client_credentials_.fetch_add(1, std::memory_order_relaxed);
        done(std::move(outcome));
      });
}

Result<Identity> TokenIssuance::MapSubject(const TokenExchangeRequest& request,
                                           boost::json::object& details) {
  if (!IsJwtTokenType(request.subject_token_type)) {
    return OAuthError(StatusCode::kInvalidArgument, "invalid_request",
                      "subject_token_type must be a JWT token type");
  }
  WARDEN_ASSIGN_OR_RETURN(
      const std::string name,
      trusted_issuers_.MapSubjectToken(request.subject_token));
  details["identity_name"] = name;
  std::optional<Identity> identity;
  Status read = store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(identity, tx.identities().GetByName(name));
    return Status::Ok();
  });
  if (read.code() == StatusCode::kNotFound) {
    return OAuthError(StatusCode::kInvalidArgument, "invalid_request",
                      "mapped identity '" + name + "' does not exist");
  }
  WARDEN_RETURN_IF_ERROR(read);
  return *identity;
}

TokenOutcome TokenIssuance::Exchange(const TokenExchangeRequest& request) {
  TokenOutcome outcome;
  boost::json::object details;
  details["grant_type"] = "token-exchange";
  ClientCredentialsRequest issue;
  issue.client.certificate = request.certificate;
  issue.scope = request.scope;
  issue.audience = request.audience;
  issue.requested_lifetime = request.requested_lifetime;
  issue.remote = request.remote;
  issue.user_agent = request.user_agent;
  issue.request_id = request.request_id;
  Result<Identity> identity = MapSubject(request, details);
  const std::string id = identity.ok() ? identity->id : std::string();
  const Caller caller = ClientCaller(issue, id.empty() ? "unmapped" : id);
  Result<TokenGrant> grant =
      identity.ok() ? Issue({*identity, "token_exchange"}, issue, details)
                    : Result<TokenGrant>(identity.status());
  if (!grant.ok()) {
    details["reason"] = grant.status().message();
    outcome.status =
        auditor_.Failed(caller, kExchangeAction, id, grant.status(), details);
    return outcome;
  }
  Status recorded = store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, kExchangeAction, id,
                                        details);
  });
  if (!recorded.ok()) {
    outcome.status = Unavailable("token exchange could not be audited");
    return outcome;
  }
  usage_.Note(id, SplitScopes(grant->scope), auditor_.clock().Now(),
              SourceOf(issue));
  outcome.grant = std::move(*grant);
  outcome.grant.issued_token_type = kAccessTokenType;
  issued_token_exchange_.fetch_add(1, std::memory_order_relaxed);
  return outcome;
}

}  // namespace warden::oauth
