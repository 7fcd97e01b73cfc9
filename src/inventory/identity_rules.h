// The governance rules of the inventory, as pure functions (no I/O), so they
// are unit-tested exhaustively and reused by later posture checks.
#ifndef WARDEN_INVENTORY_IDENTITY_RULES_H_
#define WARDEN_INVENTORY_IDENTITY_RULES_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "core/status.h"

namespace warden::inventory {

// Named limits on untrusted input.
inline constexpr size_t kMaxNameLength = 128;
inline constexpr size_t kMaxTextLength = 2000;  // justification etc.
inline constexpr size_t kMaxScopes = 256;
inline constexpr int kMaxRotationDaysByPolicy = 90;
inline constexpr int kMaxRotationDaysAbsolute = 3650;

// Longest expires_at - now allowed without an exception, by risk tier:
// low/medium 365 days, high 180 days, critical 90 days.
std::chrono::hours MaxLifetime(RiskTier tier);

struct DerivedRisk {
  RiskTier tier = RiskTier::kLow;
  std::string reason;  // e.g. "production environment (+2); scope billing:admin
                       // (+2) => critical"
};

// Derives a tier from environment, scopes (write/admin), external vendor and
// kind. Deterministic; the reason lists every contributing factor.
DerivedRisk DeriveRiskTier(const Identity& identity);

// "resource:action", each part 1-64 of [a-z0-9_.-] (resource may contain
// '/'); action may be "*".
bool IsWellFormedScope(std::string_view scope);

// Field-level validation of a complete identity record (after defaults):
// name, owner present, application, scopes, rotation_days for secret-bearing
// kinds, expires_at after `now`, text lengths. Returns kInvalidArgument
// naming the field, with problem "validation-failed".
Status ValidateIdentityFields(const Identity& identity, Timestamp now);

// The exception rules this identity needs waived (see policy_exception.h):
// expiry beyond MaxLifetime(tier), rotation beyond policy, declared tier
// below the derived one.
std::vector<std::string> RequiredExceptions(const Identity& identity,
                                            Timestamp now);

// Lifecycle: active -> suspended -> active; any non-revoked -> revoked;
// active -> expired (by time only); draft -> active (an imported identity
// taken into use). kFailedPrecondition, problem "illegal-transition",
// naming from and to, otherwise.
Status CheckTransition(IdentityStatus from, IdentityStatus to);

// The team that owns the drafts discovery imports until someone takes
// them. It has no members, so it is never an accountable owner.
inline constexpr char kUnassignedTeam[] = "unassigned";

// A draft becomes active only once a real team owns it; kFailedPrecondition
// "owner-required" otherwise.
Status CheckDraftActivation(const Identity& identity);

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_IDENTITY_RULES_H_
