#include "releases/release_json.h"

#include <boost/json/parse.hpp>

#include "core/time_format.h"
#include "releases/exposure_plan.h"

namespace warden::releases {
namespace {

namespace json = boost::json;

json::array Strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

// Stored JSON text (written by this domain) back as a value.
json::value Stored(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return ec ? json::value(nullptr) : value;
}

json::value OptionalTime(const std::optional<Timestamp>& at) {
  return at ? json::value(FormatRfc3339(*at)) : json::value(nullptr);
}

std::string CurrentStageName(const ReleaseRecord& release) {
  if (release.state == "rolled_back") return "rolled_back";
  Result<ExposurePlan> plan = PlanFromText(release.plan_json);
  return plan.ok() ? StageName(*plan, release.stage) : "unknown";
}

}  // namespace

json::object ReleaseToJson(const ReleaseRecord& release) {
  return {{"id", release.id},
          {"service", release.service},
          {"version", release.service_version},
          {"environment", Name(release.environment)},
          {"owner", release.owner},
          {"risk_tier", Name(release.risk_tier)},
          {"risk_tier_declared", release.risk_tier_declared},
          {"risk_reason", release.risk_reason},
          {"flags", Strings(release.flags)},
          {"identities", Strings(release.identities)},
          {"integrations", Strings(release.integrations)},
          {"notes", Stored(release.notes_json)},
          {"plan", Stored(release.plan_json)},
          {"stage", CurrentStageName(release)},
          {"stage_index", release.stage},
          {"stage_entered_at", FormatRfc3339(release.stage_entered_at)},
          {"state", release.state},
          {"state_reason", release.state_reason},
          {"next_advance_at", OptionalTime(release.next_advance_at)},
          {"created_by", release.created_by},
          {"created_at", FormatRfc3339(release.created_at)},
          {"updated_at", FormatRfc3339(release.updated_at)},
          {"version_number", release.version}};
}

json::object ReleaseSummaryJson(const ReleaseRecord& release) {
  return {{"release", json::object{{"id", release.id},
                                   {"service", release.service},
                                   {"version", release.service_version},
                                   {"environment", Name(release.environment)},
                                   {"owner", release.owner},
                                   {"stage", CurrentStageName(release)},
                                   {"state", release.state}}},
          {"risk_tier", Name(release.risk_tier)},
          {"risk_reason", release.risk_reason},
          {"notes", Stored(release.notes_json)},
          {"identities", Strings(release.identities)},
          {"integrations", Strings(release.integrations)},
          {"flags", Strings(release.flags)}};
}

}  // namespace warden::releases
