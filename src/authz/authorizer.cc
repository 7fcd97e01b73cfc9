// The role table. Two kinds of grant: unconditional ("role R has P") and
// team-scoped ("role R has P on resources its own team owns"). Anything not
// granted is denied; the reason always names role, permission and team.
#include "authz/authorizer.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <utility>

namespace warden {
namespace {

using PermissionSet = uint64_t;

constexpr PermissionSet Bit(Permission p) {
  return PermissionSet{1} << static_cast<unsigned>(p);
}

constexpr PermissionSet Set(std::initializer_list<Permission> permissions) {
  PermissionSet set = 0;
  for (Permission p : permissions) set |= Bit(p);
  return set;
}

// kAccessEvaluate is the last enumerator.
constexpr PermissionSet kEveryPermission =
    Bit(Permission::kAccessEvaluate) * 2 - 1;

constexpr PermissionSet kEveryRead =
    Set({Permission::kTeamRead, Permission::kIdentityRead,
         Permission::kExceptionRead, Permission::kUserRead,
         Permission::kApiTokenRead, Permission::kAuditRead,
         Permission::kFlagRead, Permission::kTenantRead, Permission::kLimitRead,
         Permission::kCertificateRead, Permission::kReleaseRead,
         Permission::kApprovalRead, Permission::kPostureRead,
         Permission::kAccessPolicyRead});

// Credential custody beyond reads: secret values and break-glass.
constexpr PermissionSet kCredentialCustody =
    Set({Permission::kCertificateIssue, Permission::kCertificateRevoke,
         Permission::kSecretWrite, Permission::kSecretRead,
         Permission::kBreakGlass, Permission::kBreakGlassReview});

constexpr PermissionSet kExposureRead = Set(
    {Permission::kFlagRead, Permission::kTenantRead, Permission::kLimitRead});

constexpr PermissionSet kEmergencyLimits =
    Set({Permission::kLimitSet, Permission::kLimitLift});

constexpr PermissionSet kReleaseReads =
    Set({Permission::kReleaseRead, Permission::kApprovalRead});

constexpr PermissionSet kInventoryRead =
    Set({Permission::kTeamRead, Permission::kIdentityRead,
         Permission::kExceptionRead});

struct RoleGrants {
  PermissionSet anywhere = 0;       // regardless of the owning team
  PermissionSet own_team_only = 0;  // only where owner_team == principal.team
  // Only on tenants whose account manager is the principal.
  PermissionSet own_accounts_only = 0;
};

RoleGrants GrantsOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return {kEveryPermission, 0};
    case Role::kSecurity:
      return {
          kEveryRead | kEmergencyLimits | kCredentialCustody |
              Set({Permission::kIdentityWrite, Permission::kIdentityLifecycle,
                   Permission::kIdentityRevoke, Permission::kExceptionDecide,
                   Permission::kReleaseOperate, Permission::kReleaseSignal,
                   Permission::kApprovalDecide, Permission::kFindingAcknowledge,
                   Permission::kPostureManage, Permission::kObservationWrite,
                   Permission::kReviewDecide, Permission::kAccessPolicyWrite,
                   Permission::kAccessEvaluate}),
          0};
    case Role::kAccountManager:
      return {kInventoryRead | kExposureRead | kReleaseReads |
                  Bit(Permission::kApprovalDecide),
              0, kEmergencyLimits | Bit(Permission::kConsentWrite)};
    case Role::kAppOwner:
      // Decommissioning is revocation, so an owner may revoke its own.
      return {kInventoryRead | kExposureRead | kReleaseReads |
                  Set({Permission::kCertificateRead, Permission::kPostureRead,
                       Permission::kAccessPolicyRead}),
              Set({Permission::kFindingAcknowledge, Permission::kReviewDecide,
                   Permission::kIdentityWrite, Permission::kIdentityLifecycle,
                   Permission::kIdentityRevoke, Permission::kExceptionRequest,
                   Permission::kFlagWrite, Permission::kCertificateIssue,
                   Permission::kCertificateRevoke, Permission::kSecretWrite,
                   Permission::kReleaseRecord, Permission::kReleaseOperate,
                   Permission::kReleaseSignal})};
    case Role::kAuditor:
      // Reviewing break-glass is an oversight duty, not a change.
      return {kEveryRead | Bit(Permission::kBreakGlassReview), 0};
    case Role::kSdk:
      // Flag evaluation and access decisions (an application's enforcement
      // point); nothing under /v1.
      return {Bit(Permission::kAccessEvaluate), 0};
    case Role::kDeploy:
      return {Bit(Permission::kReleaseRecord), 0};
  }
  return {0, 0};
}

std::string TeamText(std::string_view team) {
  return team.empty() ? std::string("(none)") : std::string(team);
}

}  // namespace

std::string_view Name(Permission permission) {
  switch (permission) {
    case Permission::kTeamRead:
      return "team.read";
    case Permission::kTeamWrite:
      return "team.write";
    case Permission::kIdentityRead:
      return "identity.read";
    case Permission::kIdentityWrite:
      return "identity.write";
    case Permission::kIdentityLifecycle:
      return "identity.lifecycle";
    case Permission::kIdentityRevoke:
      return "identity.revoke";
    case Permission::kExceptionRead:
      return "exception.read";
    case Permission::kExceptionRequest:
      return "exception.request";
    case Permission::kExceptionDecide:
      return "exception.decide";
    case Permission::kUserRead:
      return "user.read";
    case Permission::kUserWrite:
      return "user.write";
    case Permission::kApiTokenRead:
      return "api_token.read";
    case Permission::kApiTokenWrite:
      return "api_token.write";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kFlagRead:
      return "flag.read";
    case Permission::kFlagWrite:
      return "flag.write";
    case Permission::kFlagSetWrite:
      return "flag_set.write";
    case Permission::kTenantRead:
      return "tenant.read";
    case Permission::kTenantWrite:
      return "tenant.write";
    case Permission::kLimitRead:
      return "limit.read";
    case Permission::kLimitSet:
      return "limit.set";
    case Permission::kLimitLift:
      return "limit.lift";
    case Permission::kCertificateRead:
      return "certificate.read";
    case Permission::kCertificateIssue:
      return "certificate.issue";
    case Permission::kCertificateRevoke:
      return "certificate.revoke";
    case Permission::kSecretWrite:
      return "secret.write";
    case Permission::kSecretRead:
      return "secret.read";
    case Permission::kBreakGlass:
      return "break_glass.use";
    case Permission::kBreakGlassReview:
      return "break_glass.review";
    case Permission::kReleaseRecord:
      return "release.record";
    case Permission::kReleaseRead:
      return "release.read";
    case Permission::kReleaseOperate:
      return "release.operate";
    case Permission::kReleaseSignal:
      return "release.signal";
    case Permission::kApprovalRead:
      return "approval.read";
    case Permission::kApprovalDecide:
      return "approval.decide";
    case Permission::kConsentWrite:
      return "consent.write";
    case Permission::kPostureRead:
      return "posture.read";
    case Permission::kFindingAcknowledge:
      return "finding.acknowledge";
    case Permission::kPostureManage:
      return "posture.manage";
    case Permission::kObservationWrite:
      return "observation.write";
    case Permission::kReviewDecide:
      return "review.decide";
    case Permission::kAccessPolicyRead:
      return "access_policy.read";
    case Permission::kAccessPolicyWrite:
      return "access_policy.write";
    case Permission::kAccessEvaluate:
      return "access.evaluate";
  }
  return "unknown";
}

AuthzDecision Authorize(const Principal& principal, Permission permission,
                        std::string_view owner_team) {
  // Deny by default: a workload's own access token is judged only by
  // AuthorizeWorkload() (workload_authorizer.h), never by the role table.
  if (principal.workload) {
    return {false, fmt::format("a workload access token carries no role; {} "
                               "needs a Warden API token",
                               Name(permission))};
  }
  const RoleGrants grants = GrantsOf(principal.role);
  const std::string_view role = Name(principal.role);
  const std::string_view perm = Name(permission);
  if (grants.anywhere & Bit(permission)) {
    return {true, fmt::format("role {} has {} (team {})", role, perm,
                              TeamText(owner_team))};
  }
  if (grants.own_team_only & Bit(permission)) {
    if (!principal.team.empty() && owner_team == principal.team) {
      return {true, fmt::format("role {} has {} on its own team {}", role, perm,
                                principal.team)};
    }
    return {false,
            fmt::format("role {} of team {} may not use {} on team {}", role,
                        TeamText(principal.team), perm, TeamText(owner_team))};
  }
  if (grants.own_accounts_only & Bit(permission)) {
    return {false, fmt::format("role {} has {} only on tenants it manages",
                               role, perm)};
  }
  return {false, fmt::format("role {} lacks {} (team {})", role, perm,
                             TeamText(owner_team))};
}

AuthzDecision AuthorizeOnAccounts(
    const Principal& principal, Permission permission,
    const std::vector<std::string>& account_managers) {
  AuthzDecision decision = Authorize(principal, permission);
  if (decision.allowed) return decision;
  if (!(GrantsOf(principal.role).own_accounts_only & Bit(permission))) {
    return decision;
  }
  const std::string_view role = Name(principal.role);
  const std::string_view perm = Name(permission);
  if (account_managers.empty() || principal.subject.empty()) {
    return {false, fmt::format("role {} has {} only on named tenants it "
                               "manages",
                               role, perm)};
  }
  for (const std::string& manager : account_managers) {
    if (manager != principal.subject) {
      return {false,
              fmt::format("role {} {} may not use {} on a tenant managed by "
                          "{}",
                          role, principal.subject, perm,
                          manager.empty() ? "(nobody)" : manager)};
    }
  }
  return {true, fmt::format("role {} has {} on tenants it manages ({})", role,
                            perm, principal.subject)};
}

}  // namespace warden
