// A non-human identity (NHI) as stored in the inventory. Field names follow
// the wire contract in DESIGN.md. Plain value type; no invariants are
// enforced here (the inventory validates, see inventory/identity_rules.h).
#ifndef WARDEN_CORE_IDENTITY_H_
#define WARDEN_CORE_IDENTITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden {

struct Identity {
  std::string id;  // UUIDv7
  std::string name;
  IdentityKind kind = IdentityKind::kServiceAccount;
  std::string owner;  // team name; exactly one accountable team
  std::string application;
  Environment environment = Environment::kDevelopment;
  std::string business_function;
  RiskTier risk_tier = RiskTier::kLow;
  bool risk_tier_declared = false;  // false: derived by the service
  std::string risk_reason;          // why the derived tier is what it is
  std::string auth_method;
  std::vector<std::string> scopes;  // sorted, unique "resource:action"
  std::optional<int> rotation_days;
  Timestamp expires_at{};
  std::string justification;
  std::string vendor;  // external vendor, empty when internal
  std::string tenant;  // customer tenant it serves, empty when none
  // Where the identity lives outside Warden ("k8s:prod/payments/api",
  // an IAM ARN, a certificate fingerprint): what discovery matches
  // observations against. Empty when it lives only in Warden.
  std::string external_id;
  // Agents (autonomous workflows, AI agents): the human user who answers
  // for the agent, and the bounded task it may perform.
  std::string sponsor;
  std::string task_scope;
  IdentityStatus status = IdentityStatus::kActive;
  std::string status_reason;  // reason given for the last transition
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> last_used_at;
  int64_t version = 1;  // bumped on every update; optimistic concurrency
};

// Filters for listing identities; unset fields do not filter.
struct IdentityFilter {
  std::optional<std::string> owner;
  std::optional<std::string> application;
  std::optional<Environment> environment;
  std::optional<IdentityKind> kind;
  std::optional<RiskTier> risk_tier;
  std::optional<IdentityStatus> status;
  std::optional<std::string> vendor;
  std::optional<std::string> tenant;
  std::optional<Timestamp> expiring_before;  // expires_at < this
  std::optional<std::string> name_contains;  // case-insensitive substring
};

// Keyset pagination: results ordered by id ascending (creation order);
// `after_id` is the last id of the previous page.
struct PageRequest {
  std::optional<std::string> after_id;
  int limit = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_after_id;  // set when more may follow
};

}  // namespace warden

#endif  // WARDEN_CORE_IDENTITY_H_
