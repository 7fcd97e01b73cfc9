// TokenRevocation: which of Warden's access tokens are live, and revoking
// them.
//
//  - VerifyAccessToken() and Introspect() (RFC 7662): the one JWT verifier
//    plus the revocation state, the identity (IdentityTokenPolicy::Refusal)
//    and, for tenant-bound tokens, the tenant check. Successful
//    introspection is audited as a summary (AuditSummaryRecorder: one
//    record per introspecting caller and period, with active/inactive
//    counts), never one fsync per call.
//  - Revoke() (RFC 7009), RevokeIdentity() (one epoch bump makes every live
//    token of an identity inactive: called when an identity is suspended or
//    revoked) and RevokeTenant() (an exposure limit on the tenant).
//
// Revocation is compact: tokens::RevocationState (identity/tenant epochs
// plus a jti deny-list that expires with the tokens) persisted as one row.
// Every revocation writes that row and its audit record in one Store::Write
// unit (DESIGN: a mutation and its record commit together). The in-memory
// state changes first and is not rolled back when the unit fails: a failed
// revocation fails closed (the token stays refused by this process and the
// caller gets the error; the failure is audited as such). The store then
// holds neither row nor record for it until the next successful
// revocation, whose row carries the whole in-memory state, that one
// included.
//
// The state is loaded before this object exists (LoadState) and is never
// replaced, so no reader can see it swapped; the state locks itself.
//
// Thread-safety: every method may be called concurrently; the store,
// auditor, keys, policy, usage and summaries are borrowed and must outlive
// this object.
#ifndef WARDEN_OAUTH_TOKEN_REVOCATION_H_
#define WARDEN_OAUTH_TOKEN_REVOCATION_H_

#include <atomic>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "oauth/identity_token_policy.h"
#include "oauth/signing_keys.h"
#include "oauth/usage_recorder.h"
#include "service/audit_summary_recorder.h"
#include "service/auditor.h"
#include "store/store.h"
#include "tokens/access_token_claims.h"
#include "tokens/access_token_verifier.h"
#include "tokens/lifetime_policy.h"
#include "tokens/revocation_state.h"

namespace warden::oauth {

class TokenRevocation {
 public:
  static constexpr char kIntrospectAction[] = "oauth.token.introspect";
  static constexpr char kRevokeAction[] = "oauth.token.revoke";
  static constexpr char kRevokeIdentityAction[] =
      "oauth.identity_tokens.revoke";
  static constexpr char kRevokeTenantAction[] = "oauth.tenant_tokens.revoke";
  static constexpr char kRevokeLimitAction[] = "oauth.limit_tokens.revoke";

  // The persisted revocation state (empty when none was stored), or the
  // store's error, or kInvalidArgument for a malformed row.
  static Result<std::unique_ptr<tokens::RevocationState>> LoadState(
      Store& store);

  // `issuer` is Warden's own ("iss" and the audience every token carries).
  // `state` (required) is the state to serve, normally LoadState()'s.
  // `summaries` (may be null: introspection then goes unaudited, for tests
  // that do not look) records successful introspections.
  TokenRevocation(Store& store, Auditor& auditor, OAuthSigningKeys& keys,
                  IdentityTokenPolicy& policy, UsageRecorder& usage,
                  std::string issuer,
                  std::unique_ptr<tokens::RevocationState> state,
                  tokens::LifetimePolicy lifetimes = {},
                  AuditSummaryRecorder* summaries = nullptr);
  TokenRevocation(const TokenRevocation&) = delete;
  TokenRevocation& operator=(const TokenRevocation&) = delete;

  // RFC 7662 response members ({"active": false} for anything not valid),
  // with "cnf" for a certificate-bound token (RFC 8705 section 3.2).
  // `caller` is who asked (an authenticated client or Warden principal):
  // counted in the kIntrospectAction summary (outcome ok; counts "active" /
  // "inactive").
  boost::json::object Introspect(const Caller& caller, std::string_view token);

  // The claims of `token` when Introspect() would call it active; else the
  // kUnauthenticated TokenError (tokens/token_error.h) or kUnavailable. For
  // Warden as the resource server of its own tokens on /v1
  // (WorkloadAuthenticator).
  Result<tokens::AccessTokenClaims> VerifyAccessToken(std::string_view token);

  // RFC 7009: revokes `token` when it was issued to `client_id` (or when
  // client_id is empty: a Warden admin/security caller); unknown or foreign
  // tokens are ignored (section 2.2). Audited kRevokeAction.
  Status Revoke(const Caller& caller, std::string_view client_id,
                std::string_view token);
  // Every token of the identity issued before now reads inactive. Audited
  // kRevokeIdentityAction (actor "system", target the identity id).
  Status RevokeIdentity(std::string_view identity_id, std::string_view reason);
  // Every token bound to the tenant issued before now reads inactive.
  // Audited kRevokeTenantAction (actor "system", target the tenant).
  Status RevokeTenant(std::string_view tenant, std::string_view reason);
  // Inside the caller's write unit (an exposure limit being set): every
  // token of `identity_ids` and every token bound to one of `tenants`
  // issued before now reads inactive. Identity status is not touched.
  // Writes the revocation row and one kRevokeLimitAction record (actor
  // `caller`, target "limit/<limit_id>", counts) into `tx`. Memory changes
  // first and stays revoked if the unit fails (fail closed, as above).
  Status RevokeForLimit(Transaction& tx, const Caller& caller,
                        std::string_view limit_id,
                        const std::vector<std::string>& tenants,
                        const std::vector<std::string>& identity_ids);

  // Takes in revocations other replicas committed to the shared store
  // (told by the store's change follower).
  Status Refresh();

  const std::string& issuer() const { return issuer_; }
  const tokens::RevocationState& revocations() const { return *revocations_; }

  // Introspect() calls since start, by answer (/metrics: per process).
  struct IntrospectionCounts {
    uint64_t active = 0;
    uint64_t inactive = 0;
  };
  IntrospectionCounts introspected() const {
    return {introspected_active_.load(std::memory_order_relaxed),
            introspected_inactive_.load(std::memory_order_relaxed)};
  }

 private:
  Result<tokens::AccessTokenClaims> VerifyLive(std::string_view token);
  Status PersistRevocations(Transaction& tx);
  // Merges the stored state (other replicas' revocations) into memory.
  Status MergeStored(Transaction& tx);
  Status PersistRevocationAudited(const Caller& caller, std::string_view action,
                                  std::string_view target,
                                  boost::json::object details);

  // Immutable after construction (the state behind revocations_ locks
  // itself).
  Store& store_;
  Auditor& auditor_;
  IdentityTokenPolicy& policy_;
  UsageRecorder& usage_;
  AuditSummaryRecorder* const summaries_;  // may be null
  const std::string issuer_;
  const tokens::LifetimePolicy lifetimes_;
  const tokens::AccessTokenVerifier verifier_;
  const std::unique_ptr<tokens::RevocationState> revocations_;
  std::atomic<uint64_t> introspected_active_{0};
  std::atomic<uint64_t> introspected_inactive_{0};
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TOKEN_REVOCATION_H_
