#include "releases/readiness.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "core/policy_exception.h"
#include "releases/exposure_plan.h"
#include "releases/release_dependencies.h"
#include "releases/rollback_runbook.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

// One check over every identity: ok when `problem` finds nothing.
ReadinessCheck EveryIdentity(
    std::string name, const std::vector<Identity>& identities,
    const std::function<std::string(const Identity&)>& problem) {
  std::vector<std::string> problems;
  for (const Identity& identity : identities) {
    std::string found = problem(identity);
    if (!found.empty()) problems.push_back(identity.name + " " + found);
  }
  if (problems.empty()) {
    return {std::move(name), true,
            fmt::format("{} identities checked", identities.size())};
  }
  return {std::move(name), false, fmt::format("{}", fmt::join(problems, "; "))};
}

bool HasWaiver(const std::vector<PolicyException>& exceptions, Timestamp now) {
  return std::any_of(
      exceptions.begin(), exceptions.end(), [&](const PolicyException& e) {
        return e.rule == kRuleScopesWiderThanUsed &&
               e.state == ExceptionState::kApproved && e.expires_at > now;
      });
}

Result<ReadinessCheck> CheckScopes(Transaction& tx,
                                   const std::vector<Identity>& identities,
                                   Timestamp now) {
  std::vector<std::string> problems;
  for (const Identity& identity : identities) {
    WARDEN_ASSIGN_OR_RETURN(std::vector<ScopeUsageRecord> used,
                            tx.oauth().ListScopesUsed(identity.id));
    std::vector<std::string> unused;
    for (const std::string& scope : identity.scopes) {
      const bool was_used = std::any_of(
          used.begin(), used.end(),
          [&](const ScopeUsageRecord& u) { return u.scope == scope; });
      if (!was_used) unused.push_back(scope);
    }
    if (unused.empty()) continue;
    WARDEN_ASSIGN_OR_RETURN(std::vector<PolicyException> exceptions,
                            tx.exceptions().List(identity.name));
    if (HasWaiver(exceptions, now)) continue;
    problems.push_back(fmt::format("{} never used {}", identity.name,
                                   fmt::join(unused, ", ")));
  }
  if (problems.empty()) {
    return ReadinessCheck{"identities.scopes", true,
                          "granted scopes were all used (or waived)"};
  }
  return ReadinessCheck{"identities.scopes", false,
                        fmt::format("{}", fmt::join(problems, "; "))};
}

ReadinessCheck CheckSecrets(const std::vector<SecretRecord>& secrets) {
  std::vector<std::string> unstaged;
  for (const SecretRecord& secret : secrets) {
    if (!secret.rotation_due_at) unstaged.push_back(secret.name);
  }
  if (unstaged.empty()) {
    return {"secrets.rotation", true,
            fmt::format("{} secrets have a rotation staged", secrets.size())};
  }
  return {"secrets.rotation", false,
          fmt::format("no rotation staged for {}", fmt::join(unstaged, ", "))};
}

ReadinessCheck CheckRunbook(const ReleaseRecord& release,
                            const Runbook& runbook) {
  if (runbook.steps.empty() && !runbook.dry_run_at) {
    return {"runbook.dry_run", false, "no rollback runbook generated"};
  }
  if (!runbook.dry_run_at) {
    return {"runbook.dry_run", false, "the rollback runbook has no dry run"};
  }
  if (!runbook.dry_run_ok) {
    return {"runbook.dry_run", false, "the last dry run failed"};
  }
  if (*runbook.dry_run_at < release.created_at) {
    return {"runbook.dry_run", false, "the dry run predates the release"};
  }
  return {"runbook.dry_run", true,
          fmt::format("{} steps passed a dry run", runbook.steps.size())};
}

Result<ReadinessCheck> CheckGuardrails(Transaction& tx,
                                       const ReleaseRecord& release) {
  WARDEN_ASSIGN_OR_RETURN(ExposurePlan plan, PlanFromText(release.plan_json));
  if (release.stage <= 0 ||
      static_cast<size_t>(release.stage) > plan.stages.size()) {
    return ReadinessCheck{"guardrails", true, "no live stage"};
  }
  const Stage& live = plan.stages[static_cast<size_t>(release.stage) - 1];
  WARDEN_ASSIGN_OR_RETURN(std::vector<SignalRecord> signals,
                          tx.releases().ListSignals(release.id));
  for (const Guardrail& guardrail : live.guardrails) {
    for (const SignalRecord& signal : signals) {
      if (signal.name != guardrail.signal) continue;
      std::string crossing = guardrail.Crossing(signal.value);
      if (!crossing.empty()) {
        return ReadinessCheck{"guardrails", false, std::move(crossing)};
      }
    }
  }
  return ReadinessCheck{
      "guardrails", true,
      fmt::format("{} guardrails within bounds", live.guardrails.size())};
}

}  // namespace

std::vector<std::string> Readiness::FailureReasons() const {
  std::vector<std::string> reasons;
  for (const ReadinessCheck& check : checks) {
    if (!check.ok) reasons.push_back(check.name + ": " + check.detail);
  }
  return reasons;
}

Result<Readiness> EvaluateReadiness(Transaction& tx,
                                    const ReleaseRecord& release,
                                    Timestamp now) {
  WARDEN_ASSIGN_OR_RETURN(ReleaseDependencies deps,
                          LoadDependencies(tx, release));
  WARDEN_ASSIGN_OR_RETURN(Runbook runbook,
                          RunbookFromText(release.runbook_json));
  Readiness readiness;
  auto& checks = readiness.checks;
  checks.push_back(EveryIdentity(
      "identities.owner", deps.identities, [](const Identity& identity) {
        return identity.owner.empty() ? "has no owner" : "";
      }));
  checks.push_back(EveryIdentity(
      "identities.expiry", deps.identities, [now](const Identity& identity) {
        return identity.expires_at <= now ? "has expired" : "";
      }));
  checks.push_back(EveryIdentity(
      "identities.rotation", deps.identities, [](const Identity& identity) {
        return IsSecretBearing(identity.kind) && !identity.rotation_days
                   ? "has no rotation plan"
                   : "";
      }));
  const std::vector<std::string> revocable = runbook.RevocableIdentities();
  checks.push_back(EveryIdentity(
      "identities.revocation", deps.identities,
      [&revocable](const Identity& identity) {
        return std::find(revocable.begin(), revocable.end(), identity.id) ==
                       revocable.end()
                   ? "has no revocation path exercised by a dry run"
                   : "";
      }));
  if (deps.identities.size() < release.identities.size()) {
    checks.push_back({"identities.exist", false,
                      "an identity the release uses no longer exists"});
  }
  WARDEN_ASSIGN_OR_RETURN(ReadinessCheck scopes,
                          CheckScopes(tx, deps.identities, now));
  checks.push_back(std::move(scopes));
  checks.push_back(CheckSecrets(deps.secrets));
  checks.push_back(CheckRunbook(release, runbook));
  WARDEN_ASSIGN_OR_RETURN(ReadinessCheck guardrails,
                          CheckGuardrails(tx, release));
  checks.push_back(std::move(guardrails));
  readiness.ready = std::all_of(checks.begin(), checks.end(),
                                [](const ReadinessCheck& c) { return c.ok; });
  return readiness;
}

json::object ReadinessToJson(const Readiness& readiness) {
  json::array checks;
  for (const ReadinessCheck& check : readiness.checks) {
    checks.push_back(json::object{
        {"name", check.name}, {"ok", check.ok}, {"detail", check.detail}});
  }
  return {{"ready", readiness.ready}, {"checks", std::move(checks)}};
}

}  // namespace warden::releases
