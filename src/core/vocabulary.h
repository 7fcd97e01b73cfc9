// The fixed vocabularies of the domain (DESIGN.md glossary) and their stable
// wire names. Parse* return std::nullopt for anything outside the vocabulary;
// callers turn that into an error naming the field and the allowed values.
#ifndef WARDEN_CORE_VOCABULARY_H_
#define WARDEN_CORE_VOCABULARY_H_

#include <optional>
#include <string>
#include <string_view>

namespace warden {

enum class IdentityKind {
  kServiceAccount,
  kWorkload,
  kApiKey,
  kToken,
  kCertificate,
  kOauthApp,
  kAutomationAccount,
  kAgent,  // an autonomous workflow or AI agent: needs a sponsor and a task
};

enum class Environment { kDevelopment, kStaging, kProduction };

// Ordered: a higher value is a higher risk.
enum class RiskTier { kLow = 0, kMedium = 1, kHigh = 2, kCritical = 3 };

// kPending: a production or vendor identity awaiting its change-control
// approval; kDraft: imported from discovery, waiting for an owner. Like
// every status but kActive, they get no credentials.
enum class IdentityStatus {
  kActive,
  kSuspended,
  kRevoked,
  kExpired,
  kPending,
  kDraft,
};

// Roles of Warden's own users and API tokens.
enum class Role {
  kAdmin,
  kSecurity,
  kAccountManager,
  kAppOwner,  // manages identities of its own team only
  kAuditor,   // read-only, with audit access
  kSdk,       // flag evaluation for one environment (OFREP, streaming)
  kDeploy,    // CI: records releases and nothing else
};

std::string_view Name(IdentityKind v);
std::string_view Name(Environment v);
std::string_view Name(RiskTier v);
std::string_view Name(IdentityStatus v);
std::string_view Name(Role v);

std::optional<IdentityKind> ParseIdentityKind(std::string_view s);
std::optional<Environment> ParseEnvironment(std::string_view s);
std::optional<RiskTier> ParseRiskTier(std::string_view s);
std::optional<IdentityStatus> ParseIdentityStatus(std::string_view s);
std::optional<Role> ParseRole(std::string_view s);

// "a, b, c": the allowed names, for error messages.
std::string AllowedIdentityKinds();
std::string AllowedEnvironments();
std::string AllowedRiskTiers();
std::string AllowedIdentityStatuses();
std::string AllowedRoles();

// Kinds that hold a secret that must be rotated (all but workloads, which
// authenticate with short-lived federated credentials).
bool IsSecretBearing(IdentityKind kind);

}  // namespace warden

#endif  // WARDEN_CORE_VOCABULARY_H_
