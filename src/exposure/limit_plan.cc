#include "exposure/limit_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <set>

#include "eval/off_variant.h"
#include "exposure/exposure_publisher.h"
#include "exposure/exposure_records_codec.h"
#include "service/field_checks.h"
#include "wire/exposure_json.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

// A release limit covers the flags its releases ship (resolved now, so the
// limit keeps covering them whatever later releases do), in their
// environment when they share one. A release shipping no flag cannot be
// limited this way: an empty flag list would mean every flag.
Status CoverReleaseFlags(Transaction& tx, ExposureLimitRecord& limit) {
  if (limit.scope != kReleaseScope) return Status::Ok();
  std::set<std::string> flags;
  std::set<Environment> environments;
  for (const std::string& id : limit.scope_values) {
    Result<ReleaseRecord> release = tx.releases().Get(id);
    if (!release.ok()) {
      if (release.status().code() != StatusCode::kNotFound) {
        return release.status();
      }
      return FieldError("values",
                        fmt::format("release \"{}\" does not exist", id));
    }
    if (release->flags.empty()) {
      return FieldError(
          "values", fmt::format("release \"{}\" ships no flag; limit its "
                                "identities' integration or tenants instead",
                                id));
    }
    flags.insert(release->flags.begin(), release->flags.end());
    environments.insert(release->environment);
  }
  limit.flag_keys.assign(flags.begin(), flags.end());
  if (!limit.environment && environments.size() == 1) {
    limit.environment = *environments.begin();
  }
  return Status::Ok();
}

bool Covers(const ExposureLimitRecord& limit, std::string_view flag) {
  if (limit.flag_keys.empty()) return true;
  return std::find(limit.flag_keys.begin(), limit.flag_keys.end(), flag) !=
         limit.flag_keys.end();
}

// The enabled flags the limit covers, as stored, sorted into turned off and
// not (eval::ResolveLimitedServe: the rule the snapshot evaluates by).
// Disabled flags serve no value and are not counted.
Status PlanFlags(Transaction& tx, LimitPlan& plan) {
  const ExposureLimitRecord& limit = plan.limit;
  LimitReport& report = plan.report;
  for (Environment env : kAllEnvironments) {
    if (limit.environment && *limit.environment != env) continue;
    WARDEN_ASSIGN_OR_RETURN(std::vector<FlagRecord> flags,
                            tx.flags().List(env, /*include_archived=*/false));
    for (const FlagRecord& record : flags) {
      if (!record.enabled || !Covers(limit, record.key)) continue;
      WARDEN_ASSIGN_OR_RETURN(wire::FlagSpec spec, FlagSpecFromRecord(record));
      eval::LimitedServe serve = eval::ResolveLimitedServe(spec.flag);
      if (serve.turned_off) {
        ++report.flags_turned_off;
        if (plan.turned_off.size() < kMaxReportedFlags) {
          plan.turned_off.push_back({env, record.key});
        } else {
          ++plan.turned_off_omitted;
        }
      } else if (report.not_turned_off.size() < kMaxReportedFlags) {
        report.not_turned_off.push_back({env, record.key, serve.why});
      } else {
        ++report.not_turned_off_omitted;
      }
    }
  }
  return Status::Ok();
}

// Static secrets held by the limited release's identities are due for
// rotation (the rollback runbook's last step): custody's rotation
// reminders pick them up.
Result<std::vector<std::string>> SecretsToRotate(
    Transaction& tx, const std::vector<std::string>& identity_ids) {
  std::vector<std::string> names;
  if (identity_ids.empty()) return names;
  WARDEN_ASSIGN_OR_RETURN(std::vector<SecretRecord> secrets,
                          tx.secrets().List());
  for (const SecretRecord& secret : secrets) {
    if (std::binary_search(identity_ids.begin(), identity_ids.end(),
                           secret.identity_id)) {
      names.push_back(secret.name);
    }
  }
  return names;
}

json::array BoundedList(const std::vector<std::string>& items) {
  json::array out;
  const size_t shown = std::min(items.size(), kMaxReportedFlags);
  for (size_t i = 0; i < shown; ++i) out.emplace_back(items[i]);
  return out;
}

size_t Omitted(const std::vector<std::string>& items) {
  return items.size() - std::min(items.size(), kMaxReportedFlags);
}

}  // namespace

json::object LimitPlanToJson(const LimitPlan& plan) {
  const ExposureLimitRecord& limit = plan.limit;
  json::array flags;
  for (const FlagTurnedOff& flag : plan.turned_off) {
    flags.push_back(json::object{{"environment", Name(flag.environment)},
                                 {"flag", flag.flag}});
  }
  const bool everyone = limit.scope == "flags" || limit.scope == kReleaseScope;
  return {
      {"limit",
       json::object{{"scope", limit.scope},
                    {"values", wire::StringListToJson(limit.scope_values)},
                    {"flags", wire::StringListToJson(limit.flag_keys)},
                    {"environment", limit.environment
                                        ? json::value(Name(*limit.environment))
                                        : json::value(nullptr)},
                    {"reason", limit.reason}}},
      {"everyone", everyone},
      {"flags_turned_off", std::move(flags)},
      {"flags_turned_off_omitted", plan.turned_off_omitted},
      {"tenants", BoundedList(plan.ties.tenants)},
      {"tenants_omitted", Omitted(plan.ties.tenants)},
      {"identities", BoundedList(plan.ties.identity_ids)},
      {"identities_omitted", Omitted(plan.ties.identity_ids)},
      {"report", LimitReportToJson(plan.report)}};
}

Result<LimitPlan> PlanLimit(Transaction& tx, ExposureLimitRecord limit,
                            const LimitEnforcer* enforcer) {
  LimitPlan plan;
  WARDEN_RETURN_IF_ERROR(CoverReleaseFlags(tx, limit));
  plan.limit = std::move(limit);
  WARDEN_RETURN_IF_ERROR(PlanFlags(tx, plan));
  WARDEN_ASSIGN_OR_RETURN(plan.ties, ResolveLimitTies(tx, plan.limit));
  if (enforcer != nullptr) {
    plan.report.tokens_revoked = enforcer->WouldRevoke(plan.ties);
  }
  if (plan.limit.scope == kReleaseScope) {
    WARDEN_ASSIGN_OR_RETURN(plan.rotations,
                            SecretsToRotate(tx, plan.ties.identity_ids));
    plan.report.rotations_queued = plan.rotations;
  }
  return plan;
}

Status QueuePlannedRotations(Transaction& tx, const LimitPlan& plan,
                             Timestamp now) {
  for (const std::string& name : plan.rotations) {
    WARDEN_ASSIGN_OR_RETURN(SecretRecord secret, tx.secrets().GetByName(name));
    if (secret.rotation_due_at && *secret.rotation_due_at <= now) continue;
    secret.rotation_due_at = now;
    secret.updated_at = now;
    WARDEN_RETURN_IF_ERROR(tx.secrets().Update(secret));
  }
  return Status::Ok();
}

}  // namespace warden::exposure
