#include "releases/rollback_runbook.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>

#include "core/time_format.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

Result<StepResult> CheckFlag(Transaction& tx, const ReleaseRecord& release,
                             const RunbookStep& step) {
  Result<FlagRecord> flag = tx.flags().Get(release.environment, step.target);
  if (flag.ok()) {
    return StepResult{step.order, !flag->archived,
                      flag->archived ? "flag is archived" : "flag exists"};
  }
  if (flag.status().code() != StatusCode::kNotFound) return flag.status();
  return StepResult{
      step.order, false,
      fmt::format("flag not defined in {}", Name(release.environment))};
}

Result<StepResult> CheckIdentity(Transaction& tx, const RunbookStep& step) {
  Result<Identity> identity = tx.identities().Get(step.target);
  if (identity.ok()) {
    const bool revocable = identity->status != IdentityStatus::kRevoked;
    return StepResult{step.order, revocable,
                      revocable ? "tokens revocable by identity epoch"
                                : "identity already revoked"};
  }
  if (identity.status().code() != StatusCode::kNotFound) {
    return identity.status();
  }
  return StepResult{step.order, false, "identity no longer exists"};
}

Result<StepResult> CheckSecret(Transaction& tx, const RunbookStep& step) {
  Result<SecretRecord> secret = tx.secrets().GetByName(step.target);
  if (secret.ok()) {
    const bool current = secret->current_version > 0;
    return StepResult{step.order, current,
                      current ? "secret has a current version to rotate"
                              : "secret has no current version"};
  }
  if (secret.status().code() != StatusCode::kNotFound) return secret.status();
  return StepResult{step.order, false, "secret no longer exists"};
}

std::string Text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string()
             ? std::string(value->get_string())
             : std::string();
}

std::optional<Timestamp> TimeAt(const json::object& object,
                                std::string_view key) {
  Result<Timestamp> parsed = ParseRfc3339(Text(object, key));
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

int OrderAt(const json::object& object) {
  const json::value* order = object.if_contains("order");
  return order != nullptr && order->is_int64()
             ? static_cast<int>(order->get_int64())
             : 0;
}

}  // namespace

std::vector<std::string> Runbook::RevocableIdentities() const {
  std::vector<std::string> ids;
  for (const RunbookStep& step : steps) {
    if (step.action != kRevokeTokens) continue;
    for (const StepResult& result : dry_run_results) {
      if (result.order == step.order && result.ok) ids.push_back(step.target);
    }
  }
  return ids;
}

std::vector<std::string> Runbook::SecretsToRotate() const {
  std::vector<std::string> names;
  for (const RunbookStep& step : steps) {
    if (step.action == kRotateSecret) names.push_back(step.target);
  }
  return names;
}

Runbook GenerateRunbook(const ReleaseRecord& release,
                        const ReleaseDependencies& deps, Timestamp now) {
  Runbook runbook;
  runbook.generated_at = now;
  int order = 0;
  for (const std::string& flag : release.flags) {
    runbook.steps.push_back({++order, kTurnOffFlag, flag,
                             fmt::format("serve the off variant of {} in {}",
                                         flag, Name(release.environment))});
  }
  for (const std::string& id : release.identities) {
    std::string name = id;
    for (const Identity& identity : deps.identities) {
      if (identity.id == id) name = identity.name;
    }
    runbook.steps.push_back(
        {++order, kRevokeTokens, id,
         fmt::format("revoke every live token of {}", name)});
  }
  for (const SecretRecord& secret : deps.secrets) {
    runbook.steps.push_back({++order, kRotateSecret, secret.name,
                             fmt::format("rotate secret {} (version {})",
                                         secret.name, secret.current_version)});
  }
  return runbook;
}

Status DryRun(Transaction& tx, const ReleaseRecord& release, Runbook& runbook,
              Timestamp now) {
  runbook.dry_run_results.clear();
  runbook.dry_run_ok = true;
  for (const RunbookStep& step : runbook.steps) {
    Result<StepResult> result =
        step.action == kTurnOffFlag    ? CheckFlag(tx, release, step)
        : step.action == kRevokeTokens ? CheckIdentity(tx, step)
                                       : CheckSecret(tx, step);
    if (!result.ok()) return result.status();
    runbook.dry_run_ok = runbook.dry_run_ok && result->ok;
    runbook.dry_run_results.push_back(std::move(*result));
  }
  runbook.dry_run_at = now;
  return Status::Ok();
}

json::object RunbookToJson(const Runbook& runbook) {
  json::array steps;
  for (const RunbookStep& step : runbook.steps) {
    steps.push_back(json::object{{"order", step.order},
                                 {"action", step.action},
                                 {"target", step.target},
                                 {"detail", step.detail}});
  }
  json::object out{{"generated_at", FormatRfc3339(runbook.generated_at)},
                   {"steps", std::move(steps)},
                   {"dry_run", nullptr}};
  if (runbook.dry_run_at) {
    json::array results;
    for (const StepResult& result : runbook.dry_run_results) {
      results.push_back(json::object{{"order", result.order},
                                     {"ok", result.ok},
                                     {"detail", result.detail}});
    }
    out["dry_run"] = json::object{{"at", FormatRfc3339(*runbook.dry_run_at)},
                                  {"ok", runbook.dry_run_ok},
                                  {"results", std::move(results)}};
  }
  return out;
}

Result<Runbook> RunbookFromText(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Internal(
        fmt::format("stored runbook is not a JSON object: {}", text));
  }
  const json::object& object = value.get_object();
  Runbook runbook;
  runbook.generated_at = TimeAt(object, "generated_at").value_or(Timestamp{});
  if (const json::value* steps = object.if_contains("steps");
      steps != nullptr && steps->is_array()) {
    for (const json::value& item : steps->get_array()) {
      if (!item.is_object()) continue;
      const json::object& step = item.get_object();
      runbook.steps.push_back({OrderAt(step), Text(step, "action"),
                               Text(step, "target"), Text(step, "detail")});
    }
  }
  const json::value* dry_run = object.if_contains("dry_run");
  if (dry_run == nullptr || !dry_run->is_object()) return runbook;
  const json::object& run = dry_run->get_object();
  runbook.dry_run_at = TimeAt(run, "at");
  const json::value* ok = run.if_contains("ok");
  runbook.dry_run_ok = ok != nullptr && ok->is_bool() && ok->get_bool();
  if (const json::value* results = run.if_contains("results");
      results != nullptr && results->is_array()) {
    for (const json::value& item : results->get_array()) {
      if (!item.is_object()) continue;
      const json::object& result = item.get_object();
      const json::value* passed = result.if_contains("ok");
      runbook.dry_run_results.push_back(
          {OrderAt(result),
           passed != nullptr && passed->is_bool() && passed->get_bool(),
           Text(result, "detail")});
    }
  }
  return runbook;
}

}  // namespace warden::releases
