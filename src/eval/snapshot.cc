#include "eval/snapshot.h"

#include <fmt/format.h>

#include "eval/compiled_flag.h"
#include "eval/murmur3.h"
#include "eval/snapshot_data.h"

namespace warden::eval {
namespace {

EvaluationResult Error(ErrorCode code, std::string message) {
  EvaluationResult r;
  r.reason = Reason::kError;
  r.error_code = code;
  r.error_message = std::move(message);
  return r;
}

void Serve(const CompiledFlag& flag, int variant, Reason reason,
           EvaluationResult* r) {
  r->reason = reason;
  if (variant >= 0) {
    r->variant = flag.variants[variant].name;
    r->value = &flag.variants[variant].value;
  }
}

// A limit means off (eval/off_variant.h).
void ServeLimited(const CompiledFlag& flag, std::string_view limit_id,
                  EvaluationResult* r) {
  Serve(flag, flag.limited_variant, Reason::kLimited, r);
  if (flag.limited_serves_false) r->value = &flag.false_value;
  r->limit_id = limit_id;
}

// Serves off as a limit does, naming the release that holds the flag.
void ServeHeld(const CompiledFlag& flag, const CompiledGate& gate,
               Reason reason, EvaluationResult* r) {
  ServeLimited(flag, {}, r);
  r->reason = reason;
  r->release_id = gate.release_id;
  r->release_stage = gate.stage;
}

// Steps 1-3 of eval/release_gate.h; true when `gate` decided the result.
bool ApplyGate(const CompiledFlag& flag, const CompiledGate& gate,
               const EvalScope& scope, EvaluationResult* r) {
  const std::string_view tenant = scope.ctx().targeting_key;
  auto opt_in = gate.opt_ins.find(std::string_view(flag.key));
  if (opt_in != gate.opt_ins.end() &&
      opt_in->second.find(tenant) == opt_in->second.end()) {
    ServeHeld(flag, gate, Reason::kGated, r);
    r->gate_requirement = "opt_in";
    return true;
  }
  if (gate.cleared_flags.find(std::string_view(flag.key)) !=
          gate.cleared_flags.end() &&
      gate.cleared_tenants.find(tenant) == gate.cleared_tenants.end()) {
    ServeHeld(flag, gate, Reason::kGated, r);
    r->gate_requirement = "approval";
    auto pending = gate.pending_approvals.find(tenant);
    if (pending != gate.pending_approvals.end()) {
      r->gate_approval_id = pending->second;
    }
    return true;
  }
  if (!gate.InAudience(scope)) {
    ServeHeld(flag, gate, Reason::kStaged, r);
    return true;
  }
  return false;
}

bool TypeAccepts(FlagType actual, FlagType expected) {
  return actual == expected ||
         (actual == FlagType::kInteger && expected == FlagType::kFloat);
}

// flagd: a null result is the default; true/false name variants "true" and
// "false"; a string names a variant; anything else is an error.
void ServeLogicResult(const CompiledFlag& flag, const LogicValue& v,
                      EvaluationResult* r) {
  std::string_view name;
  switch (v.kind) {
    case LogicValue::Kind::kNull:
      return Serve(flag, flag.default_variant, Reason::kDefault, r);
    case LogicValue::Kind::kBool:
      name = v.b ? "true" : "false";
      break;
    case LogicValue::Kind::kString:
      name = v.str();
      break;
    default:
      r->reason = Reason::kError;
      r->error_code = ErrorCode::kGeneral;
      r->error_message = fmt::format(
          "flag \"{}\": targeting returned a value that is not a variant name",
          flag.key);
      return;
  }
  int variant = flag.FindVariant(name);
  if (variant < 0) {
    r->reason = Reason::kError;
    r->error_code = ErrorCode::kGeneral;
    r->error_message =
        fmt::format("flag \"{}\": targeting returned unknown variant \"{}\"",
                    flag.key, name);
    return;
  }
  Serve(flag, variant, Reason::kTargetingMatch, r);
}

}  // namespace

bool CompiledLimit::Matches(const EvalScope& s) const {
  switch (scope) {
    case LimitScope::kFlags:
      return true;
    case LimitScope::kTenant:
      return values.find(std::string_view(s.ctx().targeting_key)) !=
             values.end();
    case LimitScope::kIntegration: {
      const auto* attr = s.ctx().attributes.if_contains("integration");
      if (attr != nullptr && attr->is_string() &&
          values.find(std::string_view(attr->get_string())) != values.end()) {
        return true;
      }
      if (s.tenant() == nullptr) return false;
      for (const std::string& integration : s.tenant()->integrations) {
        if (values.find(std::string_view(integration)) != values.end()) {
          return true;
        }
      }
      return false;
    }
    case LimitScope::kAccountOwner: {
      if (s.tenant() != nullptr) {
        return values.find(std::string_view(s.tenant()->account_manager)) !=
               values.end();
      }
      const auto* attr = s.ctx().attributes.if_contains("account_manager");
      return attr != nullptr && attr->is_string() &&
             values.find(std::string_view(attr->get_string())) != values.end();
    }
    case LimitScope::kSegment:
      for (const CompiledSegment* segment : segments) {
        if (segment->Contains(s)) return true;
      }
      return false;
  }
  return false;
}

bool CompiledGate::InAudience(const EvalScope& s) const {
  if (everyone) return true;
  const std::string_view tenant = s.ctx().targeting_key;
  if (tenant.empty()) return false;
  if (tenants.find(tenant) != tenants.end()) return true;
  for (const CompiledSegment* segment : segments) {
    if (segment->Contains(s)) return true;
  }
  if (percentage_bound == 0) return false;
  Murmur3Hasher hasher;
  hasher.Update(release_id);
  hasher.Update("/");
  hasher.Update(tenant);
  return FractionalBucket(hasher.Finish(), 10000) < percentage_bound;
}

Snapshot::Snapshot(std::unique_ptr<SnapshotData> data)
    : data_(std::move(data)) {}
Snapshot::~Snapshot() = default;

const SnapshotSections& Snapshot::sections() const { return data_->sections; }

std::string_view Snapshot::LimitOnEverything(
    const EvaluationContext& ctx) const {
  const EvalScope scope(ctx, {}, *this);
  for (const auto& limit : data_->limits) {
    if (limit->covers_all_flags && limit->Matches(scope)) return limit->id;
  }
  return {};
}
uint64_t Snapshot::version() const { return data_->version; }
size_t Snapshot::flag_count() const { return data_->flags.size(); }

bool Snapshot::HasFlag(std::string_view flag_key) const {
  return data_->flags.find(flag_key) != data_->flags.end();
}

std::vector<std::string_view> Snapshot::FlagKeys() const {
  std::vector<std::string_view> keys;
  keys.reserve(data_->ordered_flags.size());
  for (const CompiledFlag* flag : data_->ordered_flags)
    keys.push_back(flag->key);
  return keys;
}

const Tenant* Snapshot::FindTenant(std::string_view key) const {
  return data_->sections.tenants->Find(key);
}

EvaluationResult Snapshot::Evaluate(
    std::string_view flag_key, const EvaluationContext& ctx,
    std::optional<FlagType> expected_type) const {
  const CompiledFlag* const* found = data_->flag_index.Find(flag_key);
  if (found == nullptr) {
    return Error(ErrorCode::kFlagNotFound,
                 fmt::format("flag \"{}\" not found", flag_key));
  }
  const CompiledFlag& flag = **found;
  if (expected_type && !TypeAccepts(flag.type, *expected_type)) {
    EvaluationResult r = Error(
        ErrorCode::kTypeMismatch,
        fmt::format("flag \"{}\" is {}, not {}", flag.key,
                    FlagTypeName(flag.type), FlagTypeName(*expected_type)));
    r.type = flag.type;
    r.metadata = &flag.metadata;
    return r;
  }
  return EvaluateFlag(flag, ctx);
}

void Snapshot::EvaluateAll(
    const EvaluationContext& ctx,
    const std::function<void(std::string_view, const EvaluationResult&)>& fn)
    const {
  for (const CompiledFlag* flag : data_->ordered_flags) {
    fn(flag->key, EvaluateFlag(*flag, ctx));
  }
}

// The evaluation order documented in snapshot.h; one step per block.
EvaluationResult Snapshot::EvaluateFlag(const CompiledFlag& flag,
                                        const EvaluationContext& ctx) const {
  EvaluationResult r;
  r.type = flag.type;
  r.metadata = &flag.metadata;
  if (!flag.enabled) {
    r.reason = Reason::kDisabled;
    return r;
  }
  EvalScope scope(ctx, flag.key, *this);
  for (const CompiledLimit* limit : flag.limits) {
    if (limit->Matches(scope)) {
      ServeLimited(flag, limit->id, &r);
      return r;
    }
  }
  for (const CompiledGate* gate : flag.gates) {
    if (ApplyGate(flag, *gate, scope, &r)) return r;
  }
  if (flag.logic && !flag.logic->parse_error().empty()) {
    r.reason = Reason::kError;
    r.error_code = ErrorCode::kParseError;
    r.error_message =
        fmt::format("flag \"{}\": {}", flag.key, flag.logic->parse_error());
    return r;
  }
  if (flag.logic) {
    bool over_budget = false;
    LogicValue v = flag.logic->Evaluate(scope, &over_budget);
    if (over_budget) {
      r.reason = Reason::kError;
      r.error_code = ErrorCode::kGeneral;
      r.error_message = fmt::format(
          "flag \"{}\": targeting over its evaluation budget", flag.key);
      return r;
    }
    ServeLogicResult(flag, v, &r);
    return r;
  }
  for (size_t i = 0; i < flag.rules.size(); ++i) {
    const CompiledRule& rule = flag.rules[i];
    bool all = true;
    for (const CompiledCondition& c : rule.conditions) {
      if (!c.Matches(scope)) {
        all = false;
        break;
      }
    }
    if (all) {
      Serve(flag, rule.variant, Reason::kTargetingMatch, &r);
      r.rule_index = static_cast<int>(i);
      return r;
    }
  }
  if (flag.rollout_total > 0) {
    if (ctx.targeting_key.empty()) {
      r.reason = Reason::kError;
      r.error_code = ErrorCode::kTargetingKeyMissing;
      r.error_message =
          fmt::format("flag \"{}\": rollout needs a targeting key", flag.key);
      return r;
    }
    Murmur3Hasher hasher = flag.rollout_hasher;
    hasher.Update(ctx.targeting_key);
    uint64_t bucket = FractionalBucket(hasher.Finish(), flag.rollout_total);
    uint64_t end = 0;
    for (const auto& [variant, weight] : flag.rollout) {
      end += weight;
      if (bucket < end) {
        Serve(flag, variant, Reason::kSplit, &r);
        return r;
      }
    }
  }
  bool has_targeting = !flag.rules.empty() || flag.rollout_total > 0;
  bool is_static = !has_targeting && flag.default_variant >= 0;
  Serve(flag, flag.default_variant,
        is_static ? Reason::kStatic : Reason::kDefault, &r);
  return r;
}

}  // namespace warden::eval
