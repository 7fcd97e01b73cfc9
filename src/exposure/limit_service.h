// Exposure limits (kill switches): set, list, lift. An emergency action
// with no other approval: admin and security may act on any scope; an
// account manager on tenants it manages (scope "tenant" where it is every
// named tenant's account manager, or scope "account_owner" naming itself).
// Setting and lifting are each one audited Store::Write recording the
// reason and actor, then the affected environments are republished, so
// OFREP and the stream see the limit as soon as the call returns.
//
// With a LimitEnforcer (limit_enforcer.h), setting a limit also revokes
// the OAuth tokens tied to it (limit_ties.h) inside that same write unit,
// so the limit row, the revocation state and both audit records commit
// together, and refuses new ones until it is lifted. Once published, the
// time to limit and the report are recorded on the limit (a second,
// audited "limit.report" write) and told to the observer.
//
// Preview() answers what Set() would do with the same request on the state
// the store holds now (limit_plan.h: both run the same plan), refused and
// validated exactly as Set() is, and changes nothing but its own audit
// record ("limit.preview").
//
// Thread-safe once wired: set_enforcer() and set_time_to_limit_observer()
// are called before the service is shared.
#ifndef WARDEN_EXPOSURE_LIMIT_SERVICE_H_
#define WARDEN_EXPOSURE_LIMIT_SERVICE_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/exposure_publisher.h"
#include "exposure/limit_enforcer.h"
#include "exposure/limit_plan.h"
#include "exposure/limit_report.h"
#include "service/auditor.h"

namespace warden {
class AuditedWrite;
}  // namespace warden

namespace warden::exposure {

// Values (tenants, integrations, ...) and flags named by one limit.
inline constexpr size_t kMaxLimitValues = 1'000;

struct LimitRequest {
  std::string scope;  // eval::LimitScopeName
  std::vector<std::string> values;
  std::vector<std::string> flag_keys;  // empty: every flag (not for "flags")
  std::optional<Environment> environment;  // nullopt: every environment
  std::string reason;                      // required
};

// Told the scope and time to limit of every limit set (for /metrics).
using TimeToLimitObserver =
    std::function<void(std::string_view scope, std::chrono::microseconds)>;

class LimitService {
 public:
  LimitService(Store& store, Auditor& auditor, ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  // Borrowed; null (the default) sets limits without touching tokens.
  void set_enforcer(LimitEnforcer* enforcer) { enforcer_ = enforcer; }
  void set_time_to_limit_observer(TimeToLimitObserver observer) {
    observer_ = std::move(observer);
  }

  // Errors: kInvalidArgument (validation-failed), kFailedPrecondition
  // ("unknown-segment"), kPermissionDenied, or the enforcer's error (the
  // limit is then not set). `report` (if not null) receives what the
  // limit did: flags computed in the same transaction, tokens revoked,
  // timings. The returned record carries time_to_limit_us and
  // report_json.
  Result<ExposureLimitRecord> Set(const Caller& caller, LimitRequest request,
                                  LimitReport* report = nullptr);
  // What Set(caller, request) would do now, without doing it: the same
  // errors and refusals as Set(), and the plan (limit_plan.h) whose report
  // Set() would answer, timings aside. The plan's limit has no id.
  Result<LimitPlan> Preview(const Caller& caller, LimitRequest request);
  // kFailedPrecondition "already-lifted" for a lifted limit.
  Result<ExposureLimitRecord> Lift(const Caller& caller, std::string_view id,
                                   std::string reason);
  Result<ExposureLimitRecord> Get(const Caller& caller, std::string_view id);
  Result<std::vector<ExposureLimitRecord>> List(const Caller& caller,
                                                bool active_only);

 private:
  // Validates and authorizes `request` as `caller`'s inside `write`'s unit,
  // then plans it: the part Set() and Preview() share.
  Result<LimitPlan> Plan(Transaction& tx, AuditedWrite& write,
                         const Caller& caller, const LimitRequest& request,
                         std::string id);
  Status Publish(const ExposureLimitRecord& limit, std::string_view kind);
  Status RevokeTied(Transaction& tx, const Caller& caller,
                    const LimitPlan& plan, LimitReport& report);
  Status RecordReport(const Caller& caller, ExposureLimitRecord& limit,
                      const LimitReport& report);

  Store& store_;
  Auditor& auditor_;
  ExposurePublisher& publisher_;
  LimitEnforcer* enforcer_ = nullptr;  // wired before use; may be null
  TimeToLimitObserver observer_;       // wired before use; may be empty
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_SERVICE_H_
