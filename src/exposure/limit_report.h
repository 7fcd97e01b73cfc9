// LimitReport: what setting one exposure limit did, answered by
// POST /v1/limits and kept in the limit's record (report_json): the flags
// it turned off and those it could not, the tokens it revoked, the
// rotations it queued and how long each part took.
//
// Plain value; thread-compatible.
#ifndef WARDEN_EXPOSURE_LIMIT_REPORT_H_
#define WARDEN_EXPOSURE_LIMIT_REPORT_H_

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/vocabulary.h"
#include "exposure/limit_enforcer.h"

namespace warden::exposure {

// Flags a limit's report names as not turned off: a limit over every flag
// of every environment stays a readable answer; the rest are counted.
inline constexpr size_t kMaxReportedFlags = 1'000;

// A flag the limit covers but cannot turn off (eval/off_variant.h: a
// non-boolean flag without an off variant keeps serving its default).
struct FlagNotTurnedOff {
  Environment environment = Environment::kDevelopment;
  std::string flag;
  std::string reason;
};

// Wall time of each part of setting a limit, measured on a steady clock
// from the call's start. `limit` is the audited write of the limit row
// (validation, resolving ties, commit) less `revocation`, which runs inside
// that same write; `publish` republishes the affected environments;
// `total` runs from the call to the end of publishing: the time to limit.
struct LimitTimings {
  std::chrono::microseconds limit{0};
  std::chrono::microseconds revocation{0};
  std::chrono::microseconds publish{0};
  std::chrono::microseconds total{0};
};

struct LimitReport {
  // What the limit does to the enabled flags it covers, as stored when it
  // committed (disabled flags serve no value and are not counted).
  int64_t flags_turned_off = 0;                  // (environment, flag) pairs
  std::vector<FlagNotTurnedOff> not_turned_off;  // environment, key order
  size_t not_turned_off_omitted = 0;             // beyond kMaxReportedFlags
  // The tokens it revoked: identity and tenant epochs raised.
  TokensRevoked tokens_revoked;
  // Static secrets whose rotation the limit queued (none yet: no runbook
  // links a limit to secrets).
  std::vector<std::string> rotations_queued;
  LimitTimings timings;
};

// {"flags_turned_off", "not_turned_off": [{environment, flag, reason}],
//  "not_turned_off_omitted", "tokens_revoked": {"identities", "tenants"},
//  "rotations_queued": [], "timings_us": {limit, revocation, publish,
//  total}}
boost::json::object LimitReportToJson(const LimitReport& report);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_LIMIT_REPORT_H_
