#include "eval/flagd_format.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <set>
#include <utility>

#include "eval/json_logic.h"
#include "eval/off_variant.h"

namespace warden::eval {
namespace {

namespace json = boost::json;

Status Bad(std::string_view path, std::string_view what) {
  return InvalidArgument(fmt::format("{}: {}", path, what));
}

Result<FlagType> InferType(const json::object& variants,
                           const std::string& path) {
  bool all_bool = true, all_string = true, all_int = true, all_number = true,
       all_object = true;
  for (const auto& [name, v] : variants) {
    all_bool &= v.is_bool();
    all_string &= v.is_string();
    all_int &= v.is_int64() || v.is_uint64();
    all_number &= v.is_number();
    all_object &= v.is_object();
  }
  if (all_bool) return FlagType::kBoolean;
  if (all_string) return FlagType::kString;
  if (all_int) return FlagType::kInteger;
  if (all_number) return FlagType::kFloat;
  if (all_object) return FlagType::kObject;
  return Bad(path,
             "variants must all be booleans, strings, numbers or objects");
}

Status ParseMetadata(const json::value& v, const std::string& path,
                     json::object* out) {
  if (!v.is_object()) return Bad(path, "must be an object");
  for (const auto& [key, value] : v.get_object()) {
    if (!value.is_string() && !value.is_number() && !value.is_bool()) {
      return Bad(fmt::format("{}.{}", path, std::string_view(key)),
                 "must be a string, number or boolean");
    }
  }
  *out = v.get_object();
  return Status::Ok();
}

void TakeField(json::object* extra, std::string_view key, std::string* out) {
  auto it = extra->find(key);
  if (it == extra->end() || !it->value().is_string()) return;
  *out = it->value().get_string();
  extra->erase(it);
}

Status ParseState(const json::value* v, const std::string& path, Flag* flag) {
  if (v == nullptr) return Bad(path, "missing \"state\"");
  if (*v == "ENABLED") {
    flag->state = FlagState::kEnabled;
  } else if (*v == "DISABLED") {
    flag->state = FlagState::kDisabled;
  } else {
    return Bad(path + ".state", "must be \"ENABLED\" or \"DISABLED\"");
  }
  return Status::Ok();
}

Status ParseVariants(const json::value* v, const std::string& path,
                     Flag* flag) {
  std::string vpath = path + ".variants";
  if (v == nullptr) return Bad(path, "missing \"variants\"");
  if (!v->is_object() || v->get_object().empty()) {
    return Bad(vpath, "must be a non-empty object");
  }
  WARDEN_ASSIGN_OR_RETURN(flag->type, InferType(v->get_object(), vpath));
  for (const auto& [name, value] : v->get_object()) {
    flag->variants.push_back({std::string(name), value});
  }
  return Status::Ok();
}

Status ParseDefault(const json::value* v, const std::string& path, Flag* flag) {
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string())
    return Bad(path + ".defaultVariant", "must be a string or null");
  std::string name(v->get_string());
  for (const FlagVariant& variant : flag->variants) {
    if (variant.name == name) {
      flag->default_variant = name;
      return Status::Ok();
    }
  }
  return Bad(path + ".defaultVariant",
             fmt::format("unknown variant \"{}\"", name));
}

const FlagVariant* FindVariant(const Flag& flag, std::string_view name) {
  for (const FlagVariant& v : flag.variants) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// metadata.offVariant is Warden's, not flagd's: flagd loads a file whatever
// it says, so one that cannot apply is a warning and is ignored.
void ApplyOffVariant(const std::string& off, const std::string& path,
                     Flag* flag, ConfigWarnings* warnings) {
  const FlagVariant* variant = FindVariant(*flag, off);
  const std::string where = path + ".metadata.offVariant";
  if (variant == nullptr) {
    warnings->push_back(
        {where, fmt::format("names no variant (\"{}\"): ignored",
                            off.substr(0, 128))});
  } else if (variant->value == true) {
    warnings->push_back(
        {where, fmt::format("\"{}\" is true, and a boolean flag under an "
                            "exposure limit is false: ignored",
                            off.substr(0, 128))});
  } else {
    flag->off_variant = off;
  }
}

// A non-boolean flag without a declared off variant: infer it where the
// variants make it unambiguous, else warn (eval/off_variant.h).
void InferOffVariantOrWarn(const std::string& path, Flag* flag,
                           ConfigWarnings* warnings) {
  if (flag->type == FlagType::kBoolean || flag->off_variant) return;
  std::vector<std::string> candidates;
  flag->off_variant = InferOffVariant(*flag, &candidates);
  if (flag->off_variant) return;
  std::string which = "no variant is named \"off\" or has an off value";
  if (!candidates.empty()) {
    which = "several variants could be off:";
    for (size_t i = 0; i < candidates.size() && i < 5; ++i) {
      which += fmt::format(" \"{}\"", candidates[i].substr(0, 64));
    }
  }
  warnings->push_back(
      {path + ".variants",
       fmt::format("no off variant ({}): under an exposure limit this {} flag "
                   "keeps serving its default variant; declare "
                   "metadata.offVariant",
                   which, FlagTypeName(flag->type))});
}

Result<Flag> ParseFlag(std::string_view key, const json::value& v,
                       const json::object& evaluators, const EvalLimits& limits,
                       ConfigWarnings* warnings) {
  std::string path = fmt::format("flags.{}", key);
  if (!v.is_object()) return Bad(path, "must be an object");
  const json::object& o = v.get_object();
  for (const auto& [field, value] : o) {
    if (field != "state" && field != "variants" && field != "defaultVariant" &&
        field != "targeting" && field != "metadata") {
      return Bad(fmt::format("{}.{}", path, std::string_view(field)),
                 "unknown field");
    }
  }
  Flag flag;
  flag.key = key;
  WARDEN_RETURN_IF_ERROR(ParseState(o.if_contains("state"), path, &flag));
  WARDEN_RETURN_IF_ERROR(ParseVariants(o.if_contains("variants"), path, &flag));
  WARDEN_RETURN_IF_ERROR(
      ParseDefault(o.if_contains("defaultVariant"), path, &flag));
  if (const json::value* t = o.if_contains("targeting")) {
    if (!t->is_object()) return Bad(path + ".targeting", "must be an object");
    if (!t->get_object().empty()) {
      // Compiled here only to report errors with their path at import.
      WARDEN_ASSIGN_OR_RETURN(
          auto logic, JsonLogic::Compile(*t, path + ".targeting", evaluators,
                                         limits, warnings));
      (void)logic;
    }
    flag.json_logic = *t;
  }
  if (const json::value* m = o.if_contains("metadata")) {
    json::object extra;
    WARDEN_RETURN_IF_ERROR(ParseMetadata(*m, path + ".metadata", &extra));
    TakeField(&extra, "owner", &flag.metadata.owner_team);
    TakeField(&extra, "release", &flag.metadata.release);
    TakeField(&extra, "description", &flag.metadata.description);
    std::string off;
    TakeField(&extra, "offVariant", &off);
    if (!off.empty()) ApplyOffVariant(off, path, &flag, warnings);
    flag.metadata.extra = std::move(extra);
  }
  InferOffVariantOrWarn(path, &flag, warnings);
  return flag;
}

// Document order, each (path, message) once, at most kMaxImportWarnings.
void FinishWarnings(FlagdDocument* doc) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  ConfigWarnings kept;
  for (ConfigWarning& w : doc->warnings) {
    if (!seen.emplace(w.path, w.message).second) continue;
    if (kept.size() == kMaxImportWarnings) {
      ++doc->warnings_omitted;
      continue;
    }
    kept.push_back(std::move(w));
  }
  doc->warnings = std::move(kept);
}

// Boost.JSON parses out-of-range numbers (1e999) to infinity, which has no
// JSON form on export: such documents are refused at import.
Status CheckFinite(const json::value& v, const std::string& path) {
  if (v.is_double() && !std::isfinite(v.get_double())) {
    return Bad(path.empty() ? "(document)" : path, "number out of range");
  }
  if (v.is_array()) {
    const auto& a = v.get_array();
    for (size_t i = 0; i < a.size(); ++i) {
      WARDEN_RETURN_IF_ERROR(CheckFinite(a[i], fmt::format("{}[{}]", path, i)));
    }
  } else if (v.is_object()) {
    for (const auto& [key, child] : v.get_object()) {
      std::string child_path =
          path.empty() ? std::string(key)
                       : fmt::format("{}.{}", path, std::string_view(key));
      WARDEN_RETURN_IF_ERROR(CheckFinite(child, child_path));
    }
  }
  return Status::Ok();
}

Result<json::value> ParseDocument(std::string_view text,
                                  const EvalLimits& limits) {
  if (text.size() > limits.max_import_bytes) {
    return InvalidArgument(fmt::format("flagd document larger than {} bytes",
                                       limits.max_import_bytes));
  }
  json::parse_options options;
  options.max_depth = limits.max_json_depth;
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec, {}, options);
  if (ec) return InvalidArgument("flagd document is not JSON: " + ec.message());
  if (!doc.is_object()) {
    return InvalidArgument("flagd document must be an object");
  }
  WARDEN_RETURN_IF_ERROR(CheckFinite(doc, ""));
  return doc;
}

// Native condition -> JsonLogic with the same result, including for
// missing attributes (false); operators whose JsonLogic form would differ
// (regex, dates, numeric coercion, segments, not_in, contains) are refused.
Result<json::value> ConditionToLogic(const Condition& c,
                                     const std::string& path) {
  json::object var{{"var", c.attribute}};
  auto op = [](std::string_view name, json::array args) {
    return json::value(json::object{{name, std::move(args)}});
  };
  switch (c.op) {
    case ConditionOp::kEquals:
      return op("===", {var, c.operand});
    case ConditionOp::kIn:
      return op("in", {var, c.operand});
    case ConditionOp::kStartsWith:
      return op("starts_with", {var, c.operand});
    case ConditionOp::kEndsWith:
      return op("ends_with", {var, c.operand});
    case ConditionOp::kSemverEq:
      return op("sem_ver", {var, "=", c.operand});
    case ConditionOp::kSemverLt:
      return op("sem_ver", {var, "<", c.operand});
    case ConditionOp::kSemverLe:
      return op("sem_ver", {var, "<=", c.operand});
    case ConditionOp::kSemverGt:
      return op("sem_ver", {var, ">", c.operand});
    case ConditionOp::kSemverGe:
      return op("sem_ver", {var, ">=", c.operand});
    default:
      return FailedPrecondition(
          fmt::format("{}: operator {} has no equivalent flagd form", path,
                      ConditionOpName(c.op)));
  }
}

// Rules in order, then the rollout as fractional (flagd buckets by flag
// key + targeting key, as Warden does), else null (the default variant).
Result<json::value> NativeToLogic(const Flag& flag) {
  json::array branches;
  for (size_t i = 0; i < flag.rules.size(); ++i) {
    json::array all;
    for (size_t j = 0; j < flag.rules[i].conditions.size(); ++j) {
      WARDEN_ASSIGN_OR_RETURN(
          json::value c,
          ConditionToLogic(flag.rules[i].conditions[j],
                           fmt::format("flags.{}.rules[{}].conditions[{}]",
                                       flag.key, i, j)));
      all.push_back(std::move(c));
    }
    if (all.empty()) all.push_back(true);
    branches.push_back(json::object{{"and", std::move(all)}});
    branches.push_back(json::value(flag.rules[i].variant));
  }
  if (!flag.rollout.empty()) {
    json::array buckets;
    for (const WeightedVariant& wv : flag.rollout) {
      buckets.push_back(json::array{json::value(wv.variant), wv.weight});
    }
    branches.push_back(json::object{{"fractional", std::move(buckets)}});
  } else {
    branches.push_back(nullptr);
  }
  if (branches.size() == 1) return branches[0];
  return json::value(json::object{{"if", std::move(branches)}});
}

}  // namespace

Result<FlagdDocument> ReadFlagd(std::string_view text, const EvalLimits& limits,
                                const json::object& stored_evaluators) {
  WARDEN_ASSIGN_OR_RETURN(json::value doc, ParseDocument(text, limits));
  FlagdDocument out;
  EnvironmentConfig& config = out.config;
  const json::object& root = doc.get_object();
  for (const auto& [key, value] : root) {
    if (key != "$schema" && key != "flags" && key != "$evaluators" &&
        key != "metadata") {
      return Bad(key, "unknown field");
    }
  }
  if (const json::value* e = root.if_contains("$evaluators")) {
    if (!e->is_object()) return Bad("$evaluators", "must be an object");
    config.evaluators = e->get_object();
    out.has_evaluators = true;
  }
  if (const json::value* m = root.if_contains("metadata")) {
    WARDEN_RETURN_IF_ERROR(ParseMetadata(*m, "metadata", &config.metadata));
    out.has_metadata = true;
  }
  const json::value* flags = root.if_contains("flags");
  if (flags == nullptr || !flags->is_object()) {
    return Bad("flags", "missing or not an object");
  }
  if (flags->get_object().size() > limits.max_flags) {
    return Bad("flags", fmt::format("more than {} flags", limits.max_flags));
  }
  const json::object& evaluators =
      out.has_evaluators ? config.evaluators : stored_evaluators;
  for (const auto& [key, value] : flags->get_object()) {
    WARDEN_ASSIGN_OR_RETURN(
        Flag flag, ParseFlag(key, value, evaluators, limits, &out.warnings));
    config.flags.push_back(std::move(flag));
  }
  FinishWarnings(&out);
  return out;
}

Result<EnvironmentConfig> ImportFlagd(std::string_view text,
                                      const EvalLimits& limits) {
  WARDEN_ASSIGN_OR_RETURN(FlagdDocument doc,
                          ReadFlagd(text, limits, json::object{}));
  return std::move(doc.config);
}

Result<std::string> ExportFlagd(const EnvironmentConfig& config) {
  json::object flags;
  for (const Flag& flag : config.flags) {
    json::object out;
    out["state"] = flag.state == FlagState::kEnabled ? "ENABLED" : "DISABLED";
    json::object variants;
    for (const FlagVariant& v : flag.variants) variants[v.name] = v.value;
    out["variants"] = std::move(variants);
    if (flag.default_variant) {
      out["defaultVariant"] = *flag.default_variant;
    } else {
      out["defaultVariant"] = nullptr;
    }
    if (flag.json_logic) {
      out["targeting"] = *flag.json_logic;
    } else if (!flag.rules.empty() || !flag.rollout.empty()) {
      WARDEN_ASSIGN_OR_RETURN(out["targeting"], NativeToLogic(flag));
    }
    json::object metadata = flag.metadata.extra;
    if (!flag.metadata.owner_team.empty())
      metadata["owner"] = flag.metadata.owner_team;
    if (!flag.metadata.release.empty())
      metadata["release"] = flag.metadata.release;
    if (!flag.metadata.description.empty()) {
      metadata["description"] = flag.metadata.description;
    }
    if (flag.off_variant) metadata["offVariant"] = *flag.off_variant;
    if (!metadata.empty()) out["metadata"] = std::move(metadata);
    flags[flag.key] = std::move(out);
  }
  json::object doc;
  doc["$schema"] = "https://flagd.dev/schema/v0/flags.json";
  doc["flags"] = std::move(flags);
  if (!config.evaluators.empty()) doc["$evaluators"] = config.evaluators;
  if (!config.metadata.empty()) doc["metadata"] = config.metadata;
  return json::serialize(doc);
}

}  // namespace warden::eval
