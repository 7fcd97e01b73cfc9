#include "core/vocabulary.h"

#include <array>
#include <utility>

namespace warden {
namespace {

template <typename E, size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<IdentityKind, 8> kKinds{{
    {IdentityKind::kServiceAccount, "service_account"},
    {IdentityKind::kWorkload, "workload"},
    {IdentityKind::kApiKey, "api_key"},
    {IdentityKind::kToken, "token"},
    {IdentityKind::kCertificate, "certificate"},
    {IdentityKind::kOauthApp, "oauth_app"},
    {IdentityKind::kAutomationAccount, "automation_account"},
    {IdentityKind::kAgent, "agent"},
}};
constexpr Table<Environment, 3> kEnvironments{{
    {Environment::kDevelopment, "development"},
    {Environment::kStaging, "staging"},
    {Environment::kProduction, "production"},
}};
constexpr Table<RiskTier, 4> kTiers{{
    {RiskTier::kLow, "low"},
    {RiskTier::kMedium, "medium"},
    {RiskTier::kHigh, "high"},
    {RiskTier::kCritical, "critical"},
}};
constexpr Table<IdentityStatus, 6> kStatuses{{
    {IdentityStatus::kActive, "active"},
    {IdentityStatus::kSuspended, "suspended"},
    {IdentityStatus::kRevoked, "revoked"},
    {IdentityStatus::kExpired, "expired"},
    {IdentityStatus::kPending, "pending"},
    {IdentityStatus::kDraft, "draft"},
}};
constexpr Table<Role, 7> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kSecurity, "security"},
    {Role::kAccountManager, "account_manager"},
    {Role::kAppOwner, "app_owner"},
    {Role::kAuditor, "auditor"},
    {Role::kSdk, "sdk"},
    {Role::kDeploy, "deploy"},
}};

template <typename E, size_t N>
std::string_view NameIn(const Table<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const Table<E, N>& table, std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string Allowed(const Table<E, N>& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

}  // namespace

std::string_view Name(IdentityKind v) { return NameIn(kKinds, v); }
std::string_view Name(Environment v) { return NameIn(kEnvironments, v); }
std::string_view Name(RiskTier v) { return NameIn(kTiers, v); }
std::string_view Name(IdentityStatus v) { return NameIn(kStatuses, v); }
std::string_view Name(Role v) { return NameIn(kRoles, v); }

std::optional<IdentityKind> ParseIdentityKind(std::string_view s) {
  return ParseIn(kKinds, s);
}
std::optional<Environment> ParseEnvironment(std::string_view s) {
  return ParseIn(kEnvironments, s);
}
std::optional<RiskTier> ParseRiskTier(std::string_view s) {
  return ParseIn(kTiers, s);
}
std::optional<IdentityStatus> ParseIdentityStatus(std::string_view s) {
  return ParseIn(kStatuses, s);
}
std::optional<Role> ParseRole(std::string_view s) { return ParseIn(kRoles, s); }

std::string AllowedIdentityKinds() { return Allowed(kKinds); }
std::string AllowedEnvironments() { return Allowed(kEnvironments); }
std::string AllowedRiskTiers() { return Allowed(kTiers); }
std::string AllowedIdentityStatuses() { return Allowed(kStatuses); }
std::string AllowedRoles() { return Allowed(kRoles); }

bool IsSecretBearing(IdentityKind kind) {
  return kind != IdentityKind::kWorkload;
}

}  // namespace warden
