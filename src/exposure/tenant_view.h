// TenantView: the part of an environment's configuration that a
// tenant-bound credential may receive. Server-side SDK tokens get the whole
// environment; a token bound to tenant T gets a view from which no fact
// about another tenant can be read, yet which evaluates for T exactly as
// the whole environment does (with T's stored attributes first):
//   - flags, "$evaluators" and flag-set metadata: whole (configuration
//     written by teams, not facts about tenants; see docs/SECURITY.md for
//     tenant keys written literally into targeting rules);
//   - tenants: T alone (its key, attributes, account manager,
//     integrations), or none when T is not registered;
//   - segments: every key and rule, explicit members cut to T (so
//     membership tests answer as before, and no other member shows);
//   - limits: the ones that can apply to T, reasons and actors removed:
//     "tenant" limits naming T (values cut to T), "account_owner" limits
//     naming T's account manager (values cut to it), and every
//     "integration", "segment" and "flags" limit (their values name
//     integrations and segments, not tenants).
// Pure function; thread-safe.
#ifndef WARDEN_EXPOSURE_TENANT_VIEW_H_
#define WARDEN_EXPOSURE_TENANT_VIEW_H_

#include <string_view>

#include "eval/environment_config.h"

namespace warden::exposure {

// REQUIRES: `tenant` is non-empty. The result has bound_tenant = tenant.
eval::EnvironmentConfig TenantView(const eval::EnvironmentConfig& config,
                                   std::string_view tenant);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_TENANT_VIEW_H_
