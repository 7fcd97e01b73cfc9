#include "oauth/tenant_gate.h"

#include "eval/snapshot.h"

namespace warden::oauth {
namespace {

// Why a result does not expose the feature; empty when it does.
std::string NotExposedReason(const eval::EvaluationResult& result) {
  switch (result.reason) {
    case eval::Reason::kLimited:
      return "exposure limit " + std::string(result.limit_id);
    case eval::Reason::kGated:
      return "release " + std::string(result.release_id) + " needs " +
             std::string(result.gate_requirement) + " for this tenant";
    case eval::Reason::kStaged:
      return "release " + std::string(result.release_id) + " stage " +
             std::string(result.release_stage) + " excludes this tenant";
    case eval::Reason::kDisabled:
      return "flag disabled";
    case eval::Reason::kError:
      return std::string(eval::ErrorCodeName(result.error_code));
    default:
      break;
  }
  if (result.value == nullptr) return "no value";
  if (result.value->is_bool() && !result.value->get_bool()) return "off";
  return {};
}

}  // namespace

Status OAuthTenantGate::Check(Environment environment,
                              const std::vector<std::string>& flags,
                              std::string_view tenant, Timestamp now) const {
  if (flags.empty()) return Status::Ok();
  std::shared_ptr<const exposure::PublishedConfig> config =
      feed_.Current(environment);
  eval::EvaluationContext context;
  context.targeting_key = std::string(tenant);
  context.now = now;
  for (const std::string& flag : flags) {
    eval::EvaluationResult result = config->snapshot->Evaluate(flag, context);
    std::string reason = NotExposedReason(result);
    if (!reason.empty()) {
      return FailedPrecondition("flag '" + flag +
                                    "' is not exposed to tenant '" +
                                    std::string(tenant) + "': " + reason,
                                "tenant-not-exposed");
    }
  }
  return Status::Ok();
}

}  // namespace warden::oauth
