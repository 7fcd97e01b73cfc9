#include "eval/snapshot_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <unordered_set>

#include "eval/compiled_flag.h"
#include "eval/off_variant.h"
#include "eval/snapshot_data.h"

namespace warden::eval {
namespace {

bool ValueHasType(const boost::json::value& v, FlagType type) {
  switch (type) {
    case FlagType::kBoolean:
      return v.is_bool();
    case FlagType::kString:
      return v.is_string();
    case FlagType::kInteger:
      return v.is_int64() || v.is_uint64();
    case FlagType::kFloat:
      return v.is_number();
    case FlagType::kObject:
      return v.is_object();
  }
  return false;
}

// Links one snapshot: compiles the rule part (flags, limits, gates) of its
// sections; holds the partially compiled data until Finish().
class Compilation {
 public:
  Compilation(const EvalLimits& limits, SnapshotSections sections,
              uint64_t version)
      : limits_(limits), data_(std::make_unique<SnapshotData>()) {
    data_->sections = std::move(sections);
    data_->version = version;
  }

  Status Run() {
    WARDEN_RETURN_IF_ERROR(CompileFlags());
    WARDEN_RETURN_IF_ERROR(CompileLimits());
    for (const ReleaseGate& gate : *data_->sections.gates) CompileGate(gate);
    return Status::Ok();
  }

  std::unique_ptr<SnapshotData> Finish() { return std::move(data_); }

 private:
  const FlagSet& flag_set() const { return *data_->sections.flags; }

  const CompiledSegment* FindSegment(std::string_view key) const {
    return data_->sections.segments->Find(key);
  }

  Status CompileFlags() {
    if (flag_set().flags.size() > limits_.max_flags) {
      return InvalidArgument(
          fmt::format("flags: more than {} flags", limits_.max_flags));
    }
    for (const Flag& flag : flag_set().flags) {
      WARDEN_ASSIGN_OR_RETURN(auto compiled, CompileFlag(flag));
      std::string_view key = compiled->key;
      data_->ordered_flags.push_back(compiled.get());
      if (!data_->flags.emplace(key, std::move(compiled)).second) {
        return InvalidArgument(
            fmt::format("flags.{}: duplicate flag key", flag.key));
      }
    }
    std::vector<std::pair<std::string_view, const CompiledFlag*>> index;
    for (const auto& [key, flag] : data_->flags)
      index.emplace_back(key, flag.get());
    data_->flag_index.Build(index);
    std::sort(data_->ordered_flags.begin(), data_->ordered_flags.end(),
              [](const CompiledFlag* a, const CompiledFlag* b) {
                return a->key < b->key;
              });
    return Status::Ok();
  }

  Result<int> VariantIndex(const CompiledFlag& flag, std::string_view name,
                           const std::string& path) const {
    int index = flag.FindVariant(name);
    if (index < 0) {
      return InvalidArgument(
          fmt::format("{}: unknown variant \"{}\"", path, name));
    }
    return index;
  }

  Status CompileVariants(const Flag& flag, const std::string& path,
                         CompiledFlag* out) const {
    if (flag.variants.empty())
      return InvalidArgument(path + ".variants: empty");
    if (flag.variants.size() > limits_.max_variants_per_flag) {
      return InvalidArgument(fmt::format("{}.variants: more than {}", path,
                                         limits_.max_variants_per_flag));
    }
    std::set<std::string_view> names;
    for (const FlagVariant& variant : flag.variants) {
      std::string vpath = fmt::format("{}.variants.{}", path, variant.name);
      if (!names.insert(variant.name).second) {
        return InvalidArgument(vpath + ": duplicate variant");
      }
      if (!ValueHasType(variant.value, flag.type)) {
        return InvalidArgument(
            fmt::format("{}: value is not of the flag's type {}", vpath,
                        FlagTypeName(flag.type)));
      }
    }
    out->variants = flag.variants;
    if (flag.default_variant) {
      WARDEN_ASSIGN_OR_RETURN(
          out->default_variant,
          VariantIndex(*out, *flag.default_variant, path + ".defaultVariant"));
    }
    if (flag.off_variant) {
      WARDEN_RETURN_IF_ERROR(
          VariantIndex(*out, *flag.off_variant, path + ".offVariant").status());
    }
    const LimitedServe limited = ResolveLimitedServe(flag);
    out->limited_variant = limited.variant;
    out->limited_serves_false = limited.serves_false;
    return Status::Ok();
  }

  Status CompileRules(const Flag& flag, const std::string& path,
                      CompiledFlag* out) const {
    if (flag.rules.size() > limits_.max_rules_per_flag) {
      return InvalidArgument(fmt::format("{}.rules: more than {}", path,
                                         limits_.max_rules_per_flag));
    }
    auto find_segment = [this](std::string_view key) {
      return FindSegment(key);
    };
    for (size_t i = 0; i < flag.rules.size(); ++i) {
      const TargetingRule& rule = flag.rules[i];
      std::string rpath = fmt::format("{}.rules[{}]", path, i);
      if (rule.conditions.size() > limits_.max_conditions_per_rule) {
        return InvalidArgument(fmt::format("{}.conditions: more than {}", rpath,
                                           limits_.max_conditions_per_rule));
      }
      CompiledRule compiled;
      WARDEN_ASSIGN_OR_RETURN(
          compiled.variant,
          VariantIndex(*out, rule.variant, rpath + ".variant"));
      for (size_t j = 0; j < rule.conditions.size(); ++j) {
        WARDEN_ASSIGN_OR_RETURN(
            CompiledCondition c,
            CompiledCondition::Compile(
                rule.conditions[j], fmt::format("{}.conditions[{}]", rpath, j),
                find_segment, limits_));
        compiled.conditions.push_back(std::move(c));
      }
      out->rules.push_back(std::move(compiled));
    }
    return Status::Ok();
  }

  Status CompileRollout(const Flag& flag, const std::string& path,
                        CompiledFlag* out) const {
    if (flag.bucketing != kBucketingFlagdFractionalV2) {
      return InvalidArgument(fmt::format(
          "{}.bucketing: unsupported algorithm \"{}\"", path, flag.bucketing));
    }
    uint64_t total = 0;
    for (size_t i = 0; i < flag.rollout.size(); ++i) {
      const WeightedVariant& wv = flag.rollout[i];
      std::string wpath = fmt::format("{}.rollout[{}]", path, i);
      WARDEN_ASSIGN_OR_RETURN(int variant,
                              VariantIndex(*out, wv.variant, wpath));
      if (wv.weight < 0) return InvalidArgument(wpath + ": negative weight");
      total += static_cast<uint64_t>(wv.weight);
      out->rollout.emplace_back(variant, static_cast<uint32_t>(wv.weight));
    }
    if (total > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      return InvalidArgument(path + ".rollout: weights sum over 2^31-1");
    }
    out->rollout_total = static_cast<uint32_t>(total);
    out->rollout_hasher.Update(out->key);
    return Status::Ok();
  }

  Status CompileLogic(const Flag& flag, const std::string& path,
                      CompiledFlag* out) const {
    const boost::json::value& logic = *flag.json_logic;
    if (logic.is_object() && logic.get_object().empty()) return Status::Ok();
    if (!flag.rules.empty() || !flag.rollout.empty()) {
      return InvalidArgument(
          path + ": JsonLogic targeting excludes native rules and rollout");
    }
    WARDEN_ASSIGN_OR_RETURN(out->logic,
                            JsonLogic::Compile(logic, path + ".targeting",
                                               flag_set().evaluators, limits_));
    return Status::Ok();
  }

  void BuildMetadata(const Flag& flag, CompiledFlag* out) const {
    out->metadata = flag_set().metadata;
    for (const auto& [k, v] : flag.metadata.extra) out->metadata[k] = v;
    const FlagMetadata& m = flag.metadata;
    if (!m.owner_team.empty()) out->metadata["owner"] = m.owner_team;
    if (!m.release.empty()) out->metadata["release"] = m.release;
    if (!m.description.empty()) out->metadata["description"] = m.description;
  }

  Result<std::unique_ptr<CompiledFlag>> CompileFlag(const Flag& flag) const {
    std::string path = "flags." + flag.key;
    if (flag.key.empty()) return InvalidArgument("flags: empty flag key");
    auto out = std::make_unique<CompiledFlag>();
    out->key = flag.key;
    out->type = flag.type;
    out->enabled = flag.state == FlagState::kEnabled;
    WARDEN_RETURN_IF_ERROR(CompileVariants(flag, path, out.get()));
    WARDEN_RETURN_IF_ERROR(CompileRules(flag, path, out.get()));
    WARDEN_RETURN_IF_ERROR(CompileRollout(flag, path, out.get()));
    if (flag.json_logic) {
      WARDEN_RETURN_IF_ERROR(CompileLogic(flag, path, out.get()));
    }
    BuildMetadata(flag, out.get());
    return out;
  }

  Status CompileLimit(const ExposureLimit& limit, const std::string& path) {
    auto compiled = std::make_unique<CompiledLimit>();
    compiled->id = limit.id;
    compiled->scope = limit.scope;
    if (limit.scope != LimitScope::kFlags && limit.scope_values.empty()) {
      return InvalidArgument(path + ": scope_values empty");
    }
    for (const std::string& value : limit.scope_values) {
      compiled->values.insert(value);
      if (limit.scope != LimitScope::kSegment) continue;
      const CompiledSegment* segment = FindSegment(value);
      if (segment == nullptr) {
        return InvalidArgument(
            fmt::format("{}: unknown segment \"{}\"", path, value));
      }
      compiled->segments.push_back(segment);
    }
    for (const std::string& key : limit.flag_keys) {
      auto it = data_->flags.find(std::string_view(key));
      if (it == data_->flags.end()) {
        return InvalidArgument(
            fmt::format("{}: unknown flag \"{}\"", path, key));
      }
      it->second->limits.push_back(compiled.get());
    }
    compiled->covers_all_flags = limit.flag_keys.empty();
    if (limit.flag_keys.empty()) {
      for (auto& [key, flag] : data_->flags)
        flag->limits.push_back(compiled.get());
    }
    data_->limits.push_back(std::move(compiled));
    return Status::Ok();
  }

  Status CompileLimits() {
    std::set<std::string_view> ids;
    const std::vector<ExposureLimit>& limits = *data_->sections.limits;
    for (size_t i = 0; i < limits.size(); ++i) {
      const ExposureLimit& limit = limits[i];
      std::string path = fmt::format("limits[{}] ({})", i, limit.id);
      if (limit.id.empty() || !ids.insert(limit.id).second) {
        return InvalidArgument(path + ": empty or duplicate id");
      }
      WARDEN_RETURN_IF_ERROR(CompileLimit(limit, path));
    }
    return Status::Ok();
  }

  // Gates come from release records, which may name flags or segments an
  // environment does not have (yet): those are skipped, never an error.
  void CompileGate(const ReleaseGate& gate) {
    auto compiled = std::make_unique<CompiledGate>();
    compiled->release_id = gate.release_id;
    compiled->stage = gate.stage;
    compiled->everyone = gate.everyone;
    compiled->tenants.insert(gate.tenants.begin(), gate.tenants.end());
    for (const std::string& key : gate.segments) {
      if (const CompiledSegment* segment = FindSegment(key)) {
        compiled->segments.push_back(segment);
      }
    }
    const double percentage = std::clamp(gate.percentage, 0.0, 100.0);
    compiled->percentage_bound = static_cast<uint32_t>(percentage * 100);
    compiled->cleared_flags.insert(gate.cleared_flags.begin(),
                                   gate.cleared_flags.end());
    compiled->cleared_tenants.insert(gate.cleared_tenants.begin(),
                                     gate.cleared_tenants.end());
    compiled->pending_approvals.insert(gate.pending_approvals.begin(),
                                       gate.pending_approvals.end());
    for (const auto& [flag, tenants] : gate.opt_ins) {
      compiled->opt_ins[flag].insert(tenants.begin(), tenants.end());
    }
    for (const std::string& key : gate.flag_keys) {
      auto it = data_->flags.find(std::string_view(key));
      if (it != data_->flags.end()) it->second->gates.push_back(compiled.get());
    }
    data_->gates.push_back(std::move(compiled));
  }

  const EvalLimits& limits_;
  std::unique_ptr<SnapshotData> data_;
};

// Any key repeated in `keys`, or an empty one: the index of the first
// offender and what is wrong with it; nullopt when every key is good.
template <typename T, typename KeyOf>
std::optional<std::pair<size_t, bool>> FirstBadKey(const std::vector<T>& items,
                                                   KeyOf key_of) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    std::string_view key = key_of(items[i]);
    if (key.empty()) return std::make_pair(i, /*empty=*/true);
    if (!seen.insert(key).second) return std::make_pair(i, /*empty=*/false);
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const TenantTable>> SnapshotBuilder::CompileTenants(
    std::vector<Tenant> tenants) const {
  std::shared_ptr<TenantTable> table(new TenantTable());
  table->tenants_ = std::move(tenants);
  std::vector<std::pair<std::string_view, const Tenant*>> entries;
  entries.reserve(table->tenants_.size());
  bool any_empty = false;
  for (const Tenant& tenant : table->tenants_) {
    any_empty |= tenant.key.empty();
    entries.emplace_back(tenant.key, &tenant);
  }
  // The index finds duplicates as it goes; the rare failure looks again
  // for the first offender, to name it.
  if (!table->index_.Build(entries) || any_empty) {
    auto bad =
        FirstBadKey(table->tenants_,
                    [](const Tenant& t) -> std::string_view { return t.key; });
    if (bad && bad->second) {
      return InvalidArgument(fmt::format("tenants[{}]: empty key", bad->first));
    }
    if (bad) {
      return InvalidArgument(fmt::format("tenants[{}]: duplicate tenant \"{}\"",
                                         bad->first,
                                         table->tenants_[bad->first].key));
    }
  }
  return std::shared_ptr<const TenantTable>(std::move(table));
}

Result<std::shared_ptr<const SegmentTable>> SnapshotBuilder::CompileSegments(
    std::vector<Segment> segments) const {
  std::shared_ptr<SegmentTable> table(new SegmentTable());
  table->segments_ = std::move(segments);
  auto no_segments = [](std::string_view) -> const CompiledSegment* {
    return nullptr;
  };
  for (size_t i = 0; i < table->segments_.size(); ++i) {
    const Segment& segment = table->segments_[i];
    std::string path = fmt::format("segments.{}", segment.key);
    if (segment.key.empty() || table->Find(segment.key) != nullptr) {
      return InvalidArgument(
          fmt::format("segments[{}]: empty or duplicate key", i));
    }
    if (segment.tenant_keys.size() > limits_.max_segment_tenants) {
      return InvalidArgument(fmt::format("{}: more than {} tenants", path,
                                         limits_.max_segment_tenants));
    }
    auto compiled = std::make_unique<CompiledSegment>();
    compiled->key = segment.key;
    std::vector<std::pair<std::string_view, bool>> members;
    members.reserve(segment.tenant_keys.size());
    for (const std::string& key : segment.tenant_keys) {
      members.emplace_back(key, true);
    }
    compiled->members.Build(members);  // duplicates are harmless
    for (size_t j = 0; j < segment.rules.size(); ++j) {
      WARDEN_ASSIGN_OR_RETURN(
          CompiledCondition c,
          CompiledCondition::Compile(segment.rules[j],
                                     fmt::format("{}.rules[{}]", path, j),
                                     no_segments, limits_));
      compiled->rules.push_back(std::move(c));
    }
    table->by_key_.emplace(compiled->key, compiled.get());
    table->compiled_.push_back(std::move(compiled));
  }
  return std::shared_ptr<const SegmentTable>(std::move(table));
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Build(
    EnvironmentConfig config, uint64_t version) const {
  SnapshotSections sections;
  WARDEN_ASSIGN_OR_RETURN(sections.tenants,
                          CompileTenants(std::move(config.tenants)));
  WARDEN_ASSIGN_OR_RETURN(sections.segments,
                          CompileSegments(std::move(config.segments)));
  sections.flags = std::make_shared<const FlagSet>(
      FlagSet{std::move(config.flags), std::move(config.evaluators),
              std::move(config.metadata)});
  sections.limits = std::make_shared<const std::vector<ExposureLimit>>(
      std::move(config.limits));
  sections.gates =
      std::make_shared<const std::vector<ReleaseGate>>(std::move(config.gates));
  sections.bound_tenant = std::move(config.bound_tenant);
  return Link(std::move(sections), version);
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Link(
    SnapshotSections sections, uint64_t version) const {
  if (!sections.flags) sections.flags = std::make_shared<const FlagSet>();
  if (!sections.tenants) {
    sections.tenants = std::shared_ptr<const TenantTable>(new TenantTable());
  }
  if (!sections.segments) {
    sections.segments = std::shared_ptr<const SegmentTable>(new SegmentTable());
  }
  if (!sections.limits) {
    sections.limits = std::make_shared<const std::vector<ExposureLimit>>();
  }
  if (!sections.gates) {
    sections.gates = std::make_shared<const std::vector<ReleaseGate>>();
  }
  Compilation compilation(limits_, std::move(sections), version);
  WARDEN_RETURN_IF_ERROR(compilation.Run());
  return std::shared_ptr<const Snapshot>(new Snapshot(compilation.Finish()));
}

}  // namespace warden::eval
