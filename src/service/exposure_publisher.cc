#include "service/exposure_publisher.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <set>

#include "core/crypto.h"
#include "eval/snapshot_builder.h"
#include "service/exposure_records_codec.h"

namespace warden {
namespace {

namespace json = boost::json;

Result<json::object> LoadSettingObject(Transaction& tx,
                                       const std::string& key) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          tx.settings().Get(key));
  if (!text) return json::object{};
  Result<json::object> parsed = ParseObject(*text, key);
  if (!parsed.ok()) return Internal("setting " + key + " does not decode");
  return parsed;
}

Status LoadFlags(Transaction& tx, Environment env,
                 eval::EnvironmentConfig& config) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<FlagRecord> records,
                          tx.flags().List(env, /*include_archived=*/false));
  for (const FlagRecord& record : records) {
    WARDEN_ASSIGN_OR_RETURN(FlagSpec spec, FlagSpecFromRecord(record));
    config.flags.push_back(std::move(spec.flag));
  }
  WARDEN_ASSIGN_OR_RETURN(config.evaluators,
                          LoadSettingObject(tx, EvaluatorsSettingKey(env)));
  WARDEN_ASSIGN_OR_RETURN(
      config.metadata, LoadSettingObject(tx, FlagSetMetadataSettingKey(env)));
  return Status::Ok();
}

Status LoadTenantsAndSegments(Transaction& tx, bool with_members,
                              eval::EnvironmentConfig& config) {
  if (with_members) {
    WARDEN_ASSIGN_OR_RETURN(std::vector<TenantRecord> tenants,
                            tx.tenants().List());
    for (const TenantRecord& record : tenants) {
      WARDEN_ASSIGN_OR_RETURN(eval::Tenant tenant, TenantFromRecord(record));
      config.tenants.push_back(std::move(tenant));
    }
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<SegmentRecord> segments,
                          tx.segments().List());
  for (const SegmentRecord& record : segments) {
    eval::Segment segment;
    segment.key = record.key;
    WARDEN_ASSIGN_OR_RETURN(segment.rules, SegmentRulesFromRecord(record));
    if (with_members) {
      WARDEN_ASSIGN_OR_RETURN(segment.tenant_keys,
                              tx.segments().ListTenants(record.key));
    }
    config.segments.push_back(std::move(segment));
  }
  return Status::Ok();
}

// A limit applies to `env` when it names no environment or this one. Its
// flag list is cut down to the flags this environment has; a limit naming
// flags of which none exist here covers nothing here (an empty list would
// mean "all flags").
Status LoadLimits(Transaction& tx, Environment env,
                  eval::EnvironmentConfig& config) {
  std::set<std::string_view> flags;
  for (const eval::Flag& flag : config.flags) flags.insert(flag.key);
  WARDEN_ASSIGN_OR_RETURN(std::vector<ExposureLimitRecord> records,
                          tx.exposure_limits().List(/*active_only=*/true));
  for (const ExposureLimitRecord& record : records) {
    if (record.environment && *record.environment != env) continue;
    WARDEN_ASSIGN_OR_RETURN(eval::ExposureLimit limit, LimitFromRecord(record));
    if (!limit.flag_keys.empty()) {
      std::erase_if(limit.flag_keys, [&](const std::string& key) {
        return flags.count(key) == 0;
      });
      if (limit.flag_keys.empty()) continue;
    }
    config.limits.push_back(std::move(limit));
  }
  return Status::Ok();
}

json::object TenantToWire(const eval::Tenant& tenant) {
  return {{"key", tenant.key},
          {"account_manager", tenant.account_manager},
          {"attributes", tenant.attributes},
          {"integrations", StringListToJson(tenant.integrations)}};
}

json::object LimitToWire(const eval::ExposureLimit& limit) {
  return {{"id", limit.id},
          {"scope", eval::LimitScopeName(limit.scope)},
          {"values", StringListToJson(limit.scope_values)},
          {"flags", StringListToJson(limit.flag_keys)},
          {"reason", limit.reason}};
}

// The configuration as the stream and SDKs ship it.
std::string WireJson(const eval::EnvironmentConfig& config, Environment env,
                     int64_t revision) {
  json::object flags;
  for (const eval::Flag& flag : config.flags) {
    flags[flag.key] = FlagSpecToJson(FlagSpec{flag, kDefaultStaleAfterDays});
    flags[flag.key].as_object().erase("stale_after_days");
  }
  json::array tenants;
  for (const eval::Tenant& tenant : config.tenants) {
    tenants.push_back(TenantToWire(tenant));
  }
  json::array segments;
  for (const eval::Segment& segment : config.segments) {
    segments.push_back(
        json::object{{"key", segment.key},
                     {"tenants", StringListToJson(segment.tenant_keys)},
                     {"rules", ConditionsToJson(segment.rules)}});
  }
  json::array limits;
  for (const eval::ExposureLimit& limit : config.limits) {
    limits.push_back(LimitToWire(limit));
  }
  return json::serialize(json::object{{"environment", Name(env)},
                                      {"revision", revision},
                                      {"flags", std::move(flags)},
                                      {"$evaluators", config.evaluators},
                                      {"metadata", config.metadata},
                                      {"tenants", std::move(tenants)},
                                      {"segments", std::move(segments)},
                                      {"limits", std::move(limits)}});
}

}  // namespace

std::string EvaluatorsSettingKey(Environment env) {
  return fmt::format("exposure.{}.evaluators", Name(env));
}

std::string FlagSetMetadataSettingKey(Environment env) {
  return fmt::format("exposure.{}.metadata", Name(env));
}

Result<eval::EnvironmentConfig> ExposurePublisher::Load(Transaction& tx,
                                                        Environment env,
                                                        bool with_members) {
  eval::EnvironmentConfig config;
  WARDEN_RETURN_IF_ERROR(LoadFlags(tx, env, config));
  WARDEN_RETURN_IF_ERROR(LoadTenantsAndSegments(tx, with_members, config));
  WARDEN_RETURN_IF_ERROR(LoadLimits(tx, env, config));
  return config;
}

Status ExposurePublisher::ValidateInTransaction(Transaction& tx,
                                                Environment env) const {
  WARDEN_ASSIGN_OR_RETURN(eval::EnvironmentConfig config,
                          Load(tx, env, /*with_members=*/false));
  Result<std::shared_ptr<const eval::Snapshot>> built =
      eval::SnapshotBuilder(limits_).Build(std::move(config));
  if (built.ok()) return Status::Ok();
  return InvalidArgument(built.status().message(),
                         built.status().problem().empty()
                             ? std::string("invalid-flag-config")
                             : built.status().problem());
}

Status ExposurePublisher::Publish(Environment env, const json::object& change) {
  std::lock_guard<std::mutex> lock(publish_mu_);
  eval::EnvironmentConfig config;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(config, Load(tx, env, /*with_members=*/true));
    return Status::Ok();
  }));
  // Only this object publishes, under publish_mu_: the next revision is
  // known before Publish assigns it, so the wire JSON can carry it.
  const int64_t revision = feed_.Current(env)->revision + 1;
  auto published = std::make_shared<PublishedConfig>();
  published->wire_json = WireJson(config, env, revision);
  published->etag = "\"" + Sha256Hex(published->wire_json).substr(0, 32) + "\"";
  published->change_json = change.empty() ? "" : json::serialize(change);
  Result<std::shared_ptr<const eval::Snapshot>> snapshot =
      eval::SnapshotBuilder(limits_).Build(std::move(config),
                                           static_cast<uint64_t>(revision));
  if (!snapshot.ok()) {
    return snapshot.status().WithContext(fmt::format("publish {}", Name(env)));
  }
  published->snapshot = std::move(*snapshot);
  feed_.Publish(env, std::move(published));
  return Status::Ok();
}

Status ExposurePublisher::PublishAll(const json::object& change) {
  Status first;
  for (Environment env : kAllEnvironments) {
    Status status = Publish(env, change);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

}  // namespace warden
