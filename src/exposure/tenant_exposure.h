// TenantExposure: "what does tenant X see, and why". Every flag of one
// environment is evaluated for the tenant as a tenant-bound SDK token with
// an empty context is answered (targeting key = the tenant, its stored
// attributes first; api/ofrep_routes.cc), against the published snapshot
// (exposure::ConfigFeed), and each answer names what decided it:
//   limit     the exposure limit that turned it off (id, scope, reason)
//   gate      the release gate that holds it (release, opt-in or approval,
//             the pending approval's id)
//   stage     the release stage whose audience leaves the tenant out
//   rule      the native targeting rule that matched (index, conditions,
//             the segments it tests)
//   targeting the JsonLogic targeting (its result, not its branch)
//   rollout   the percentage rollout that bucketed the tenant
//   default / static / disabled / error  as the reasons say
//
// One page of flags in key order per call (`after`, `limit`), so an
// environment of any size answers in bounded time and memory. The read is
// audited ("tenant.exposure", permission tenant.read), like GET
// /v1/tenants/{key}.
//
// Thread-safe: holds references only; the feed's snapshots are immutable.
#ifndef WARDEN_EXPOSURE_TENANT_EXPOSURE_H_
#define WARDEN_EXPOSURE_TENANT_EXPOSURE_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exposure/config_feed.h"
#include "service/auditor.h"

namespace warden::exposure {

// Flags per page: a console table's worth; the largest a caller may ask.
inline constexpr int64_t kDefaultExposurePage = 100;
inline constexpr int64_t kMaxExposurePage = 500;

struct ExposurePageRequest {
  std::string after;  // a flag key: the page starts after it ("" first)
  int64_t limit = kDefaultExposurePage;  // 1..kMaxExposurePage
};

struct FlagExposure {
  std::string key;
  boost::json::value value;     // null: no value (the caller's code default)
  std::string variant;          // "" when none
  std::string reason;           // OFREP reason, e.g. "TARGETING_MATCH"
  std::string error_code;       // "" unless reason is "ERROR"
  boost::json::object because;  // {"kind": ..., ...}; see the header
};

struct TenantExposureReport {
  std::string tenant;
  Environment environment = Environment::kProduction;
  int64_t revision = 0;    // of the environment's published configuration
  int64_t flag_count = 0;  // in the environment, every page together
  std::vector<FlagExposure> flags;
  std::optional<std::string> next_after;  // set when more flags follow
};

class TenantExposure {
 public:
  TenantExposure(Auditor& auditor, const ConfigFeed& feed)
      : auditor_(auditor), feed_(feed) {}

  // kNotFound when `tenant` is not registered; kInvalidArgument
  // ("validation-failed") for a limit outside 1..kMaxExposurePage;
  // kPermissionDenied without tenant.read.
  Result<TenantExposureReport> Explain(const Caller& caller,
                                       std::string_view tenant,
                                       Environment environment,
                                       const ExposurePageRequest& page) const;

 private:
  Auditor& auditor_;
  const ConfigFeed& feed_;
};

// {"tenant", "environment", "revision", "flag_count", "flags": [{"key",
//  "value", "variant", "reason", "error_code"?, "because"}], "next_after"}
boost::json::object TenantExposureToJson(const TenantExposureReport& report);

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_TENANT_EXPOSURE_H_
