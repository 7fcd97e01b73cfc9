// Moving a release through its exposure plan: advance, pause, roll back,
// guardrail signals and scheduled stages. Each call is one audited write;
// what moves exposure republishes the environment's gates before returning.
//
// Advance enters the next stage when every entry criterion holds: the
// release is not rolled back or complete; the previous stage soaked for
// the stage's min_soak_minutes; readiness passes when the stage requires
// it; and, for medium risk and above, a security approval of that stage
// exists. A refusal is 409 with problem "readiness-failed" (any readiness
// or soak failure) or "approval-required", listing every reason; a missing
// approval is requested on the way (once: a pending one is reused) and
// named in the refusal. Advancing a paused release resumes it.
//
// Thread-safe.
#ifndef WARDEN_RELEASES_STAGE_CONTROLLER_H_
#define WARDEN_RELEASES_STAGE_CONTROLLER_H_

#include <string>
#include <vector>

#include "approvals/approval_engine.h"
#include "exposure/exposure_publisher.h"
#include "service/auditor.h"

namespace warden::releases {

inline constexpr size_t kMaxSignalsPerPost = 50;

// Why an advance was refused, for the 409 body.
struct AdvanceRefusal {
  std::vector<std::string> reasons;
  std::string approval_id;  // the stage approval requested or pending
};

struct SignalValue {
  std::string name;
  double value = 0;
};

// What a post of signals did.
struct SignalOutcome {
  std::vector<std::string> crossed;  // guardrails crossed, as text
  std::string action;                // "", "paused" or "rolled_back"
  ReleaseRecord release;
};

class StageController {
 public:
  StageController(Store& store, Auditor& auditor,
                  exposure::ExposurePublisher& publisher,
                  approvals::ApprovalEngine& approvals)
      : store_(store),
        auditor_(auditor),
        publisher_(publisher),
        approvals_(approvals) {}

  // `refusal` (optional) receives the reasons of a 409.
  Result<ReleaseRecord> Advance(const Caller& caller, std::string_view id,
                                std::string reason,
                                AdvanceRefusal* refusal = nullptr);
  // Keeps the live stage, stops scheduled advances.
  Result<ReleaseRecord> Pause(const Caller& caller, std::string_view id,
                              std::string reason);
  // Takes every flag of the release off for everyone (the pre-staged
  // rollback); a rolled-back release stays so: ship a new one to recover.
  Result<ReleaseRecord> Rollback(const Caller& caller, std::string_view id,
                                 std::string reason);
  // Records the latest value of each signal; one crossing a guardrail of
  // the live stage pauses the release and, when the stage says so, rolls
  // it back, each audited as actor "system" with the crossing as reason.
  Result<SignalOutcome> PostSignals(const Caller& caller, std::string_view id,
                                    std::vector<SignalValue> signals,
                                    std::string source);
  // The scheduler: advances every release whose next stage is due, as
  // actor "system". A refused scheduled advance is held (not retried) with
  // the refusal as the release's state_reason. Returns how many advanced.
  Result<int> AdvanceDue();

 private:
  Status RequestStageApproval(const Caller& caller,
                              const ReleaseRecord& release, int64_t stage,
                              std::string reason, AdvanceRefusal* refusal);
  Status HoldSchedule(const std::string& id, const std::string& why);
  Result<ReleaseRecord> SetState(const Caller& caller, std::string_view id,
                                 std::string_view action,
                                 std::string_view state, std::string reason);

  Store& store_;
  Auditor& auditor_;
  exposure::ExposurePublisher& publisher_;
  approvals::ApprovalEngine& approvals_;
};

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_STAGE_CONTROLLER_H_
