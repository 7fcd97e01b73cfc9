#include "signin/oidc_role_map.h"

#include <algorithm>

namespace warden::signin {
namespace {

// Bounds configuration mistakes (a pasted group list), not attackers.
constexpr size_t kMaxEntries = 64;
constexpr size_t kMaxValueLength = 256;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsHumanRoleWithoutTeam(Role role) {
  return role == Role::kAdmin || role == Role::kSecurity ||
         role == Role::kAccountManager || role == Role::kAuditor;
}

Status ItemError(std::string_view item, std::string_view why) {
  return InvalidArgument("--oidc-role-map item \"" + std::string(item) +
                         "\": " + std::string(why));
}

}  // namespace

Result<OidcRoleMap> OidcRoleMap::Parse(std::string_view text) {
  OidcRoleMap map;
  while (!Trim(text).empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view()
                                           : text.substr(comma + 1);
    const size_t equals = item.rfind('=');
    if (equals == std::string_view::npos) {
      return ItemError(item, "expected VALUE=ROLE");
    }
    const std::string_view value = Trim(item.substr(0, equals));
    const std::string_view role_name = Trim(item.substr(equals + 1));
    if (value.empty() || value.size() > kMaxValueLength) {
      return ItemError(item, "VALUE must be 1..256 characters");
    }
    const std::optional<Role> role = ParseRole(role_name);
    if (!role || !IsHumanRoleWithoutTeam(*role)) {
      return ItemError(item,
                       "ROLE must be admin, security, account_manager or "
                       "auditor");
    }
    if (map.entries_.size() == kMaxEntries) {
      return ItemError(item, "more than 64 entries");
    }
    map.entries_.emplace_back(std::string(value), *role);
  }
  return map;
}

std::optional<Role> OidcRoleMap::RoleFor(
    const std::vector<std::string>& claim_values) const {
  for (const auto& [value, role] : entries_) {
    if (std::find(claim_values.begin(), claim_values.end(), value) !=
        claim_values.end()) {
      return role;
    }
  }
  return std::nullopt;
}

}  // namespace warden::signin
