#include "exposure/tenant_exposure.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <unordered_map>

#include "eval/snapshot.h"
#include "service/field_checks.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

// What one call looks things up in: the snapshot's sections by key.
class SnapshotIndex {
 public:
  explicit SnapshotIndex(const eval::Snapshot& snapshot)
      : sections_(snapshot.sections()) {
    for (const eval::Flag& flag : sections_.flags->flags) {
      flags_.emplace(flag.key, &flag);
    }
  }

  const eval::Flag* Flag(std::string_view key) const {
    auto found = flags_.find(key);
    return found == flags_.end() ? nullptr : found->second;
  }
  const eval::ExposureLimit* Limit(std::string_view id) const {
    for (const eval::ExposureLimit& limit : *sections_.limits) {
      if (limit.id == id) return &limit;
    }
    return nullptr;
  }
  const eval::ReleaseGate* Gate(std::string_view release) const {
    for (const eval::ReleaseGate& gate : *sections_.gates) {
      if (gate.release_id == release) return &gate;
    }
    return nullptr;
  }

 private:
  const eval::SnapshotSections& sections_;
  std::unordered_map<std::string_view, const eval::Flag*> flags_;
};

json::value TextOrNull(std::string_view text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::object LimitBecause(const SnapshotIndex& index,
                          const eval::EvaluationResult& result) {
  json::object because{{"kind", "limit"}, {"limit", result.limit_id}};
  if (const eval::ExposureLimit* limit = index.Limit(result.limit_id)) {
    because["scope"] = eval::LimitScopeName(limit->scope);
    because["reason"] = limit->reason;
    because["actor"] = limit->actor;
  }
  return because;
}

json::object GateBecause(const eval::EvaluationResult& result) {
  return {{"kind", "gate"},
          {"release", result.release_id},
          {"stage", result.release_stage},
          {"requirement", result.gate_requirement},
          {"approval", TextOrNull(result.gate_approval_id)}};
}

json::object StageBecause(const SnapshotIndex& index,
                          const eval::EvaluationResult& result) {
  json::object because{{"kind", "stage"},
                       {"release", result.release_id},
                       {"stage", result.release_stage}};
  if (const eval::ReleaseGate* gate = index.Gate(result.release_id)) {
    json::array segments;
    for (const std::string& key : gate->segments) segments.emplace_back(key);
    because["audience"] =
        json::object{{"everyone", gate->everyone},
                     {"tenants", static_cast<int64_t>(gate->tenants.size())},
                     {"segments", std::move(segments)},
                     {"percentage", gate->percentage}};
  }
  return because;
}

json::object RuleBecause(const eval::Flag& flag, int rule_index) {
  const eval::TargetingRule& rule = flag.rules[static_cast<size_t>(rule_index)];
  json::array conditions;
  json::array segments;
  for (const eval::Condition& condition : rule.conditions) {
    const bool segment = condition.op == eval::ConditionOp::kInSegment ||
                         condition.op == eval::ConditionOp::kNotInSegment;
    if (segment && condition.operand.is_string()) {
      segments.push_back(condition.operand);
    }
    conditions.push_back(
        json::object{{"attribute", segment ? json::value(nullptr)
                                           : json::value(condition.attribute)},
                     {"op", eval::ConditionOpName(condition.op)},
                     {"operand", condition.operand}});
  }
  return {{"kind", "rule"},
          {"rule", rule_index},
          {"variant", rule.variant},
          {"conditions", std::move(conditions)},
          {"segments", std::move(segments)}};
}

json::object TargetingBecause(const eval::Flag* flag,
                              const eval::EvaluationResult& result) {
  if (flag != nullptr && result.rule_index >= 0 &&
      static_cast<size_t>(result.rule_index) < flag->rules.size()) {
    return RuleBecause(*flag, result.rule_index);
  }
  return {{"kind", "targeting"}, {"language", "json_logic"}};
}

json::object RolloutBecause(const eval::Flag* flag) {
  json::array weights;
  if (flag != nullptr) {
    for (const eval::WeightedVariant& w : flag->rollout) {
      weights.push_back(
          json::object{{"variant", w.variant}, {"weight", w.weight}});
    }
  }
  return {{"kind", "rollout"}, {"rollout", std::move(weights)}};
}

json::object DefaultBecause(const eval::Flag* flag, std::string_view kind) {
  json::value variant = nullptr;
  if (flag != nullptr && flag->default_variant) {
    variant = *flag->default_variant;
  }
  return {{"kind", kind}, {"default_variant", std::move(variant)}};
}

json::object Because(const SnapshotIndex& index, std::string_view key,
                     const eval::EvaluationResult& result) {
  const eval::Flag* flag = index.Flag(key);
  switch (result.reason) {
    case eval::Reason::kLimited:
      return LimitBecause(index, result);
    case eval::Reason::kGated:
      return GateBecause(result);
    case eval::Reason::kStaged:
      return StageBecause(index, result);
    case eval::Reason::kTargetingMatch:
      return TargetingBecause(flag, result);
    case eval::Reason::kSplit:
      return RolloutBecause(flag);
    case eval::Reason::kDefault:
      return DefaultBecause(flag, "default");
    case eval::Reason::kStatic:
      return DefaultBecause(flag, "static");
    case eval::Reason::kDisabled:
      return {{"kind", "disabled"}};
    case eval::Reason::kError:
      break;
  }
  return {{"kind", "error"}, {"message", result.error_message}};
}

FlagExposure Explain(const SnapshotIndex& index, std::string_view key,
                     const eval::EvaluationResult& result) {
  FlagExposure out;
  out.key = std::string(key);
  if (result.value != nullptr) out.value = *result.value;
  out.variant = std::string(result.variant);
  out.reason = std::string(eval::ReasonName(result.reason));
  out.error_code = std::string(eval::ErrorCodeName(result.error_code));
  out.because = Because(index, key, result);
  return out;
}

// Evaluates one page of `snapshot`'s flags for `ctx`.
void EvaluatePage(const eval::Snapshot& snapshot,
                  const eval::EvaluationContext& ctx,
                  const ExposurePageRequest& page,
                  TenantExposureReport& report) {
  const SnapshotIndex index(snapshot);
  const std::vector<std::string_view> keys = snapshot.FlagKeys();
  auto it = page.after.empty() ? keys.begin()
                               : std::upper_bound(keys.begin(), keys.end(),
                                                  std::string_view(page.after));
  for (; it != keys.end(); ++it) {
    if (static_cast<int64_t>(report.flags.size()) == page.limit) {
      report.next_after = report.flags.back().key;
      return;
    }
    report.flags.push_back(Explain(index, *it, snapshot.Evaluate(*it, ctx)));
  }
}

}  // namespace

Result<TenantExposureReport> TenantExposure::Explain(
    const Caller& caller, std::string_view tenant, Environment environment,
    const ExposurePageRequest& page) const {
  TenantExposureReport report;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "tenant.exposure",
      fmt::format("tenant/{}", tenant),
      [&](Transaction&) -> Status {
        if (page.limit < 1 || page.limit > kMaxExposurePage) {
          return FieldError("limit", fmt::format("must be between 1 and {}",
                                                 kMaxExposurePage));
        }
        std::shared_ptr<const PublishedConfig> config =
            feed_.Current(environment);
        const eval::Snapshot& snapshot = *config->snapshot;
        if (snapshot.FindTenant(tenant) == nullptr) {
          return NotFound(
              fmt::format("tenant \"{}\" is not registered", tenant));
        }
        report.tenant = std::string(tenant);
        report.environment = environment;
        report.revision = config->revision;
        report.flag_count = static_cast<int64_t>(snapshot.flag_count());
        // What a tenant-bound token with an empty context is answered.
        eval::EvaluationContext ctx;
        ctx.targeting_key = std::string(tenant);
        ctx.stored_attributes_first = true;
        ctx.now = auditor_.clock().Now();
        EvaluatePage(snapshot, ctx, page, report);
        return Status::Ok();
      },
      {{"environment", Name(environment)}});
  if (!status.ok()) return status;
  return report;
}

json::object TenantExposureToJson(const TenantExposureReport& report) {
  json::array flags;
  for (const FlagExposure& flag : report.flags) {
    json::object item{{"key", flag.key},
                      {"value", flag.value},
                      {"variant", TextOrNull(flag.variant)},
                      {"reason", flag.reason},
                      {"because", flag.because}};
    if (!flag.error_code.empty()) item["error_code"] = flag.error_code;
    flags.push_back(std::move(item));
  }
  return {{"tenant", report.tenant},
          {"environment", Name(report.environment)},
          {"revision", report.revision},
          {"flag_count", report.flag_count},
          {"flags", std::move(flags)},
          {"next_after", report.next_after ? json::value(*report.next_after)
                                           : json::value(nullptr)}};
}

}  // namespace warden::exposure
