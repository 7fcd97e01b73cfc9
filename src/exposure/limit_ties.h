// LimitTies: what an exposure limit is tied to besides the evaluations it
// turns off, namely the tenants and identities whose live OAuth tokens the
// limit revokes and whose new tokens it refuses while active.
//
// ResolveLimitTies() is the one place that answers "what does this limit
// reach", per scope:
//   tenant         the named tenants (registered or not: a token may be
//                  bound to any tenant key);
//   account_owner  every registered tenant whose account manager is named;
//   segment        the explicit members of the named segments (rule-matched
//                  members depend on each evaluation's context and are
//                  refused there, by the gating flags, not here);
//   integration    identities whose vendor or application is a named
//                  integration, and tenants that use one;
//   flags          identities whose gating flags include a covered flag;
//   release        the identities the named releases use (the limit covers
//                  the flags they ship, resolved when it is set).
// Identities are those of the limit's environment (every environment when
// it names none); tenant keys span environments, as tenant-bound tokens do.
//
// A new scope plugs in as one more resolver in limit_ties.cc's table.
//
// Pure reads inside the caller's transaction; thread-compatible.
#ifndef WARDEN_EXPOSURE_LIMIT_TIES_H_
#define WARDEN_EXPOSURE_LIMIT_TIES_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace warden::exposure {

struct LimitTies {
  std::vector<std::string> tenants;       // sorted, unique
  std::vector<std::string> identity_ids;  // sorted, unique
};

// kInvalidArgument for a scope without a resolver; else the store's error.
Result<LimitTies> ResolveLimitTies(Transaction& tx,
                                   const ExposureLimitRecord& limit);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_TIES_H_
