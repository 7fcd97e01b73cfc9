#include "exposure/exposure_records_codec.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace warden::exposure {
namespace {

Status Corrupt(std::string_view what, const Status& why) {
  return Internal("stored " + std::string(what) +
                  " does not decode: " + why.message());
}

}  // namespace

Result<wire::FlagSpec> FlagSpecFromRecord(const FlagRecord& record) {
  const std::string what = "flag " + record.key;
  Result<boost::json::object> json =
      wire::ParseObject(record.definition_json, "definition");
  if (!json.ok()) return Corrupt(what, json.status());
  Result<wire::FlagSpec> spec = wire::FlagSpecFromJson(*json);
  if (!spec.ok()) return Corrupt(what, spec.status());
  spec->flag.state =
      record.enabled ? eval::FlagState::kEnabled : eval::FlagState::kDisabled;
  spec->stale_after_days = record.stale_after_days;
  return spec;
}

void FillFlagRecord(const wire::FlagSpec& spec, FlagRecord& record) {
  record.key = spec.flag.key;
  record.type = std::string(eval::FlagTypeName(spec.flag.type));
  record.enabled = spec.flag.state == eval::FlagState::kEnabled;
  record.owner_team = spec.flag.metadata.owner_team;
  record.release = spec.flag.metadata.release;
  record.description = spec.flag.metadata.description;
  record.stale_after_days = spec.stale_after_days;
  record.definition_json = boost::json::serialize(wire::FlagSpecToJson(spec));
}

Result<eval::Tenant> TenantFromRecord(const TenantRecord& record) {
  eval::Tenant tenant;
  tenant.key = record.key;
  tenant.account_manager = record.account_manager;
  Result<boost::json::object> attributes =
      wire::ParseObject(record.attributes_json, "attributes");
  if (!attributes.ok()) {
    return Corrupt("tenant " + record.key, attributes.status());
  }
  tenant.attributes = std::move(*attributes);
  tenant.integrations = record.integrations;
  return tenant;
}

Result<std::vector<eval::Condition>> SegmentRulesFromRecord(
    const SegmentRecord& record) {
  boost::system::error_code ec;
  boost::json::value rules = boost::json::parse(record.rules_json, ec);
  if (ec)
    return Internal("stored segment " + record.key + " rules: " + ec.message());
  Result<std::vector<eval::Condition>> conditions =
      wire::ConditionsFromJson(rules, "rules");
  if (!conditions.ok()) {
    return Corrupt("segment " + record.key, conditions.status());
  }
  return conditions;
}

Result<eval::ExposureLimit> LimitFromRecord(const ExposureLimitRecord& record) {
  // A release limit evaluates as a flags limit over the flags resolved
  // when it was set.
  Result<eval::LimitScope> scope =
      record.scope == kReleaseScope
          ? Result<eval::LimitScope>(eval::LimitScope::kFlags)
          : eval::ParseLimitScope(record.scope);
  if (!scope.ok())
    return Corrupt("exposure limit " + record.id, scope.status());
  eval::ExposureLimit limit;
  limit.id = record.id;
  limit.scope = *scope;
  limit.scope_values = record.scope_values;
  limit.flag_keys = record.flag_keys;
  limit.reason = record.reason;
  limit.actor = record.actor;
  return limit;
}

}  // namespace warden::exposure
