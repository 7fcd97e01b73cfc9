// RFC 7662 (introspection), RFC 7009 (revocation), RFC 9068 section 4
// (validating JWT access tokens).
#include "oauth/token_revocation.h"

#include <boost/json/value_from.hpp>
#include <optional>

#include "core/time_format.h"
#include "service/system_caller.h"
#include "tokens/token_error.h"

namespace warden::oauth {
namespace {

tokens::AccessTokenVerifierOptions VerifierOptions(const std::string& issuer) {
  tokens::AccessTokenVerifierOptions options;
  options.issuer = issuer;
  options.audience = issuer;  // every token carries the issuer audience
  return options;
}

}  // namespace

Result<std::unique_ptr<tokens::RevocationState>> TokenRevocation::LoadState(
    Store& store) {
  std::optional<std::string> document;
  WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(document, tx.oauth().GetRevocationState());
    return Status::Ok();
  }));
  if (!document) return std::make_unique<tokens::RevocationState>();
  return tokens::RevocationState::Parse(*document);
}

TokenRevocation::TokenRevocation(Store& store, Auditor& auditor,
                                 OAuthSigningKeys& keys,
                                 IdentityTokenPolicy& policy,
                                 UsageRecorder& usage, std::string issuer,
                                 std::unique_ptr<tokens::RevocationState> state,
                                 tokens::LifetimePolicy lifetimes,
                                 AuditSummaryRecorder* summaries)
    : store_(store),
      auditor_(auditor),
      policy_(policy),
      usage_(usage),
      summaries_(summaries),
      issuer_(std::move(issuer)),
      lifetimes_(lifetimes),
      verifier_(VerifierOptions(issuer_), keys.ring(), auditor.clock()),
      revocations_(std::move(state)) {}

Result<tokens::AccessTokenClaims> TokenRevocation::VerifyLive(
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
  if (!IdentityTokenPolicy::Refusal(*identity, now).empty()) {
    return tokens::TokenFailure(tokens::TokenError::kInactive,
                                "identity no longer active");
  }
  if (claims.tenant) {
    WARDEN_RETURN_IF_ERROR(policy_.CheckTenant(*identity, *claims.tenant));
  }
  return claims;
}

boost::json::object TokenRevocation::Introspect(const Caller& caller,
                                                std::string_view token) {
  boost::json::object response;
  Result<tokens::AccessTokenClaims> claims = VerifyLive(token);
  (claims.ok() ? introspected_active_ : introspected_inactive_)
      .fetch_add(1, std::memory_order_relaxed);
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
  response["aud"] = boost::json::value_from(claims->audience);
  response["exp"] = ToMicros(claims->expires_at) / 1'000'000;
  response["iat"] = ToMicros(claims->issued_at) / 1'000'000;
  response["jti"] = claims->jwt_id;
  response["token_type"] = "Bearer";
  if (claims->tenant) response["tenant"] = *claims->tenant;
  // RFC 8705 section 3.2: the resource server checks the binding itself.
  if (claims->certificate_thumbprint) {
    response["cnf"] =
        boost::json::object{{"x5t#S256", *claims->certificate_thumbprint}};
  }
  usage_.Note(claims->subject, claims->scopes, auditor_.clock().Now());
  return response;
}

// No usage note here: /v1 authenticates before the route decides, so a
// refused call would count every granted scope as used (issuance and
// introspection record usage).
Result<tokens::AccessTokenClaims> TokenRevocation::VerifyAccessToken(
    std::string_view token) {
  return VerifyLive(token);
}

Status TokenRevocation::Revoke(const Caller& caller, std::string_view client_id,
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
  return PersistRevocationAudited(caller, kRevokeAction, claims->subject,
                                  std::move(details));
}

Status TokenRevocation::RevokeIdentity(std::string_view identity_id,
                                       std::string_view reason) {
  const Timestamp now = auditor_.clock().Now();
  revocations_->RevokeSubject(identity_id, now);
  boost::json::object details;
  details["reason"] = reason;
  details["not_before"] = FormatRfc3339(now);
  return PersistRevocationAudited(SystemCaller(), kRevokeIdentityAction,
                                  identity_id, std::move(details));
}

Status TokenRevocation::RevokeTenant(std::string_view tenant,
                                     std::string_view reason) {
  const Timestamp now = auditor_.clock().Now();
  revocations_->RevokeTenant(tenant, now);
  boost::json::object details;
  details["reason"] = reason;
  details["not_before"] = FormatRfc3339(now);
  return PersistRevocationAudited(SystemCaller(), kRevokeTenantAction, tenant,
                                  std::move(details));
}

Status TokenRevocation::RevokeForLimit(
    Transaction& tx, const Caller& caller, std::string_view limit_id,
    const std::vector<std::string>& tenants,
    const std::vector<std::string>& identity_ids) {
  const Timestamp now = auditor_.clock().Now();
  for (const std::string& tenant : tenants) {
    revocations_->RevokeTenant(tenant, now);
  }
  for (const std::string& id : identity_ids) {
    revocations_->RevokeSubject(id, now);
  }
  WARDEN_RETURN_IF_ERROR(PersistRevocations(tx));
  boost::json::object details;
  details["tenants"] = tenants.size();
  details["identities"] = identity_ids.size();
  details["not_before"] = FormatRfc3339(now);
  return auditor_.RecordInTransaction(tx, caller, kRevokeLimitAction,
                                      "limit/" + std::string(limit_id),
                                      details);
}

// Runs inside a write unit. Write units run one at a time in commit order
// (SQLite's single writer; on PostgreSQL every replica's writer under the
// cluster-wide writer lock), so merging the stored row first and writing
// the union makes the last committed row hold every revocation of every
// replica applied before it.
Status TokenRevocation::PersistRevocations(Transaction& tx) {
  WARDEN_RETURN_IF_ERROR(MergeStored(tx));
  revocations_->Prune(auditor_.clock().Now(), lifetimes_.MaxLifetime());
  return tx.oauth().PutRevocationState(revocations_->Serialize());
}

Status TokenRevocation::MergeStored(Transaction& tx) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> document,
                          tx.oauth().GetRevocationState());
  if (!document) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<tokens::RevocationState> stored,
                          tokens::RevocationState::Parse(*document));
  revocations_->MergeFrom(*stored);
  return Status::Ok();
}

Status TokenRevocation::Refresh() {
  return store_.Read([this](Transaction& tx) { return MergeStored(tx); });
}

// The revocation row and its audit record in one Store::Write. Memory was
// changed first (fail closed): when the unit fails, the in-memory state
// stays revoked, the caller gets the error, and the next successful
// revocation's row persists it too.
Status TokenRevocation::PersistRevocationAudited(const Caller& caller,
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

}  // namespace warden::oauth
