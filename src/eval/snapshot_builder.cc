#include "eval/snapshot_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

#include "eval/compiled_flag.h"
#include "eval/off_variant.h"

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

// Builds one snapshot; holds the partially compiled data until Finish().
class Compilation {
 public:
  Compilation(const EvalLimits& limits, EnvironmentConfig config,
              uint64_t version)
      : limits_(limits), data_(std::make_unique<SnapshotData>()) {
    data_->config = std::move(config);
    data_->version = version;
  }

  Status Run() {
    WARDEN_RETURN_IF_ERROR(CompileTenants());
    WARDEN_RETURN_IF_ERROR(CompileSegments());
    WARDEN_RETURN_IF_ERROR(CompileFlags());
    WARDEN_RETURN_IF_ERROR(CompileLimits());
    for (const ReleaseGate& gate : config().gates) CompileGate(gate);
    return Status::Ok();
  }

  std::unique_ptr<SnapshotData> Finish() { return std::move(data_); }

 private:
  const EnvironmentConfig& config() const { return data_->config; }

  const CompiledSegment* FindSegment(std::string_view key) const {
    for (const auto& segment : data_->segments) {
      if (segment->key == key) return segment.get();
    }
    return nullptr;
  }

  Status CompileTenants() {
    for (size_t i = 0; i < config().tenants.size(); ++i) {
      const Tenant& tenant = config().tenants[i];
      if (tenant.key.empty()) {
        return InvalidArgument(fmt::format("tenants[{}]: empty key", i));
      }
      if (!data_->tenants.emplace(tenant.key, &tenant).second) {
        return InvalidArgument(
            fmt::format("tenants[{}]: duplicate tenant \"{}\"", i, tenant.key));
      }
    }
    return Status::Ok();
  }

  Status CompileSegments() {
    auto no_segments = [](std::string_view) -> const CompiledSegment* {
      return nullptr;
    };
    for (size_t i = 0; i < config().segments.size(); ++i) {
      const Segment& segment = config().segments[i];
      std::string path = fmt::format("segments.{}", segment.key);
      if (segment.key.empty() || FindSegment(segment.key) != nullptr) {
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
      data_->segments.push_back(std::move(compiled));
    }
    return Status::Ok();
  }

  Status CompileFlags() {
    if (config().flags.size() > limits_.max_flags) {
      return InvalidArgument(
          fmt::format("flags: more than {} flags", limits_.max_flags));
    }
    for (const Flag& flag : config().flags) {
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
                                               config().evaluators, limits_));
    return Status::Ok();
  }

  void BuildMetadata(const Flag& flag, CompiledFlag* out) const {
    out->metadata = config().metadata;
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
    if (limit.flag_keys.empty()) {
      for (auto& [key, flag] : data_->flags)
        flag->limits.push_back(compiled.get());
    }
    data_->limits.push_back(std::move(compiled));
    return Status::Ok();
  }

  Status CompileLimits() {
    std::set<std::string_view> ids;
    for (size_t i = 0; i < config().limits.size(); ++i) {
      const ExposureLimit& limit = config().limits[i];
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

}  // namespace

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Build(
    EnvironmentConfig config, uint64_t version) const {
  Compilation compilation(limits_, std::move(config), version);
  WARDEN_RETURN_IF_ERROR(compilation.Run());
  return std::shared_ptr<const Snapshot>(new Snapshot(compilation.Finish()));
}

}  // namespace warden::eval
