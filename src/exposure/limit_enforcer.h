// LimitEnforcer: what an exposure limit does beyond the evaluations it turns
// off, namely to the OAuth tokens of what it is tied to (limit_ties.h).
// Exposure does not depend on the authorization server: the server
// implements this interface and the process wiring hands it to the
// LimitService, which calls it synchronously in the Set and Lift paths, so
// the HTTP answer already reflects revocation.
//
// Implementations must be thread-safe: limits are set and lifted from any
// request thread.
#ifndef WARDEN_EXPOSURE_LIMIT_ENFORCER_H_
#define WARDEN_EXPOSURE_LIMIT_ENFORCER_H_

#include <cstdint>
#include <string_view>

#include "exposure/limit_ties.h"
#include "service/caller.h"
#include "store/store.h"

namespace warden::exposure {

// How many revocation epochs one limit raised.
struct TokensRevoked {
  int64_t identities = 0;
  int64_t tenants = 0;
};

class LimitEnforcer {
 public:
  virtual ~LimitEnforcer() = default;

  // Inside the write unit that inserts `limit`: every live token of
  // `ties.identity_ids`, and every token bound to one of `ties.tenants`,
  // issued before now becomes inactive, and new ones are refused from now
  // on; the revocation state and its audit record are written into `tx`,
  // so they commit (or not) with the limit. Both take effect in memory at
  // once (fail closed: no token slips out between this call and the
  // commit). May run more than once when the unit is retried. An error
  // aborts the unit: the limit is not set.
  virtual Result<TokensRevoked> RevokeTied(Transaction& tx,
                                           const Caller& caller,
                                           const ExposureLimitRecord& limit,
                                           const LimitTies& ties) = 0;
  // What RevokeTied() would answer for `ties`, without revoking anything:
  // what a limit's preview reports (LimitService::Preview). The default
  // counts every tied identity and tenant, as RevokeTied() raises one epoch
  // for each; an implementation that counts otherwise overrides both.
  virtual TokensRevoked WouldRevoke(const LimitTies& ties) const {
    return TokensRevoked{static_cast<int64_t>(ties.identity_ids.size()),
                         static_cast<int64_t>(ties.tenants.size())};
  }
  // The limit no longer refuses new tokens: it was lifted, or its unit
  // failed after RevokeTied(). Revoked tokens stay revoked.
  virtual void Released(std::string_view limit_id) = 0;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_ENFORCER_H_
