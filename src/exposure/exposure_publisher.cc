#include "exposure/exposure_publisher.h"

#include <fmt/format.h>

#include <algorithm>
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
// flag list is cut down to `flags`, the environment's; a limit naming
// flags of which none exist here covers nothing here (an empty list would
// mean "all flags").
Status LoadLimits(Transaction& tx, Environment env,
                  const std::vector<eval::Flag>& env_flags,
                  eval::EnvironmentConfig& config) {
  std::set<std::string_view> flags;
  for (const eval::Flag& flag : env_flags) flags.insert(flag.key);
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

// Reads `sections` of `env` into `config` (the others stay empty).
// `base_flags`: the environment's flags when kFlags is not reloaded.
Status Reload(Transaction& tx, Environment env, ExposureSection sections,
              const GateLoader& gate_loader,
              const std::vector<eval::Flag>& base_flags,
              eval::EnvironmentConfig& config) {
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
    const bool flags_reloaded = Contains(sections, ExposureSection::kFlags);
    WARDEN_RETURN_IF_ERROR(LoadLimits(
        tx, env, flags_reloaded ? config.flags : base_flags, config));
  }
  if (Contains(sections, ExposureSection::kGates) && gate_loader) {
    WARDEN_ASSIGN_OR_RETURN(config.gates, gate_loader(tx, env));
  }
  return Status::Ok();
}

// One wire section as it sits in the wire JSON: `,"name":text`.
WireText::Piece SectionPiece(std::string_view name, std::string_view text) {
  std::string piece;
  piece.reserve(name.size() + text.size() + 4);
  piece += ",\"";
  piece += name;  // the section names need no escaping
  piece += "\":";
  piece += text;
  return std::make_shared<const std::string>(std::move(piece));
}

// Indexes in ExposurePublisher::kWireSections.
enum WireSectionIndex : size_t {
  kFlagsText,
  kEvaluatorsText,
  kMetadataText,
  kTenantsText,
  kSegmentsText,
  kLimitsText,
  kGatesText,
};

WireText::Piece SerializeSection(WireSectionIndex index,
                                 const eval::EnvironmentConfig& config) {
  const char* name = ExposurePublisher::kWireSections[index];
  switch (index) {
    case kFlagsText:
      return SectionPiece(name, json::serialize(wire::FlagsToWire(config)));
    case kEvaluatorsText:
      return SectionPiece(name, json::serialize(config.evaluators));
    case kMetadataText:
      return SectionPiece(name, json::serialize(config.metadata));
    case kTenantsText:
      return SectionPiece(name, json::serialize(wire::TenantsToWire(config)));
    case kSegmentsText:
      return SectionPiece(name, json::serialize(wire::SegmentsToWire(config)));
    case kLimitsText:
      return SectionPiece(name, json::serialize(wire::LimitsToWire(config)));
    case kGatesText:
      return SectionPiece(name, json::serialize(wire::GatesToWire(config)));
  }
  return nullptr;
}

bool SameJson(const json::object& a, const json::object& b) { return a == b; }

bool SameTenant(const eval::Tenant& a, const eval::Tenant& b) {
  return a.key == b.key && a.account_manager == b.account_manager &&
         a.integrations == b.integrations &&
         SameJson(a.attributes, b.attributes);
}

bool SameCondition(const eval::Condition& a, const eval::Condition& b) {
  return a.attribute == b.attribute && a.op == b.op && a.operand == b.operand;
}

bool SameSegment(const eval::Segment& a, const eval::Segment& b) {
  return a.key == b.key && a.tenant_keys == b.tenant_keys &&
         std::equal(a.rules.begin(), a.rules.end(), b.rules.begin(),
                    b.rules.end(), SameCondition);
}

template <typename T, typename Same>
bool SameList(const std::vector<T>& a, const std::vector<T>& b, Same same) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same);
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
  WARDEN_RETURN_IF_ERROR(LoadLimits(tx, env, config.flags, config));
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
  const size_t index = static_cast<size_t>(env);
  if (status.ok()) {
    published_at_us_[index].store(ToMicros(clock_.Now()),
                                  std::memory_order_relaxed);
  }
  in_sync_[index].store(status.ok(), std::memory_order_release);
  return status;
}

ExposurePublisher::PublishState ExposurePublisher::State(
    Environment env) const {
  const size_t index = static_cast<size_t>(env);
  PublishState state;
  state.in_sync = in_sync_[index].load(std::memory_order_acquire);
  state.published_at =
      FromMicros(published_at_us_[index].load(std::memory_order_relaxed));
  return state;
}

Status ExposurePublisher::PublishLocked(Environment env,
                                        const json::object& change,
                                        ExposureSection sections,
                                        Published& last) {
  const ExposureSection reload =
      last.snapshot ? Widen(sections) : ExposureSection::kAll;
  eval::SnapshotSections next =
      last.snapshot ? last.snapshot->sections() : eval::SnapshotSections{};
  static const std::vector<eval::Flag> kNoFlags;
  const std::vector<eval::Flag>& base_flags =
      next.flags ? next.flags->flags : kNoFlags;
  // Holds only the reloaded sections.
  eval::EnvironmentConfig loaded;
  // A copy: the read runs in a lambda the analysis cannot see the lock in.
  const GateLoader gate_loader = gate_loader_;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    return Reload(tx, env, reload, gate_loader, base_flags, loaded);
  }));
  std::array<WireText::Piece, kWireSections.size()> pieces = last.wire_sections;
  std::array<std::string, kWireSections.size()> digests = last.section_digests;
  WARDEN_RETURN_IF_ERROR(
      ReplaceSections(reload, loaded, next, pieces, digests)
          .WithContext(fmt::format("publish {}", Name(env))));
  // Only this object publishes, under publish_mu_: the next revision is
  // known before Publish assigns it, so the wire JSON can carry it. A patch
  // needs the client's base to be what this object last published.
  const int64_t revision = feed_.Current(env)->revision + 1;
  Result<std::shared_ptr<const eval::Snapshot>> snapshot =
      eval::SnapshotBuilder(limits_).Link(next,
                                          static_cast<uint64_t>(revision));
  if (!snapshot.ok()) {
    return snapshot.status().WithContext(fmt::format("publish {}", Name(env)));
  }
  auto published = std::make_shared<PublishedConfig>();
  const std::string head =
      fmt::format(R"({{"environment":"{}","revision":{})", Name(env), revision);
  std::vector<WireText::Piece> wire{std::make_shared<const std::string>(head)};
  std::string patch;
  // A strong validator of the wire: a function of its every byte, without
  // hashing the unchanged (megabyte) sections again.
  std::string digest_input = head;
  for (size_t i = 0; i < kWireSections.size(); ++i) {
    wire.push_back(pieces[i]);
    digest_input += digests[i];
    if (pieces[i] != last.wire_sections[i] &&
        (last.wire_sections[i] == nullptr ||
         *pieces[i] != *last.wire_sections[i])) {
      patch += patch.empty() ? "{" + pieces[i]->substr(1) : *pieces[i];
    }
  }
  wire.push_back(std::make_shared<const std::string>("}"));
  published->wire_json = WireText(std::move(wire));
  const bool patchable = last.revision > 0 && last.revision == revision - 1;
  if (patchable) published->patch_json = patch.empty() ? "{}" : patch + "}";
  published->etag = "\"" + Sha256Hex(digest_input).substr(0, 32) + "\"";
  published->change_json = change.empty() ? "" : json::serialize(change);
  published->snapshot = *snapshot;
  feed_.Publish(env, std::move(published));
  last.snapshot = std::move(*snapshot);
  last.revision = revision;
  last.wire_sections = std::move(pieces);
  last.section_digests = std::move(digests);
  return Status::Ok();
}

Status ExposurePublisher::ReplaceSections(
    ExposureSection reload, eval::EnvironmentConfig& loaded,
    eval::SnapshotSections& next,
    std::array<WireText::Piece, kWireSections.size()>& pieces,
    std::array<std::string, kWireSections.size()>& digests) {
  auto replace_text = [&](WireSectionIndex index) {
    pieces[index] = SerializeSection(index, loaded);
    digests[index] = Sha256Hex(*pieces[index]);
  };
  const eval::SnapshotBuilder builder(limits_);
  if (Contains(reload, ExposureSection::kFlags)) {
    for (WireSectionIndex i : {kFlagsText, kEvaluatorsText, kMetadataText}) {
      replace_text(i);
    }
    next.flags = std::make_shared<const eval::FlagSet>(
        eval::FlagSet{std::move(loaded.flags), std::move(loaded.evaluators),
                      std::move(loaded.metadata)});
  }
  if (Contains(reload, ExposureSection::kTenants)) {
    SharedSection<eval::TenantTable>& shared = shared_tenants_;
    if (!shared.table ||
        !SameList(shared.table->tenants(), loaded.tenants, SameTenant)) {
      replace_text(kTenantsText);
      WARDEN_ASSIGN_OR_RETURN(
          shared.table, builder.CompileTenants(std::move(loaded.tenants)));
      shared.piece = pieces[kTenantsText];
      shared.digest = digests[kTenantsText];
    }
    next.tenants = shared.table;
    pieces[kTenantsText] = shared.piece;
    digests[kTenantsText] = shared.digest;
  }
  if (Contains(reload, ExposureSection::kSegments)) {
    SharedSection<eval::SegmentTable>& shared = shared_segments_;
    if (!shared.table ||
        !SameList(shared.table->segments(), loaded.segments, SameSegment)) {
      replace_text(kSegmentsText);
      WARDEN_ASSIGN_OR_RETURN(
          shared.table, builder.CompileSegments(std::move(loaded.segments)));
      shared.piece = pieces[kSegmentsText];
      shared.digest = digests[kSegmentsText];
    }
    next.segments = shared.table;
    pieces[kSegmentsText] = shared.piece;
    digests[kSegmentsText] = shared.digest;
  }
  if (Contains(reload, ExposureSection::kLimits)) {
    replace_text(kLimitsText);
    next.limits = std::make_shared<const std::vector<eval::ExposureLimit>>(
        std::move(loaded.limits));
  }
  if (Contains(reload, ExposureSection::kGates)) {
    replace_text(kGatesText);
    next.gates = std::make_shared<const std::vector<eval::ReleaseGate>>(
        std::move(loaded.gates));
  }
  return Status::Ok();
}

Status ExposurePublisher::PublishAll(const json::object& change,
                                     ExposureSection sections) {
  // The environment subscribers wait on first: with every environment
  // published on one thread, the last one's stream would otherwise wait
  // for the other two builds.
  std::array<std::pair<size_t, Environment>, std::size(kAllEnvironments)> order;
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = {feed_.SubscriberCount(kAllEnvironments[i]),
                kAllEnvironments[i]};
  }
  std::stable_sort(
      order.begin(), order.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  Status first;
  for (const auto& [subscribers, env] : order) {
    Status status = Publish(env, change, sections);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

}  // namespace warden::exposure
