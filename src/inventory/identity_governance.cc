#include "inventory/identity_governance.h"

#include <fmt/format.h>

#include <algorithm>

#include "inventory/exception_service.h"
#include "inventory/identity_rules.h"

namespace warden::inventory {
namespace {

Status CheckOwnerExists(Transaction& tx, std::string_view owner) {
  Result<Team> team = tx.teams().Get(owner);
  if (team.ok() || team.status().code() != StatusCode::kNotFound) {
    return team.status();
  }
  return FailedPrecondition(
      fmt::format("owner: team \"{}\" is not registered", owner),
      "unknown-owner");
}

std::string Join(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

// Fails unless each rule the identity breaks has an approved, unexpired
// waiver; on success `waived` lists the rules that were waived.
Status CheckWaivers(Transaction& tx, const Identity& identity, Timestamp now,
                    std::vector<std::string>& waived) {
  waived = RequiredExceptions(identity, now);
  if (waived.empty()) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(const std::vector<PolicyException> exceptions,
                          tx.exceptions().List(identity.name));
  std::vector<std::string> missing;
  for (const std::string& rule : waived) {
    if (!HasActiveException(exceptions, rule, now)) missing.push_back(rule);
  }
  if (missing.empty()) return Status::Ok();
  return FailedPrecondition(
      fmt::format("identity \"{}\" needs an approved policy exception for: {}",
                  identity.name, Join(missing)),
      "exception-required");
}

}  // namespace

std::string IdentityTarget(std::string_view id) {
  return fmt::format("identity/{}", id);
}

void NormalizeScopes(std::vector<std::string>& scopes) {
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
}

void ApplyRisk(Identity& identity) {
  DerivedRisk derived = DeriveRiskTier(identity);
  identity.risk_reason = std::move(derived.reason);
  if (!identity.risk_tier_declared) identity.risk_tier = derived.tier;
}

Status CheckGovernance(Transaction& tx, const Identity& identity, Timestamp now,
                       std::vector<std::string>& waived) {
  WARDEN_RETURN_IF_ERROR(ValidateIdentityFields(identity, now));
  WARDEN_RETURN_IF_ERROR(CheckOwnerExists(tx, identity.owner));
  return CheckWaivers(tx, identity, now, waived);
}

Result<Identity> LoadIdentity(Transaction& tx, std::string_view id) {
  Result<Identity> found = tx.identities().Get(id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("identity \"{}\" does not exist", id));
}

boost::json::object DescribeIdentity(const Identity& identity,
                                     const std::vector<std::string>& waived) {
  boost::json::array waived_json;
  for (const std::string& rule : waived) waived_json.emplace_back(rule);
  return {{"name", identity.name},
          {"owner", identity.owner},
          {"kind", Name(identity.kind)},
          {"environment", Name(identity.environment)},
          {"risk_tier", Name(identity.risk_tier)},
          {"risk_tier_declared", identity.risk_tier_declared},
          {"risk_reason", identity.risk_reason},
          {"version", identity.version},
          {"waived", std::move(waived_json)}};
}

}  // namespace warden::inventory
