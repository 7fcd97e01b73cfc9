// IdentityTokenPolicy: what an identity's OAuth access tokens may be, and
// what they were used for.
//
//  - Refusal(): why an identity may not hold a token now (not active,
//    expired or ownerless); issuance refuses such a client and verification
//    reads its live tokens inactive.
//  - Gating flags of tenant-bound tokens: SetGatingFlags() (audited
//    "identity.gating_flags.set", kIdentityWrite on the owner team) and
//    GetGatingFlags() (audited read, kIdentityRead). CheckTenant() applies
//    them: a token may be bound to a tenant only while every gating flag of
//    the identity is exposed to it (OAuthTenantGate).
//  - ScopesUsed(): the scopes the identity's tokens were issued or
//    introspected with, as flushed by UsageRecorder (audited read,
//    kIdentityRead).
//
// Why a class of its own: issuance (TokenIssuance) and verification
// (TokenRevocation) both apply the same identity refusal and tenant check,
// and the flags and scopes used are administered per identity
// (/v1/identities/{id}/...), not per token request.
//
// Errors: CheckTenant() returns RFC 6749 section 5.2 errors as Status
// problems ("invalid_request" for a malformed tenant, "invalid_target" when
// it is not exposed); the administration methods return the audited
// Status of the store and authorization (kInvalidArgument with problem
// "validation-failed" for a bad flag list).
//
// Thread-safety: every method may be called concurrently; the store,
// auditor and feed are borrowed and must outlive this object.
#ifndef WARDEN_OAUTH_IDENTITY_TOKEN_POLICY_H_
#define WARDEN_OAUTH_IDENTITY_TOKEN_POLICY_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/identity.h"
#include "core/status.h"
#include "exposure/config_feed.h"
#include "oauth/tenant_gate.h"
#include "service/auditor.h"
#include "store/store.h"

namespace warden::oauth {

class IdentityTokenPolicy {
 public:
  // Longest tenant a tenant-bound token may carry.
  static constexpr size_t kMaxTenantLength = 200;

  IdentityTokenPolicy(Store& store, Auditor& auditor,
                      const exposure::ConfigFeed& feed)
      : store_(store), auditor_(auditor), gate_(feed) {}

  // Why `identity` may not hold a token at `now`; empty when it may.
  static std::string Refusal(const Identity& identity, Timestamp now);

  // OK when `identity` may hold a token bound to `tenant` now.
  Status CheckTenant(const Identity& identity, const std::string& tenant);

  // Replaces the identity's gating flags (at most 32 keys of 1..256 bytes;
  // sorted and deduplicated before they are stored).
  Status SetGatingFlags(const Caller& caller, std::string_view identity_id,
                        std::vector<std::string> flag_keys);
  Result<std::vector<std::string>> GetGatingFlags(const Caller& caller,
                                                  std::string_view identity_id);
  Result<std::vector<ScopeUsageRecord>> ScopesUsed(
      const Caller& caller, std::string_view identity_id);

 private:
  Store& store_;
  Auditor& auditor_;
  const OAuthTenantGate gate_;
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_IDENTITY_TOKEN_POLICY_H_
