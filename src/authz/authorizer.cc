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

using PermissionSet = uint32_t;

constexpr PermissionSet Bit(Permission p) {
  return PermissionSet{1} << static_cast<unsigned>(p);
}

constexpr PermissionSet Set(std::initializer_list<Permission> permissions) {
  PermissionSet set = 0;
  for (Permission p : permissions) set |= Bit(p);
  return set;
}

constexpr PermissionSet kEveryPermission = Bit(Permission::kAuditRead) * 2 - 1;

constexpr PermissionSet kEveryRead =
    Set({Permission::kTeamRead, Permission::kIdentityRead,
         Permission::kExceptionRead, Permission::kUserRead,
         Permission::kApiTokenRead, Permission::kAuditRead});

constexpr PermissionSet kInventoryRead =
    Set({Permission::kTeamRead, Permission::kIdentityRead,
         Permission::kExceptionRead});

struct RoleGrants {
  PermissionSet anywhere = 0;       // regardless of the owning team
  PermissionSet own_team_only = 0;  // only where owner_team == principal.team
};

RoleGrants GrantsOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return {kEveryPermission, 0};
    case Role::kSecurity:
      return {
          kEveryRead |
              Set({Permission::kIdentityWrite, Permission::kIdentityLifecycle,
                   Permission::kIdentityRevoke, Permission::kExceptionDecide}),
          0};
    case Role::kAccountManager:
      return {kInventoryRead, 0};
    case Role::kAppOwner:
      // Decommissioning is revocation, so an owner may revoke its own.
      return {
          kInventoryRead,
          Set({Permission::kIdentityWrite, Permission::kIdentityLifecycle,
               Permission::kIdentityRevoke, Permission::kExceptionRequest})};
    case Role::kAuditor:
      return {kEveryRead, 0};
    case Role::kSdk:
      return {0, 0};  // flag evaluation only; nothing under /v1
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
  }
  return "unknown";
}

AuthzDecision Authorize(const Principal& principal, Permission permission,
                        std::string_view owner_team) {
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
  return {false, fmt::format("role {} lacks {} (team {})", role, perm,
                             TeamText(owner_team))};
}

}  // namespace warden
