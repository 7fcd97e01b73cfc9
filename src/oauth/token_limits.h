// TokenLimits: the authorization server's side of exposure limits. It is
// the LimitEnforcer (exposure/limit_enforcer.h) the process wires into the
// LimitService, and the index token issuance asks before it grants.
//
//  - RevokeTied(): inside the limit's write unit, revokes the live tokens
//    tied to the limit (TokenRevocation::RevokeForLimit: identity and
//    tenant epochs plus the revocation row and its audit record, in the
//    same unit as the limit row) and starts refusing new ones.
//  - CheckIdentity() / CheckTenant(): the RFC 6749 section 5.2 refusal of
//    a token for an identity ("unauthorized_client") or a tenant
//    ("invalid_target") tied to an active limit.
//  - Released(): a lifted limit (or one whose unit failed) refuses no more;
//    the tokens it revoked stay revoked.
//
// The index is derived state: the limits of record are in the Store.
// Load() builds it from the active limits at start, and Reload() (run with
// the server's scheduled maintenance) re-resolves them, so a tenant or
// identity tied to an active limit after it was set (a tenant joining the
// segment, an identity of the limited vendor) is refused within one
// maintenance period, and a process that did not set a limit learns of it.
//
// Thread-safety: every method may be called concurrently; the store and
// revocation service are borrowed and must outlive this object.
#ifndef WARDEN_OAUTH_TOKEN_LIMITS_H_
#define WARDEN_OAUTH_TOKEN_LIMITS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/identity.h"
#include "core/shared_mutex.h"
#include "core/thread_annotations.h"
#include "exposure/limit_enforcer.h"
#include "oauth/token_revocation.h"

namespace warden::oauth {

class TokenLimits final : public exposure::LimitEnforcer {
 public:
  // Reads and resolves the active limits; the store's error otherwise.
  static Result<std::unique_ptr<TokenLimits>> Load(Store& store,
                                                   TokenRevocation& revocation);

  TokenLimits(const TokenLimits&) = delete;
  TokenLimits& operator=(const TokenLimits&) = delete;

  Result<exposure::TokensRevoked> RevokeTied(
      Transaction& tx, const Caller& caller, const ExposureLimitRecord& limit,
      const exposure::LimitTies& ties) override;
  void Released(std::string_view limit_id) override;

  // OK, or kInvalidArgument "unauthorized_client" naming the limit.
  Status CheckIdentity(const Identity& identity) const;
  // OK, or kInvalidArgument "invalid_target" naming the limit; only limits
  // of the identity's environment (or of every environment) count.
  Status CheckTenant(const Identity& identity, std::string_view tenant) const;

  // Rebuilds the index from the store's active limits.
  Status Reload();

 private:
  struct Held {
    std::string scope;
    std::optional<Environment> environment;
    exposure::LimitTies ties;  // sorted
    bool local = false;        // held by RevokeTied() in this process
  };
  using Index = std::map<std::string, Held, std::less<>>;  // by limit id

  TokenLimits(Store& store, TokenRevocation& revocation)
      : store_(store), revocation_(revocation) {}
  static Result<Index> ReadIndex(Store& store);

  // Immutable after construction.
  Store& store_;
  TokenRevocation& revocation_;

  mutable SharedMutex mu_;
  Index held_ WARDEN_GUARDED_BY(mu_);
  uint64_t sequence_ WARDEN_GUARDED_BY(mu_) = 0;  // bumped by Released()
  // Limits released since the oldest running Reload() began, with the
  // sequence of their release.
  std::map<std::string, uint64_t, std::less<>> released_ WARDEN_GUARDED_BY(mu_);
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_TOKEN_LIMITS_H_
