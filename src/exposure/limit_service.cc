#include "exposure/limit_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "core/id.h"
#include "eval/exposure_limit.h"
#include "exposure/exposure_checks.h"
#include "exposure/exposure_records_codec.h"
#include "exposure/limit_ties.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "wire/exposure_json.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

std::string LimitTarget(std::string_view id) {
  return fmt::format("limit/{}", id);
}

Status CheckRequest(LimitRequest& request) {
  const bool release = request.scope == kReleaseScope;
  Result<eval::LimitScope> scope =
      release ? Result<eval::LimitScope>(eval::LimitScope::kFlags)
              : eval::ParseLimitScope(request.scope);
  if (!scope.ok()) {
    return FieldError("scope",
                      "must be one of tenant, integration, account_owner, "
                      "segment, flags, release");
  }
  if (release) {
    if (!request.flag_keys.empty()) {
      return FieldError("flags", "scope release covers the release's flags");
    }
    if (request.values.empty()) {
      return FieldError("values", "name at least one release id");
    }
    return CheckRequiredText("reason", request.reason, kMaxExposureText);
  }
  WARDEN_RETURN_IF_ERROR(
      CheckRequiredText("reason", request.reason, kMaxExposureText));
  WARDEN_RETURN_IF_ERROR(
      CheckKeyList("values", request.values, kMaxLimitValues));
  WARDEN_RETURN_IF_ERROR(
      CheckKeyList("flags", request.flag_keys, kMaxLimitValues));
  if (*scope == eval::LimitScope::kFlags) {
    if (!request.values.empty()) {
      return FieldError("values", "must be empty for scope flags");
    }
    if (request.flag_keys.empty()) {
      return FieldError("flags", "scope flags needs at least one flag");
    }
  } else if (request.values.empty()) {
    return FieldError("values", "needs at least one value");
  }
  return Status::Ok();
}

// The account managers of what the limit touches, for account-scoped
// authorization: empty when the scope is not account-scoped (then only
// unconditional grants allow).
Result<std::vector<std::string>> ManagersOf(Transaction& tx,
                                            const ExposureLimitRecord& limit) {
  std::vector<std::string> managers;
  if (limit.scope == "account_owner") return limit.scope_values;
  if (limit.scope != "tenant") return managers;
  for (const std::string& key : limit.scope_values) {
    Result<TenantRecord> tenant = tx.tenants().Get(key);
    if (!tenant.ok() && tenant.status().code() != StatusCode::kNotFound) {
      return tenant.status();
    }
    managers.push_back(tenant.ok() ? tenant->account_manager : std::string());
  }
  return managers;
}

Status AuthorizeAccounts(Transaction& tx, AuditedWrite& write,
                         const Caller& caller, Permission permission,
                         const ExposureLimitRecord& limit) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> managers,
                          ManagersOf(tx, limit));
  AuthzDecision decision =
      AuthorizeOnAccounts(caller.principal, permission, managers);
  if (decision.allowed) return Status::Ok();
  return write.Refuse(std::move(decision.reason), "");
}

// Who set a limit governs who lifts it: an unconditional grant (admin,
// security) lifts any limit; an account manager lifts only limits that
// account managers set, on tenants it manages. A limit set during an
// incident by security stays until security lifts it.
Status AuthorizeLift(Transaction& tx, AuditedWrite& write, const Caller& caller,
                     const ExposureLimitRecord& limit) {
  if (Authorize(caller.principal, Permission::kLimitLift).allowed) {
    return Status::Ok();
  }
  if (limit.actor_role != Name(Role::kAccountManager)) {
    return write.Refuse(
        fmt::format(
            "exposure limit {} was set by {} ({}); only admin or "
            "security may lift it",
            limit.id, limit.actor,
            limit.actor_role.empty() ? "role not recorded" : limit.actor_role),
        "limit-lift-reserved");
  }
  return AuthorizeAccounts(tx, write, caller, Permission::kLimitLift, limit);
}

Status CheckSegmentsExist(Transaction& tx, const ExposureLimitRecord& limit) {
  if (limit.scope != "segment") return Status::Ok();
  for (const std::string& key : limit.scope_values) {
    Result<SegmentRecord> found = tx.segments().Get(key);
    if (found.ok()) continue;
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return FailedPrecondition(
        fmt::format("values: segment \"{}\" does not exist", key),
        "unknown-segment");
  }
  return Status::Ok();
}

json::object Describe(const ExposureLimitRecord& limit) {
  json::object details{
      {"id", limit.id},
      {"scope", limit.scope},
      {"values", wire::StringListToJson(limit.scope_values)},
      {"flags", wire::StringListToJson(limit.flag_keys)},
      {"environment", limit.environment ? json::value(Name(*limit.environment))
                                        : json::value(nullptr)},
      {"reason", limit.reason}};
  if (!limit.active()) details["lift_reason"] = limit.lift_reason;
  return details;
}

// The limit.set record: the limit and what it did, committed with it.
json::object Describe(const ExposureLimitRecord& limit,
                      const LimitReport& report) {
  json::object details = Describe(limit);
  details["flags_turned_off"] = report.flags_turned_off;
  details["flags_not_turned_off"] =
      report.not_turned_off.size() + report.not_turned_off_omitted;
  details["identities_revoked"] = report.tokens_revoked.identities;
  details["tenants_revoked"] = report.tokens_revoked.tenants;
  return details;
}

std::chrono::microseconds Micros(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d);
}

Result<ExposureLimitRecord> LoadLimit(Transaction& tx, std::string_view id) {
  Result<ExposureLimitRecord> found = tx.exposure_limits().Get(id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("exposure limit \"{}\" does not exist", id));
}

}  // namespace

Result<LimitPlan> LimitService::Plan(Transaction& tx, AuditedWrite& write,
                                     const Caller& caller,
                                     const LimitRequest& request,
                                     std::string id) {
  LimitRequest checked = request;
  WARDEN_RETURN_IF_ERROR(CheckRequest(checked));
  ExposureLimitRecord limit;
  limit.id = std::move(id);
  limit.scope = checked.scope;
  limit.scope_values = checked.values;
  limit.flag_keys = checked.flag_keys;
  limit.environment = checked.environment;
  limit.reason = checked.reason;
  limit.actor = caller.principal.subject;
  limit.actor_role = std::string(Name(caller.principal.role));
  limit.created_at = write.now();
  WARDEN_RETURN_IF_ERROR(
      AuthorizeAccounts(tx, write, caller, Permission::kLimitSet, limit));
  WARDEN_RETURN_IF_ERROR(CheckSegmentsExist(tx, limit));
  return PlanLimit(tx, std::move(limit), enforcer_);
}

Result<ExposureLimitRecord> LimitService::Set(const Caller& caller,
                                              LimitRequest request,
                                              LimitReport* report) {
  const auto started = std::chrono::steady_clock::now();
  const std::string id = NewId(auditor_.clock().Now());
  ExposureLimitRecord limit;
  LimitReport computed;
  AuditedWrite write(store_, auditor_, caller, "limit.set", LimitTarget(id),
                     Permission::kLimitSet);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(LimitPlan plan,
                            Plan(tx, write, caller, request, id));
    limit = plan.limit;
    computed = plan.report;  // the unit may run again: start from the plan
    WARDEN_RETURN_IF_ERROR(tx.exposure_limits().Insert(limit));
    WARDEN_RETURN_IF_ERROR(RevokeTied(tx, caller, plan, computed));
    WARDEN_RETURN_IF_ERROR(QueuePlannedRotations(tx, plan, write.now()));
    return write.Record(tx, Describe(limit, computed));
  });
  if (!status.ok()) {
    // No limit: stop refusing new tokens. What RevokeTied() revoked in
    // memory stays revoked (fail closed, as TokenRevocation does).
    if (enforcer_ != nullptr) enforcer_->Released(id);
    return status;
  }
  const auto committed = std::chrono::steady_clock::now();
  ReportPublishFailure("limit.set", Publish(limit, "limit.set"));
  const auto published = std::chrono::steady_clock::now();
  LimitTimings& timings = computed.timings;
  timings.limit = Micros(committed - started) - timings.revocation;
  timings.publish = Micros(published - committed);
  timings.total = Micros(published - started);
  // The limit is in effect whatever happens to its report.
  const Status recorded = RecordReport(caller, limit, computed);
  if (!recorded.ok()) {
    std::fprintf(stderr, "record the report of limit %s: %s\n",
                 limit.id.c_str(), recorded.ToString().c_str());
  }
  if (observer_) observer_(limit.scope, timings.total);
  if (report != nullptr) *report = std::move(computed);
  return limit;
}

// Runs in a write unit of its own so that account-scoped refusals are
// decided and recorded exactly as Set() decides them, on the state Set()
// would see; the unit writes nothing but the "limit.preview" record.
Result<LimitPlan> LimitService::Preview(const Caller& caller,
                                        LimitRequest request) {
  LimitPlan plan;
  AuditedWrite write(store_, auditor_, caller, "limit.preview", "limit",
                     Permission::kLimitSet);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(plan, Plan(tx, write, caller, request, ""));
    json::object details = Describe(plan.limit, plan.report);
    details.erase("id");
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  return plan;
}

Status LimitService::RevokeTied(Transaction& tx, const Caller& caller,
                                const LimitPlan& plan, LimitReport& report) {
  if (enforcer_ == nullptr) return Status::Ok();
  const auto started = std::chrono::steady_clock::now();
  WARDEN_ASSIGN_OR_RETURN(
      report.tokens_revoked,
      enforcer_->RevokeTied(tx, caller, plan.limit, plan.ties));
  report.timings.revocation =
      Micros(std::chrono::steady_clock::now() - started);
  return Status::Ok();
}

// A second write, after publishing: the time to limit includes the
// publish, so it cannot be known while the limit row is written.
Status LimitService::RecordReport(const Caller& caller,
                                  ExposureLimitRecord& limit,
                                  const LimitReport& report) {
  limit.time_to_limit_us = report.timings.total.count();
  limit.report_json = json::serialize(LimitReportToJson(report));
  return store_.Write([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(tx.exposure_limits().Update(limit));
    return auditor_.RecordInTransaction(
        tx, caller, "limit.report", LimitTarget(limit.id),
        json::object{{"time_to_limit_us", *limit.time_to_limit_us}});
  });
}

Result<ExposureLimitRecord> LimitService::Lift(const Caller& caller,
                                               std::string_view id,
                                               std::string reason) {
  ExposureLimitRecord limit;
  AuditedWrite write(store_, auditor_, caller, "limit.lift", LimitTarget(id),
                     Permission::kLimitLift);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(limit, LoadLimit(tx, id));
    WARDEN_RETURN_IF_ERROR(AuthorizeLift(tx, write, caller, limit));
    WARDEN_RETURN_IF_ERROR(
        CheckRequiredText("reason", reason, kMaxExposureText));
    if (!limit.active()) {
      return FailedPrecondition(
          fmt::format("exposure limit {} was already lifted by {}", id,
                      limit.lifted_by),
          "already-lifted");
    }
    limit.lifted_at = write.now();
    limit.lifted_by = caller.principal.subject;
    limit.lift_reason = reason;
    WARDEN_RETURN_IF_ERROR(tx.exposure_limits().Update(limit));
    return write.Record(tx, Describe(limit));
  });
  if (!status.ok()) return status;
  if (enforcer_ != nullptr) enforcer_->Released(limit.id);
  ReportPublishFailure("limit.lift", Publish(limit, "limit.lift"));
  return limit;
}

Result<ExposureLimitRecord> LimitService::Get(const Caller& caller,
                                              std::string_view id) {
  ExposureLimitRecord limit;
  const Status status =
      auditor_.AuditedRead(caller, Permission::kLimitRead, "limit.read",
                           LimitTarget(id), [&](Transaction& tx) -> Status {
                             WARDEN_ASSIGN_OR_RETURN(limit, LoadLimit(tx, id));
                             return Status::Ok();
                           });
  if (!status.ok()) return status;
  return limit;
}

Result<std::vector<ExposureLimitRecord>> LimitService::List(
    const Caller& caller, bool active_only) {
  std::vector<ExposureLimitRecord> limits;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kLimitRead, "limit.list", "limit",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(limits, tx.exposure_limits().List(active_only));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return limits;
}

Status LimitService::Publish(const ExposureLimitRecord& limit,
                             std::string_view kind) {
  const json::object change{{"kind", kind}, {"id", limit.id}};
  if (limit.environment) {
    return publisher_.Publish(*limit.environment, change,
                              ExposureSection::kLimits);
  }
  return publisher_.PublishAll(change, ExposureSection::kLimits);
}

}  // namespace warden::exposure
