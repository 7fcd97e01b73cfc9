#include "releases/stage_controller.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>

#include "exposure/exposure_checks.h"
#include "releases/exposure_plan.h"
#include "releases/readiness.h"
#include "releases/release_lookup.h"
#include "releases/release_service.h"
#include "releases/risk_policy.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/system_caller.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

constexpr char kRolledBack[] = "rolled_back";
constexpr char kCompleted[] = "completed";
constexpr char kPaused[] = "paused";
constexpr char kActive[] = "active";
constexpr int kDueBatch = 100;

// The newest stage_advance approval of `state` for entering `stage`.
Result<std::optional<ApprovalRecord>> StageApproval(
    Transaction& tx, const ReleaseRecord& release, int64_t stage,
    std::string_view state, Timestamp now) {
  ApprovalFilter filter;
  filter.kind = approvals::kKindStageAdvance;
  filter.release_id = release.id;
  filter.state = state;
  PageRequest page;
  page.limit = 500;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(Page<ApprovalRecord> batch,
                            tx.approvals().List(filter, page));
    for (ApprovalRecord& record : batch.items) {
      if (record.stage != stage) continue;
      if (approvals::ShownState(record, now) != state) continue;
      return std::optional<ApprovalRecord>(std::move(record));
    }
    if (!batch.next_after_id) return std::optional<ApprovalRecord>();
    page.after_id = batch.next_after_id;
  }
}

// When the stage after `entered` (a stage index) is due, if scheduled.
std::optional<Timestamp> NextDue(const ExposurePlan& plan, int64_t entered,
                                 Timestamp now) {
  if (entered < 0 || static_cast<size_t>(entered) >= plan.stages.size()) {
    return std::nullopt;
  }
  const Stage& next = plan.stages[static_cast<size_t>(entered)];
  if (!next.advance_after_minutes) return std::nullopt;
  return now + std::chrono::minutes(*next.advance_after_minutes);
}

struct EntryCheck {
  std::vector<std::string> readiness;  // readiness and soak failures
  bool needs_approval = false;
};

Result<EntryCheck> CheckEntry(Transaction& tx, const ReleaseRecord& release,
                              const ExposurePlan& plan, int64_t next,
                              Timestamp now) {
  EntryCheck check;
  const Stage& stage = plan.stages[static_cast<size_t>(next) - 1];
  const auto soaked = now - release.stage_entered_at;
  if (soaked < std::chrono::minutes(stage.min_soak_minutes)) {
    check.readiness.push_back(
        fmt::format("soak: stage {} needs {} minutes in the previous stage",
                    stage.name, stage.min_soak_minutes));
  }
  if (stage.requires_readiness) {
    WARDEN_ASSIGN_OR_RETURN(Readiness readiness,
                            EvaluateReadiness(tx, release, now));
    for (std::string& reason : readiness.FailureReasons()) {
      check.readiness.push_back(std::move(reason));
    }
  }
  if (NeedsStageApproval(release.risk_tier)) {
    WARDEN_ASSIGN_OR_RETURN(
        std::optional<ApprovalRecord> approved,
        StageApproval(tx, release, next, approvals::kStateApproved, now));
    check.needs_approval = !approved.has_value();
  }
  return check;
}

Status Refusal(const ReleaseRecord& release, const ExposurePlan& plan,
               int64_t next, const EntryCheck& check,
               std::vector<std::string>& reasons) {
  reasons = check.readiness;
  if (check.needs_approval) {
    reasons.push_back(fmt::format(
        "approval: stage {} of a {} risk release needs a security approval",
        StageName(plan, next), Name(release.risk_tier)));
  }
  const char* problem =
      check.readiness.empty() ? "approval-required" : "readiness-failed";
  return FailedPrecondition(
      fmt::format("release {} may not enter stage {}: {}", release.id,
                  StageName(plan, next), fmt::join(reasons, "; ")),
      problem);
}

Status CheckReason(std::string_view reason) {
  return CheckRequiredText("reason", reason, exposure::kMaxExposureText);
}

}  // namespace

Result<ReleaseRecord> StageController::Advance(const Caller& caller,
                                               std::string_view id,
                                               std::string reason,
                                               AdvanceRefusal* refusal) {
  std::optional<ReleaseRecord> advanced;
  std::optional<ReleaseRecord> refused_release;
  int64_t next = 0;
  std::vector<std::string> reasons;
  AuditedWrite write(store_, auditor_, caller, "release.advance",
                     ReleaseTarget(id), Permission::kReleaseOperate);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(CheckReason(reason));
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(release.owner));
    WARDEN_ASSIGN_OR_RETURN(ExposurePlan plan, PlanFromText(release.plan_json));
    if (release.state == kRolledBack || release.state == kCompleted) {
      return FailedPrecondition(
          fmt::format("release {} is {}", release.id, release.state),
          release.state == kRolledBack ? "release-rolled-back"
                                       : "release-complete");
    }
    next = release.stage + 1;
    WARDEN_ASSIGN_OR_RETURN(EntryCheck check,
                            CheckEntry(tx, release, plan, next, write.now()));
    if (!check.readiness.empty() || check.needs_approval) {
      refused_release = release;
      return Refusal(release, plan, next, check, reasons);
    }
    const std::string from = StageName(plan, release.stage);
    release.stage = next;
    release.stage_entered_at = write.now();
    release.state =
        static_cast<size_t>(next) == plan.stages.size() ? kCompleted : kActive;
    release.state_reason = reason;
    release.next_advance_at = NextDue(plan, next, write.now());
    release.updated_at = write.now();
    ++release.version;
    WARDEN_RETURN_IF_ERROR(tx.releases().Update(release));
    advanced = release;
    return write.Record(tx, json::object{{"from", from},
                                         {"to", StageName(plan, next)},
                                         {"reason", reason}});
  });
  if (!status.ok()) {
    if (refused_release) {
      WARDEN_RETURN_IF_ERROR(RequestStageApproval(caller, *refused_release,
                                                  next, reason, refusal));
    }
    if (refusal != nullptr) refusal->reasons = reasons;
    return status;
  }
  exposure::ReportPublishFailure("release.advance",
                                 PublishGates(publisher_, advanced->environment,
                                              "release.advance", advanced->id));
  return std::move(*advanced);
}

// After a refusal: a stage that needs a security approval gets one
// requested (or the pending one named), so the decision is in someone's
// inbox when the refusal is read.
Status StageController::RequestStageApproval(const Caller& caller,
                                             const ReleaseRecord& release,
                                             int64_t stage, std::string reason,
                                             AdvanceRefusal* refusal) {
  if (!NeedsStageApproval(release.risk_tier)) return Status::Ok();
  std::optional<ApprovalRecord> existing;
  const Timestamp now = auditor_.clock().Now();
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(
        std::optional<ApprovalRecord> approved,
        StageApproval(tx, release, stage, approvals::kStateApproved, now));
    if (approved) {
      existing = std::move(approved);
      return Status::Ok();
    }
    WARDEN_ASSIGN_OR_RETURN(
        existing,
        StageApproval(tx, release, stage, approvals::kStatePending, now));
    return Status::Ok();
  }));
  if (!existing) {
    approvals::ApprovalRequest request;
    request.kind = approvals::kKindStageAdvance;
    request.release_id = release.id;
    request.stage = stage;
    request.approver_role = Name(Role::kSecurity);
    request.reason = std::move(reason);
    request.subject_json = json::serialize(
        json::object{{"release", release.id}, {"stage", stage}});
    Result<ApprovalRecord> opened = approvals_.Request(caller, request);
    if (!opened.ok()) return opened.status();
    existing = std::move(*opened);
  }
  if (refusal != nullptr) refusal->approval_id = existing->id;
  return Status::Ok();
}

Result<ReleaseRecord> StageController::SetState(const Caller& caller,
                                                std::string_view id,
                                                std::string_view action,
                                                std::string_view state,
                                                std::string reason) {
  std::optional<ReleaseRecord> changed;
  AuditedWrite write(store_, auditor_, caller, std::string(action),
                     ReleaseTarget(id), Permission::kReleaseOperate);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(CheckReason(reason));
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(release.owner));
    if (release.state == kRolledBack) {
      return FailedPrecondition(
          fmt::format("release {} is already rolled back", release.id),
          "release-rolled-back");
    }
    if (state == kPaused && release.state == kPaused) {
      return FailedPrecondition(
          fmt::format("release {} is already paused", release.id),
          "release-paused");
    }
    const std::string from = release.state;
    release.state = std::string(state);
    release.state_reason = reason;
    release.next_advance_at.reset();
    release.updated_at = write.now();
    ++release.version;
    WARDEN_RETURN_IF_ERROR(tx.releases().Update(release));
    changed = release;
    return write.Record(
        tx, json::object{{"from", from}, {"to", state}, {"reason", reason}});
  });
  if (!status.ok()) return status;
  exposure::ReportPublishFailure(
      action,
      PublishGates(publisher_, changed->environment, action, changed->id));
  return std::move(*changed);
}

Result<ReleaseRecord> StageController::Pause(const Caller& caller,
                                             std::string_view id,
                                             std::string reason) {
  return SetState(caller, id, "release.pause", kPaused, std::move(reason));
}

Result<ReleaseRecord> StageController::Rollback(const Caller& caller,
                                                std::string_view id,
                                                std::string reason) {
  return SetState(caller, id, "release.rollback", kRolledBack,
                  std::move(reason));
}

Result<SignalOutcome> StageController::PostSignals(
    const Caller& caller, std::string_view id, std::vector<SignalValue> signals,
    std::string source) {
  SignalOutcome outcome;
  AuditedWrite write(store_, auditor_, caller, "release.signal",
                     ReleaseTarget(id), Permission::kReleaseSignal);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    outcome = SignalOutcome{};  // the unit may run again
    if (signals.empty() || signals.size() > kMaxSignalsPerPost) {
      return FieldError("signals",
                        fmt::format("needs 1..{} signals", kMaxSignalsPerPost));
    }
    WARDEN_RETURN_IF_ERROR(CheckText("source", source, 256));
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(release.owner));
    WARDEN_ASSIGN_OR_RETURN(ExposurePlan plan, PlanFromText(release.plan_json));
    const Stage* live =
        release.stage > 0 &&
                static_cast<size_t>(release.stage) <= plan.stages.size()
            ? &plan.stages[static_cast<size_t>(release.stage) - 1]
            : nullptr;
    json::object posted;
    for (const SignalValue& signal : signals) {
      WARDEN_RETURN_IF_ERROR(CheckName("signals.name", signal.name, 64));
      if (!std::isfinite(signal.value)) {
        return FieldError("signals.value", "must be a finite number");
      }
      WARDEN_RETURN_IF_ERROR(tx.releases().PutSignal(
          {release.id, signal.name, signal.value, source, write.now()}));
      posted[signal.name] = signal.value;
      if (live == nullptr) continue;
      for (const Guardrail& guardrail : live->guardrails) {
        if (guardrail.signal != signal.name) continue;
        std::string crossing = guardrail.Crossing(signal.value);
        if (!crossing.empty()) outcome.crossed.push_back(std::move(crossing));
      }
    }
    const bool acts = !outcome.crossed.empty() &&
                      (release.state == kActive || release.state == kCompleted);
    if (acts) {
      outcome.action = live->auto_rollback ? kRolledBack : kPaused;
      const std::string why =
          fmt::format("guardrail: {}", fmt::join(outcome.crossed, "; "));
      json::object details{
          {"from", release.state}, {"to", outcome.action}, {"reason", why}};
      release.state = outcome.action;
      release.state_reason = why;
      release.next_advance_at.reset();
      release.updated_at = write.now();
      ++release.version;
      WARDEN_RETURN_IF_ERROR(tx.releases().Update(release));
      WARDEN_RETURN_IF_ERROR(auditor_.RecordInTransaction(
          tx, SystemCaller(),
          outcome.action == kRolledBack ? "release.rollback" : "release.pause",
          ReleaseTarget(release.id), std::move(details)));
    }
    outcome.release = release;
    return write.Record(tx, json::object{{"signals", std::move(posted)},
                                         {"source", source},
                                         {"action", outcome.action}});
  });
  if (!status.ok()) return status;
  if (outcome.action == kRolledBack) {
    exposure::ReportPublishFailure(
        "release.rollback",
        PublishGates(publisher_, outcome.release.environment,
                     "release.rollback", outcome.release.id));
  }
  return outcome;
}

Status StageController::HoldSchedule(const std::string& id,
                                     const std::string& why) {
  const Caller system = SystemCaller();
  AuditedWrite write(store_, auditor_, system, "release.schedule.hold",
                     ReleaseTarget(id), Permission::kReleaseOperate);
  return write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, LoadRelease(tx, id));
    release.next_advance_at.reset();
    release.state_reason = "scheduled advance held: " + why;
    release.updated_at = write.now();
    ++release.version;
    WARDEN_RETURN_IF_ERROR(tx.releases().Update(release));
    return write.Record(tx, json::object{{"reason", why}});
  });
}

Result<int> StageController::AdvanceDue() {
  std::vector<ReleaseRecord> due;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(
        due, tx.releases().ListDue(auditor_.clock().Now(), kDueBatch));
    return Status::Ok();
  }));
  int advanced = 0;
  const Caller system = SystemCaller();
  for (const ReleaseRecord& release : due) {
    Result<ReleaseRecord> result =
        Advance(system, release.id, "scheduled stage");
    if (result.ok()) {
      ++advanced;
    } else if (result.status().code() != StatusCode::kUnavailable) {
      WARDEN_RETURN_IF_ERROR(
          HoldSchedule(release.id, result.status().message()));
    }
  }
  return advanced;
}

}  // namespace warden::releases
