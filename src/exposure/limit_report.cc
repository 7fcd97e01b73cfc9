#include "exposure/limit_report.h"

#include <boost/json/array.hpp>

namespace warden::exposure {
namespace {

namespace json = boost::json;

json::array NotTurnedOffToJson(const std::vector<FlagNotTurnedOff>& flags) {
  json::array out;
  for (const FlagNotTurnedOff& flag : flags) {
    out.push_back(json::object{{"environment", Name(flag.environment)},
                               {"flag", flag.flag},
                               {"reason", flag.reason}});
  }
  return out;
}

json::object TimingsToJson(const LimitTimings& timings) {
  return {{"limit", timings.limit.count()},
          {"revocation", timings.revocation.count()},
          {"publish", timings.publish.count()},
          {"total", timings.total.count()}};
}

}  // namespace

json::object LimitReportToJson(const LimitReport& report) {
  json::array rotations;
  for (const std::string& rotation : report.rotations_queued) {
    rotations.emplace_back(rotation);
  }
  return {{"flags_turned_off", report.flags_turned_off},
          {"not_turned_off", NotTurnedOffToJson(report.not_turned_off)},
          {"not_turned_off_omitted", report.not_turned_off_omitted},
          {"tokens_revoked",
           json::object{{"identities", report.tokens_revoked.identities},
                        {"tenants", report.tokens_revoked.tenants}}},
          {"rotations_queued", std::move(rotations)},
          {"timings_us", TimingsToJson(report.timings)}};
}

}  // namespace warden::exposure
