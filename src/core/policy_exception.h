// A bounded waiver of one governance rule for one identity (by name, so it
// can be granted before the identity is registered). Requester and approver
// must differ; the waiver has its own expiry.
#ifndef WARDEN_CORE_POLICY_EXCEPTION_H_
#define WARDEN_CORE_POLICY_EXCEPTION_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace warden {

// The rules an exception can waive.
inline constexpr std::string_view kRuleExpiryBeyondPolicy =
    "expiry_beyond_policy";
inline constexpr std::string_view kRuleRotationBeyondPolicy =
    "rotation_beyond_policy";
inline constexpr std::string_view kRuleRiskTierBelowDerived =
    "risk_tier_below_derived";
// Release readiness: granted scopes wider than those used during canary.
inline constexpr std::string_view kRuleScopesWiderThanUsed =
    "scopes_wider_than_used";

enum class ExceptionState { kPending, kApproved, kRejected, kRevoked };

struct PolicyException {
  std::string id;
  std::string identity_name;
  std::string rule;
  std::string justification;
  std::string requested_by;
  std::string approved_by;  // empty until decided
  ExceptionState state = ExceptionState::kPending;
  Timestamp expires_at{};
  Timestamp created_at{};
  std::optional<Timestamp> decided_at;
};

std::string_view Name(ExceptionState state);
std::optional<ExceptionState> ParseExceptionState(std::string_view s);

}  // namespace warden

#endif  // WARDEN_CORE_POLICY_EXCEPTION_H_
