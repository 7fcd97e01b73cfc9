// Exposure limits (kill switches): set, list, lift. An emergency action
// with no other approval: admin and security may act on any scope; an
// account manager on tenants it manages (scope "tenant" where it is every
// named tenant's account manager, or scope "account_owner" naming itself).
// Setting and lifting are each one audited Store::Write recording the
// reason and actor, then the affected environments are republished, so
// OFREP and the stream see the limit as soon as the call returns.
// Thread-safe.
#ifndef WARDEN_EXPOSURE_LIMIT_SERVICE_H_
#define WARDEN_EXPOSURE_LIMIT_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "exposure/exposure_publisher.h"
#include "service/auditor.h"

namespace warden::exposure {

// Values (tenants, integrations, ...) and flags named by one limit.
inline constexpr size_t kMaxLimitValues = 1'000;
// Flags a limit's report names as not turned off: a limit over every flag
// of every environment stays a readable answer; the rest are counted.
inline constexpr size_t kMaxReportedFlags = 1'000;

struct LimitRequest {
  std::string scope;  // eval::LimitScopeName
  std::vector<std::string> values;
  std::vector<std::string> flag_keys;  // empty: every flag (not for "flags")
  std::optional<Environment> environment;  // nullopt: every environment
  std::string reason;                      // required
};

// A flag the limit covers but cannot turn off (eval/off_variant.h: a
// non-boolean flag without an off variant keeps serving its default).
struct FlagNotTurnedOff {
  Environment environment = Environment::kDevelopment;
  std::string flag;
  std::string reason;
};

// What setting a limit did to the enabled flags it covers, as stored when
// it committed (disabled flags serve no value and are not counted).
struct LimitReport {
  int64_t flags_turned_off = 0;                  // (environment, flag) pairs
  std::vector<FlagNotTurnedOff> not_turned_off;  // environment, key order
  size_t not_turned_off_omitted = 0;             // beyond kMaxReportedFlags
};

class LimitService {
 public:
  LimitService(Store& store, Auditor& auditor, ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  // Errors: kInvalidArgument (validation-failed), kFailedPrecondition
  // ("unknown-segment"), kPermissionDenied. `report` (if not null)
  // receives what the limit turns off, computed in the same transaction.
  Result<ExposureLimitRecord> Set(const Caller& caller, LimitRequest request,
                                  LimitReport* report = nullptr);
  // kFailedPrecondition "already-lifted" for a lifted limit.
  Result<ExposureLimitRecord> Lift(const Caller& caller, std::string_view id,
                                   std::string reason);
  Result<ExposureLimitRecord> Get(const Caller& caller, std::string_view id);
  Result<std::vector<ExposureLimitRecord>> List(const Caller& caller,
                                                bool active_only);

 private:
  Status Publish(const ExposureLimitRecord& limit, std::string_view kind);

  Store& store_;
  Auditor& auditor_;
  ExposurePublisher& publisher_;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_SERVICE_H_
