// Exposure limits (kill switches): first-class, not targeting rules. A limit
// turns the flags it covers off for the evaluations its scope matches.
#ifndef WARDEN_EVAL_EXPOSURE_LIMIT_H_
#define WARDEN_EVAL_EXPOSURE_LIMIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::eval {

enum class LimitScope {
  // The targeting key is one of `scope_values`.
  kTenant,
  // The context attribute "integration" is one of `scope_values`, or the
  // tenant (from the snapshot) uses one of them.
  kIntegration,
  // The tenant's account manager (from the snapshot, else the context
  // attribute "account_manager") is one of `scope_values`.
  kAccountOwner,
  // The tenant is in one of the segments named by `scope_values`.
  kSegment,
  // Every evaluation of the covered flags: a global kill switch.
  kFlags,
};
// "tenant", "integration", "account_owner", "segment", "flags".
std::string_view LimitScopeName(LimitScope scope);
Result<LimitScope> ParseLimitScope(std::string_view name);

struct ExposureLimit {
  std::string id;
  LimitScope scope = LimitScope::kTenant;
  std::vector<std::string> scope_values;  // unused for kFlags
  std::vector<std::string> flag_keys;     // covered flags; empty = all flags
  std::string reason;
  std::string actor;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_EXPOSURE_LIMIT_H_
