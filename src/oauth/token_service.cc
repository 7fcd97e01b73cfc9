// RFC 6749 section 4.4 (client credentials), RFC 9068 (JWT access tokens),
// RFC 7662 (introspection), RFC 7009 (revocation).
#include "oauth/token_service.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cstdio>
#include <future>

#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "oauth/trusted_issuers.h"
#include "service/audited_write.h"
#include "tokens/token_error.h"

namespace warden::oauth {
namespace {

constexpr std::string_view kIssueAction = "oauth.token.issue";
constexpr size_t kMaxGatingFlags = 32;
// Flag keys are short identifiers; a gating list is an audit detail.
constexpr size_t kMaxGatingFlagKeyBytes = 256;
constexpr size_t kMaxTenantLength = 200;

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

boost::json::array ToJsonArray(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const std::string& item : items) array.emplace_back(item);
  return array;
}

// Why this identity may not hold a token now; empty when it may.
std::string IdentityRefusal(const Identity& identity, Timestamp now) {
  if (identity.status != IdentityStatus::kActive) {
    return "identity is " + std::string(Name(identity.status));
  }
  if (identity.expires_at <= now) return "identity is expired";
  if (identity.owner.empty()) return "identity has no owner";
  return {};
}

tokens::AccessTokenVerifierOptions VerifierOptions(const std::string& issuer) {
  tokens::AccessTokenVerifierOptions options;
  options.issuer = issuer;
  options.audience = issuer;  // every token carries the issuer audience
  return options;
}

}  // namespace

TokenService::TokenService(Store& store, Auditor& auditor,
                           OAuthSigningKeys& keys,
                           ClientCredentialService& clients,
                           const exposure::ConfigFeed& feed,
                           UsageRecorder& usage, TokenServiceOptions options,
                           tokens::LifetimePolicy lifetimes,
                           AuditSummaryRecorder* summaries)
    : store_(store),
      auditor_(auditor),
      keys_(keys),
      clients_(clients),
      gate_(feed),
      usage_(usage),
      summaries_(summaries),
      options_(std::move(options)),
      lifetimes_(lifetimes),
      issuer_(options_.issuer, keys.ring(), lifetimes_, auditor.clock()),
      verifier_(VerifierOptions(options_.issuer), keys.ring(), auditor.clock()),
      rate_limiter_(options_.rate_limit),
      revocations_(std::make_unique<tokens::RevocationState>()) {}

Status TokenService::LoadRevocations() {
  std::optional<std::string> document;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(document, tx.oauth().GetRevocationState());
    return Status::Ok();
  }));
  if (!document) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(revocations_,
                          tokens::RevocationState::Parse(*document));
  return Status::Ok();
}

// Runs inside a write unit. Ordering relies on the store running units one
// at a time in commit order (the SQLite store's single writer thread; a
// replicated store must keep a sequence in the row instead): units then
// commit their rows in the order they serialise them, and the last
// committed row holds every revocation applied to memory before it.
Status TokenService::PersistRevocations(Transaction& tx) {
  revocations_->Prune(auditor_.clock().Now(), lifetimes_.MaxLifetime());
  return tx.oauth().PutRevocationState(revocations_->Serialize());
}

// The revocation row and its audit record in one Store::Write. Memory was
// changed first (fail closed): when the unit fails, the in-memory state
// stays revoked, the caller gets the error, and the next successful
// revocation's row persists it too.
Status TokenService::PersistRevocationAudited(const Caller& caller,
                                              std::string_view action,
                                              std::string_view target,
                                              boost::json::object details) {
  Status written = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(PersistRevocations(tx));
    return auditor_.RecordInTransaction(tx, caller, action, target, details);
  });
  if (written.ok()) return written;
  details["reason"] = written.message();
  return auditor_.Failed(caller, action, target, written, std::move(details));
}

Caller TokenService::SystemCaller() {
  Caller caller;
  caller.principal.subject = "system";
  caller.principal.role = Role::kAdmin;
  return caller;
}

Caller TokenService::ClientCaller(const ClientCredentialsRequest& request,
                                  std::string_view client_id) const {
  Caller caller;
  caller.principal.subject = "client:" + std::string(client_id);
  caller.principal.role = Role::kSdk;
  caller.request_id = request.request_id;
  caller.remote = request.remote;
  return caller;
}

Result<std::vector<std::string>> TokenService::GrantedScopes(
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

Status TokenService::CheckTenant(const Identity& identity,
                                 const std::string& tenant) {
  if (tenant.empty() || tenant.size() > kMaxTenantLength) {
    return OAuthError(StatusCode::kInvalidArgument, "invalid_request",
                      "tenant must be 1..200 characters");
  }
  std::vector<std::string> flags;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(flags, tx.oauth().GetGatingFlags(identity.id));
    return Status::Ok();
  }));
  Status exposed =
      gate_.Check(identity.environment, flags, tenant, auditor_.clock().Now());
  if (exposed.ok()) return exposed;
  return OAuthError(StatusCode::kInvalidArgument, "invalid_target",
                    exposed.message());
}

Result<TokenGrant> TokenService::Issue(const AuthenticatedClient& client,
                                       const ClientCredentialsRequest& request,
                                       boost::json::object& details) {
  const Identity& identity = client.identity;
  const Timestamp now = auditor_.clock().Now();
  std::string refusal = IdentityRefusal(identity, now);
  if (!refusal.empty()) {
    return OAuthError(StatusCode::kInvalidArgument, "unauthorized_client",
                      refusal);
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> scopes,
                          GrantedScopes(identity, request.scope));
  details["scopes"] = ToJsonArray(scopes);
  if (request.tenant) {
    details["tenant"] = *request.tenant;
    WARDEN_RETURN_IF_ERROR(CheckTenant(identity, *request.tenant));
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

TokenOutcome TokenService::ClientCredentials(
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
void TokenService::ClientCredentialsAsync(
    const ClientCredentialsRequest& request, TokenCallback done) {
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
  outcome.grant = std::move(*grant);
  auditor_.RecordAsync(
      caller, kIssueAction, client_id, std::move(details),
      [this, client_id, outcome = std::move(outcome),
       done = std::move(done)](Status recorded) mutable {
        if (!recorded.ok()) {
          TokenOutcome refused;
          refused.status = Unavailable("token issuance could not be audited");
          return done(std::move(refused));
        }
        usage_.Note(client_id, SplitScopes(outcome.grant.scope),
                    auditor_.clock().Now());
        done(std::move(outcome));
      });
}

namespace {

bool IsJwtTokenType(std::string_view type) {
  return type == "urn:ietf:params:oauth:token-type:jwt" ||
         type == "urn:ietf:params:oauth:token-type:id_token" ||
         type == kAccessTokenType;
}

Status AdminOrSecurity(Auditor& auditor, const Caller& caller,
                       std::string_view action) {
  const Role role = caller.principal.role;
  if (role == Role::kAdmin || role == Role::kSecurity) return Status::Ok();
  return auditor.Deny(
      caller, action, "trusted-issuers",
      {false, "only admin and security manage trusted issuers"});
}

}  // namespace

Result<Identity> TokenService::MapSubject(const TokenExchangeRequest& request,
                                          boost::json::object& details) {
  if (!IsJwtTokenType(request.subject_token_type)) {
    return OAuthError(StatusCode::kInvalidArgument, "invalid_request",
                      "subject_token_type must be a JWT token type");
  }
  std::optional<std::string> document;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(document,
                            tx.settings().Get(kTrustedIssuersSetting));
    return Status::Ok();
  }));
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const TrustedIssuers> issuers,
                          CurrentIssuers(document.value_or("[]")));
  const Timestamp now = auditor_.clock().Now();
  bool unknown_kid = false;
  Result<std::string> mapped =
      issuers->MapSubjectToken(request.subject_token, now, &unknown_kid);
  if (!mapped.ok() && unknown_kid && RefreshIssuerKeysForUnknownKid(now)) {
    WARDEN_ASSIGN_OR_RETURN(issuers, CurrentIssuers(document.value_or("[]")));
    mapped = issuers->MapSubjectToken(request.subject_token, now);
  }
  if (!mapped.ok()) return mapped.status();
  const std::string name = *mapped;
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

TokenOutcome TokenService::Exchange(const TokenExchangeRequest& request) {
  constexpr std::string_view kAction = "oauth.token.exchange";
  TokenOutcome outcome;
  boost::json::object details;
  details["grant_type"] = "token-exchange";
  ClientCredentialsRequest issue;
  issue.scope = request.scope;
  issue.audience = request.audience;
  issue.requested_lifetime = request.requested_lifetime;
  issue.remote = request.remote;
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
        auditor_.Failed(caller, kAction, id, grant.status(), details);
    return outcome;
  }
  Status recorded = store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, kAction, id, details);
  });
  if (!recorded.ok()) {
    outcome.status = Unavailable("token exchange could not be audited");
    return outcome;
  }
  usage_.Note(id, SplitScopes(grant->scope), auditor_.clock().Now());
  outcome.grant = std::move(*grant);
  outcome.grant.issued_token_type = kAccessTokenType;
  return outcome;
}

Status TokenService::SetTrustedIssuers(const Caller& caller,
                                       std::string_view json) {
  constexpr std::string_view kAction = "oauth.trusted_issuers.set";
  WARDEN_RETURN_IF_ERROR(AdminOrSecurity(auditor_, caller, kAction));
  Result<TrustedIssuers> parsed = TrustedIssuers::Parse(json);
  // A file or URI source that cannot be read now refuses the document.
  Status loaded =
      parsed.ok() ? parsed->LoadKeys(*jwks_fetcher_) : parsed.status();
  if (!loaded.ok()) {
    return auditor_.Failed(caller, kAction, "trusted-issuers", loaded);
  }
  boost::json::array names;
  for (const TrustedIssuer& issuer : parsed->issuers()) {
    names.emplace_back(issuer.issuer);
  }
  Status written = store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.settings().Put(kTrustedIssuersSetting, json));
    return auditor_.RecordInTransaction(tx, caller, kAction, "trusted-issuers",
                                        {{"issuers", names}});
  });
  if (!written.ok()) {
    return auditor_.Failed(caller, kAction, "trusted-issuers", written);
  }
  InstallIssuers(std::string(json),
                 std::make_shared<const TrustedIssuers>(std::move(*parsed)),
                 auditor_.clock().Now());
  return Status::Ok();
}

Result<std::shared_ptr<const TrustedIssuers>> TokenService::CurrentIssuers(
    const std::string& document) {
  {
    std::lock_guard<std::mutex> lock(issuers_mu_);
    if (issuers_ && issuers_document_ == document) return issuers_;
  }
  // First use of this document (e.g. after a restart): read its keys
  // without holding the lock; concurrent first uses may both read. A source
  // that fails now stays without keys (its tokens are refused) and is
  // retried by the rate-limited refreshes, never per request.
  WARDEN_ASSIGN_OR_RETURN(TrustedIssuers parsed,
                          TrustedIssuers::Parse(document));
  std::vector<std::string> failures;
  auto issuers = std::make_shared<const TrustedIssuers>(
      parsed.Refreshed(*jwks_fetcher_, failures));
  NoteRefreshFailures(failures);
  InstallIssuers(document, issuers, auditor_.clock().Now());
  return issuers;
}

void TokenService::InstallIssuers(std::string document,
                                  std::shared_ptr<const TrustedIssuers> issuers,
                                  Timestamp loaded_at) {
  std::lock_guard<std::mutex> lock(issuers_mu_);
  issuers_document_ = std::move(document);
  issuers_ = std::move(issuers);
  issuers_loaded_at_ = loaded_at;
}

// Re-reads file and URI key sets into a new immutable TrustedIssuers and
// swaps it in; the token endpoint keeps using the previous one meanwhile.
void TokenService::RefreshIssuerKeys(Timestamp now) {
  std::shared_ptr<const TrustedIssuers> current;
  std::string document;
  {
    std::lock_guard<std::mutex> lock(issuers_mu_);
    if (!issuers_ || !issuers_->has_remote_keys()) return;
    current = issuers_;
    document = issuers_document_;
  }
  std::vector<std::string> failures;
  auto refreshed = std::make_shared<const TrustedIssuers>(
      current->Refreshed(*jwks_fetcher_, failures));
  NoteRefreshFailures(failures);
  std::lock_guard<std::mutex> lock(issuers_mu_);
  if (issuers_ != current) return;  // replaced meanwhile: keep the newer
  issuers_ = std::move(refreshed);
  issuers_document_ = std::move(document);
  issuers_loaded_at_ = now;
}

void TokenService::NoteRefreshFailures(
    const std::vector<std::string>& failures) {
  for (const std::string& failure : failures) {
    jwks_refresh_failures_.fetch_add(1);
    std::fprintf(stderr, "trusted issuer keys refresh (kept last good): %s\n",
                 failure.c_str());
  }
}

void TokenService::RefreshTrustedIssuerKeys(Timestamp now) {
  {
    std::lock_guard<std::mutex> lock(issuers_mu_);
    if (now - issuers_loaded_at_ < kIssuerKeysRefreshPeriod) return;
  }
  RefreshIssuerKeys(now);
}

bool TokenService::RefreshIssuerKeysForUnknownKid(Timestamp now) {
  const int64_t now_us = ToMicros(now);
  int64_t last = last_unknown_kid_refresh_us_.load();
  const int64_t min_gap_us =
      std::chrono::duration_cast<std::chrono::microseconds>(
          kUnknownKidRefreshMinInterval)
          .count();
  if (last != 0 && now_us - last < min_gap_us) return false;
  // One caller per interval wins; the others answer from the current set.
  if (!last_unknown_kid_refresh_us_.compare_exchange_strong(last, now_us)) {
    return false;
  }
  RefreshIssuerKeys(now);
  return true;
}

Result<std::string> TokenService::GetTrustedIssuers(const Caller& caller) {
  constexpr std::string_view kAction = "oauth.trusted_issuers.get";
  WARDEN_RETURN_IF_ERROR(AdminOrSecurity(auditor_, caller, kAction));
  std::optional<std::string> document;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kAuditRead, kAction, "trusted-issuers",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(document,
                                tx.settings().Get(kTrustedIssuersSetting));
        return Status::Ok();
      }));
  return document.value_or("[]");
}

Result<tokens::AccessTokenClaims> TokenService::VerifyLive(
    std::string_view token) {
  WARDEN_ASSIGN_OR_RETURN(tokens::AccessTokenClaims claims,
                          verifier_.Verify(token));
  const Timestamp now = auditor_.clock().Now();
  WARDEN_RETURN_IF_ERROR(revocations_->CheckActive(claims, now));
  std::optional<Identity> identity;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(identity, tx.identities().Get(claims.subject));
    return Status::Ok();
  }));
  if (!IdentityRefusal(*identity, now).empty()) {
    return tokens::TokenFailure(tokens::TokenError::kInactive,
                                "identity no longer active");
  }
  if (claims.tenant)
    WARDEN_RETURN_IF_ERROR(CheckTenant(*identity, *claims.tenant));
  return claims;
}

boost::json::object TokenService::Introspect(const Caller& caller,
                                             std::string_view token) {
  boost::json::object response;
  Result<tokens::AccessTokenClaims> claims = VerifyLive(token);
  if (summaries_ != nullptr) {
    summaries_->Note(caller, kIntrospectAction, "tokens", "ok",
                     claims.ok() ? "active" : "inactive");
  }
  if (!claims.ok()) {
    response["active"] = false;
    return response;
  }
  response["active"] = true;
  response["scope"] = claims->ScopeString();
  response["client_id"] = claims->client_id;
  response["sub"] = claims->subject;
  response["iss"] = claims->issuer;
  response["aud"] = ToJsonArray(claims->audience);
  response["exp"] = ToMicros(claims->expires_at) / 1'000'000;
  response["iat"] = ToMicros(claims->issued_at) / 1'000'000;
  response["jti"] = claims->jwt_id;
  response["token_type"] = "Bearer";
  if (claims->tenant) response["tenant"] = *claims->tenant;
  usage_.Note(claims->subject, claims->scopes, auditor_.clock().Now());
  return response;
}

// No usage note here: /v1 authenticates before the route decides, so a
// refused call would count every granted scope as used (issuance and
// introspection record usage).
Result<tokens::AccessTokenClaims> TokenService::VerifyAccessToken(
    std::string_view token) {
  return VerifyLive(token);
}

Status TokenService::Revoke(const Caller& caller, std::string_view client_id,
                            std::string_view token) {
  Result<tokens::AccessTokenClaims> claims = verifier_.Verify(token);
  // RFC 7009 2.2: invalid tokens and other clients' tokens are not errors.
  if (!claims.ok()) return Status::Ok();
  if (!client_id.empty() && claims->client_id != client_id) {
    return Status::Ok();
  }
  WARDEN_RETURN_IF_ERROR(
      revocations_->RevokeToken(claims->jwt_id, claims->expires_at));
  boost::json::object details;
  details["jti"] = claims->jwt_id;
  details["client_id"] = claims->client_id;
  if (claims->tenant) details["tenant"] = *claims->tenant;
  return PersistRevocationAudited(caller, "oauth.token.revoke", claims->subject,
                                  std::move(details));
}

Status TokenService::RevokeIdentity(std::string_view identity_id,
                                    std::string_view reason) {
  const Timestamp now = auditor_.clock().Now();
  revocations_->RevokeSubject(identity_id, now);
  boost::json::object details;
  details["reason"] = reason;
  details["not_before"] = FormatRfc3339(now);
  return PersistRevocationAudited(SystemCaller(), kRevokeIdentityAction,
                                  identity_id, std::move(details));
}

Status TokenService::RevokeTenant(std::string_view tenant,
                                  std::string_view reason) {
  const Timestamp now = auditor_.clock().Now();
  revocations_->RevokeTenant(tenant, now);
  boost::json::object details;
  details["reason"] = reason;
  details["not_before"] = FormatRfc3339(now);
  return PersistRevocationAudited(SystemCaller(), kRevokeTenantAction, tenant,
                                  std::move(details));
}

Status TokenService::SetGatingFlags(const Caller& caller,
                                    std::string_view identity_id,
                                    std::vector<std::string> flag_keys) {
  if (flag_keys.size() > kMaxGatingFlags) {
    return InvalidArgument("at most 32 gating flags", "validation-failed");
  }
  for (const std::string& key : flag_keys) {
    if (key.empty() || key.size() > kMaxGatingFlagKeyBytes) {
      return InvalidArgument("flags: each key must be 1..256 bytes",
                             "validation-failed");
    }
  }
  std::sort(flag_keys.begin(), flag_keys.end());
  flag_keys.erase(std::unique(flag_keys.begin(), flag_keys.end()),
                  flag_keys.end());
  AuditedWrite write(store_, auditor_, caller, "identity.gating_flags.set",
                     std::string(identity_id), Permission::kIdentityWrite);
  return write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(Identity identity,
                            tx.identities().Get(identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(identity.owner));
    WARDEN_RETURN_IF_ERROR(tx.oauth().SetGatingFlags(identity.id, flag_keys));
    boost::json::object details;
    details["flags"] = ToJsonArray(flag_keys);
    return write.Record(tx, details);
  });
}

Result<std::vector<ScopeUsageRecord>> TokenService::ScopesUsed(
    const Caller& caller, std::string_view identity_id) {
  std::vector<ScopeUsageRecord> usage;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.scopes_used.get",
      identity_id, [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(Identity identity,
                                tx.identities().Get(identity_id));
        WARDEN_ASSIGN_OR_RETURN(usage, tx.oauth().ListScopesUsed(identity.id));
        return Status::Ok();
      }));
  return usage;
}

Result<std::vector<std::string>> TokenService::GetGatingFlags(
    const Caller& caller, std::string_view identity_id) {
  std::vector<std::string> flags;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.gating_flags.get",
      identity_id, [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(Identity identity,
                                tx.identities().Get(identity_id));
        WARDEN_ASSIGN_OR_RETURN(flags, tx.oauth().GetGatingFlags(identity.id));
        return Status::Ok();
      }));
  return flags;
}

}  // namespace warden::oauth
