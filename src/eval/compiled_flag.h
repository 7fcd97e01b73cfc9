// Internal to src/eval: the compiled form of a Snapshot's flags, limits
// and gates (the whole compiled snapshot: snapshot_data.h).
#ifndef WARDEN_EVAL_COMPILED_FLAG_H_
#define WARDEN_EVAL_COMPILED_FLAG_H_

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eval/condition.h"
#include "eval/environment_config.h"
#include "eval/json_logic.h"
#include "eval/murmur3.h"

namespace warden::eval {

struct CompiledLimit {
  std::string id;
  LimitScope scope = LimitScope::kTenant;
  StringSet values;
  std::vector<const CompiledSegment*> segments;  // kSegment
  bool covers_all_flags = false;                 // no flag list given

  bool Matches(const EvalScope& scope) const;
};

struct CompiledGate {
  std::string release_id;
  std::string stage;
  bool everyone = false;
  StringSet tenants;
  std::vector<const CompiledSegment*> segments;
  // Bucket bound in [0, 10000]: a tenant is in when its bucket is below.
  uint32_t percentage_bound = 0;
  StringSet cleared_flags;
  StringSet cleared_tenants;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>
      pending_approvals;
  // Opt-in flag -> tenants opted in.
  std::unordered_map<std::string, StringSet, StringHash, std::equal_to<>>
      opt_ins;

  bool InAudience(const EvalScope& scope) const;
};

struct CompiledRule {
  std::vector<CompiledCondition> conditions;
  int variant = -1;
};

struct CompiledFlag {
  std::string key;
  FlagType type = FlagType::kBoolean;
  bool enabled = true;
  std::vector<FlagVariant> variants;
  int default_variant = -1;  // -1: none (code default)
  // Served under an exposure limit (eval/off_variant.h): -1 is no variant,
  // then `false_value` when limited_serves_false, else no value.
  int limited_variant = -1;
  bool limited_serves_false = false;
  boost::json::value false_value = false;  // not {false}: an array
  std::vector<CompiledRule> rules;
  std::vector<std::pair<int, uint32_t>> rollout;  // (variant, weight)
  uint32_t rollout_total = 0;
  // MurmurHash3 state after the flag key: the rollout hashes
  // flagKey + targetingKey, so the key's blocks are mixed once, here.
  Murmur3Hasher rollout_hasher;
  std::unique_ptr<JsonLogic> logic;
  std::vector<const CompiledLimit*> limits;
  std::vector<const CompiledGate*> gates;
  boost::json::object metadata;

  int FindVariant(std::string_view name) const {
    for (size_t i = 0; i < variants.size(); ++i) {
      if (variants[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_COMPILED_FLAG_H_
