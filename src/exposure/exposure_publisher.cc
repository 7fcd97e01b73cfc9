#include "exposure/exposure_publisher.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <optional>
#include <set>

#include "core/crypto.h"
#include "eval/snapshot_builder.h"
#include "exposure/exposure_records_codec.h"
#include "wire/exposure_wire.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

Result<json::object> LoadSettingObject(Transaction& tx,
                                       const std::string& key) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          tx.settings().Get(key));
  if (!text) return json::object{};
  Result<json::object> parsed = wire::ParseObject(*text, key);
  if (!parsed.ok()) return Internal("setting " + key + " does not decode");
  return parsed;
}

Status LoadFlags(Transaction& tx, Environment env,
                 eval::EnvironmentConfig& config) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<FlagRecord> records,
                          tx.flags().List(env, /*include_archived=*/false));
  config.flags.clear();
  for (const FlagRecord& record : records) {
    WARDEN_ASSIGN_OR_RETURN(wire::FlagSpec spec, FlagSpecFromRecord(record));
    config.flags.push_back(std::move(spec.flag));
  }
  WARDEN_ASSIGN_OR_RETURN(config.evaluators,
                          LoadSettingObject(tx, EvaluatorsSettingKey(env)));
  WARDEN_ASSIGN_OR_RETURN(
      config.metadata, LoadSettingObject(tx, FlagSetMetadataSettingKey(env)));
  return Status::Ok();
}

Status LoadTenants(Transaction& tx, eval::EnvironmentConfig& config) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<TenantRecord> tenants,
                          tx.tenants().List());
  config.tenants.clear();
  config.tenants.reserve(tenants.size());
  for (const TenantRecord& record : tenants) {
    WARDEN_ASSIGN_OR_RETURN(eval::Tenant tenant, TenantFromRecord(record));
    config.tenants.push_back(std::move(tenant));
  }
  return Status::Ok();
}

Status LoadSegments(Transaction& tx, bool with_members,
                    eval::EnvironmentConfig& config) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<SegmentRecord> segments,
                          tx.segments().List());
  config.segments.clear();
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
  config.limits.clear();
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

using WireSectionTexts = std::array<std::optional<std::string>,
                                    ExposurePublisher::kWireSections.size()>;

// The same dependencies as the wire: what else a reload of `sections`
// must reload (see ExposureSection).
ExposureSection Widen(ExposureSection sections) {
  if (Contains(sections, ExposureSection::kFlags)) {
    sections = sections | ExposureSection::kLimits;
  }
  if (Contains(sections, ExposureSection::kTenants)) {
    sections = sections | ExposureSection::kSegments;
  }
  return sections;
}

Status Reload(Transaction& tx, Environment env, ExposureSection sections,
              const GateLoader& gate_loader, eval::EnvironmentConfig& config) {
  if (Contains(sections, ExposureSection::kFlags)) {
    WARDEN_RETURN_IF_ERROR(LoadFlags(tx, env, config));
  }
  if (Contains(sections, ExposureSection::kTenants)) {
    WARDEN_RETURN_IF_ERROR(LoadTenants(tx, config));
  }
  if (Contains(sections, ExposureSection::kSegments)) {
    WARDEN_RETURN_IF_ERROR(LoadSegments(tx, /*with_members=*/true, config));
  }
  if (Contains(sections, ExposureSection::kLimits)) {
    WARDEN_RETURN_IF_ERROR(LoadLimits(tx, env, config));
  }
  if (Contains(sections, ExposureSection::kGates) && gate_loader) {
    WARDEN_ASSIGN_OR_RETURN(config.gates, gate_loader(tx, env));
  }
  return Status::Ok();
}

// The serialised wire sections of the reloaded `sections` (indexes as in
// kWireSections); the others stay nullopt.
WireSectionTexts SerializeSections(const eval::EnvironmentConfig& config,
                                   ExposureSection sections) {
  WireSectionTexts texts;
  if (Contains(sections, ExposureSection::kFlags)) {
    texts[0] = json::serialize(wire::FlagsToWire(config));
    texts[1] = json::serialize(config.evaluators);
    texts[2] = json::serialize(config.metadata);
  }
  if (Contains(sections, ExposureSection::kTenants)) {
    texts[3] = json::serialize(wire::TenantsToWire(config));
  }
  if (Contains(sections, ExposureSection::kSegments)) {
    texts[4] = json::serialize(wire::SegmentsToWire(config));
  }
  if (Contains(sections, ExposureSection::kLimits)) {
    texts[5] = json::serialize(wire::LimitsToWire(config));
  }
  if (Contains(sections, ExposureSection::kGates)) {
    texts[6] = json::serialize(wire::GatesToWire(config));
  }
  return texts;
}

void AppendMember(std::string& out, std::string_view name,
                  std::string_view text) {
  out += '"';
  out += name;  // the section names need no escaping
  out += "\":";
  out += text;
}

}  // namespace

void ExposurePublisher::SetGateLoader(GateLoader loader) {
  MutexLock lock(publish_mu_);
  gate_loader_ = std::move(loader);
}

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
  if (with_members) WARDEN_RETURN_IF_ERROR(LoadTenants(tx, config));
  WARDEN_RETURN_IF_ERROR(LoadSegments(tx, with_members, config));
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

Status ExposurePublisher::Publish(Environment env, const json::object& change,
                                  ExposureSection sections) {
  MutexLock lock(publish_mu_);
  Published& last = published_[static_cast<size_t>(env)];
  Status status = PublishLocked(env, change, sections, last);
  // A failed publish may have left the store ahead of `last` in sections
  // it did not reload: the next one reloads everything.
  if (!status.ok()) last.snapshot.reset();
  return status;
}

Status ExposurePublisher::PublishLocked(Environment env,
                                        const json::object& change,
                                        ExposureSection sections,
                                        Published& last) {
  const ExposureSection reload =
      last.snapshot ? Widen(sections) : ExposureSection::kAll;
  eval::EnvironmentConfig config =
      last.snapshot ? last.snapshot->config() : eval::EnvironmentConfig{};
  // A copy: the read runs in a lambda the analysis cannot see the lock in.
  const GateLoader gate_loader = gate_loader_;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    return Reload(tx, env, reload, gate_loader, config);
  }));
  WireSectionTexts texts = SerializeSections(config, reload);
  // Only this object publishes, under publish_mu_: the next revision is
  // known before Publish assigns it, so the wire JSON can carry it. A patch
  // needs the client's base to be what this object last published.
  const int64_t revision = feed_.Current(env)->revision + 1;
  const bool patchable = last.revision > 0 && last.revision == revision - 1;
  auto published = std::make_shared<PublishedConfig>();
  std::string& wire = published->wire_json;
  wire =
      fmt::format(R"({{"environment":"{}","revision":{})", Name(env), revision);
  std::string patch;
  std::array<std::string, kWireSections.size()> digests = last.section_digests;
  std::string digest_input = wire;  // environment and revision
  for (size_t i = 0; i < kWireSections.size(); ++i) {
    const std::string& text = texts[i] ? *texts[i] : last.wire_sections[i];
    if (texts[i]) digests[i] = Sha256Hex(*texts[i]);
    digest_input += digests[i];
    wire += ',';
    AppendMember(wire, kWireSections[i], text);
    if (texts[i] && *texts[i] != last.wire_sections[i]) {
      patch += patch.empty() ? '{' : ',';
      AppendMember(patch, kWireSections[i], text);
    }
  }
  wire += '}';
  if (patchable) published->patch_json = patch.empty() ? "{}" : patch + "}";
  // A strong validator of `wire`: a function of its every byte, without
  // hashing the unchanged (megabyte) sections again.
  published->etag = "\"" + Sha256Hex(digest_input).substr(0, 32) + "\"";
  published->change_json = change.empty() ? "" : json::serialize(change);
  Result<std::shared_ptr<const eval::Snapshot>> snapshot =
      eval::SnapshotBuilder(limits_).Build(std::move(config),
                                           static_cast<uint64_t>(revision));
  if (!snapshot.ok()) {
    return snapshot.status().WithContext(fmt::format("publish {}", Name(env)));
  }
  published->snapshot = *snapshot;
  feed_.Publish(env, std::move(published));
  last.snapshot = std::move(*snapshot);
  last.revision = revision;
  last.section_digests = std::move(digests);
  for (size_t i = 0; i < kWireSections.size(); ++i) {
    if (texts[i]) last.wire_sections[i] = std::move(*texts[i]);
  }
  return Status::Ok();
}

Status ExposurePublisher::PublishAll(const json::object& change,
                                     ExposureSection sections) {
  Status first;
  for (Environment env : kAllEnvironments) {
    Status status = Publish(env, change, sections);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

}  // namespace warden::exposure
