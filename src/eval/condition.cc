#include "eval/condition.h"

#include <fmt/format.h>

#include <cmath>

#include "core/time_format.h"
#include "eval/string_bytes.h"

namespace warden::eval {
namespace {

// "in" lists up to this size are scanned rather than hashed.
constexpr size_t kShortList = 8;

bool IsNumber(const boost::json::value& v) { return v.is_number(); }

double NumberOf(const boost::json::value& v) { return v.to_number<double>(); }

bool IsSemverOp(ConditionOp op) {
  return op >= ConditionOp::kSemverEq && op <= ConditionOp::kSemverGe;
}

std::optional<double> InstantOfJson(const boost::json::value& v) {
  if (v.is_number()) return NumberOf(v);
  if (!v.is_string()) return std::nullopt;
  auto t = ParseRfc3339(std::string_view(v.get_string()));
  if (!t.ok()) return std::nullopt;
  return static_cast<double>(ToMicros(*t)) / 1e6;
}

bool Compare(double a, double b, ConditionOp op) {
  switch (op) {
    case ConditionOp::kLt:
    case ConditionOp::kSemverLt:
    case ConditionOp::kBefore:
      return a < b;
    case ConditionOp::kLe:
    case ConditionOp::kSemverLe:
      return a <= b;
    case ConditionOp::kGt:
    case ConditionOp::kSemverGt:
    case ConditionOp::kAfter:
      return a > b;
    case ConditionOp::kGe:
    case ConditionOp::kSemverGe:
      return a >= b;
    default:
      return a == b;
  }
}

}  // namespace

std::optional<double> ParseInstant(const AttributeRef& attr) {
  switch (attr.kind) {
    case AttributeRef::Kind::kJson:
      return InstantOfJson(*attr.json);
    case AttributeRef::Kind::kNumber:
      return attr.num;
    case AttributeRef::Kind::kString: {
      auto t = ParseRfc3339(attr.str);
      if (!t.ok()) return std::nullopt;
      return static_cast<double>(ToMicros(*t)) / 1e6;
    }
    default:
      return std::nullopt;
  }
}

Result<CompiledCondition> CompiledCondition::Compile(
    const Condition& c, std::string_view path,
    const std::function<const CompiledSegment*(std::string_view)>& find_segment,
    const EvalLimits& limits) {
  CompiledCondition out;
  out.op_ = c.op;
  out.path_ = AttributePath::Parse(c.attribute);
  out.operand_ = c.operand;
  std::string where(path);
  std::string op_name(ConditionOpName(c.op));
  auto bad = [&](std::string_view why) {
    return InvalidArgument(fmt::format("{}: {} {}", where, op_name, why));
  };
  bool needs_attribute =
      c.op != ConditionOp::kInSegment && c.op != ConditionOp::kNotInSegment;
  if (needs_attribute && c.attribute.empty()) return bad("needs an attribute");
  const boost::json::value& v = c.operand;
  switch (c.op) {
    case ConditionOp::kEquals:
      if (!v.is_string() && !v.is_number() && !v.is_bool()) {
        return bad("operand must be a string, number or boolean");
      }
      if (v.is_string()) out.text_ = v.get_string();
      break;
    case ConditionOp::kIn:
    case ConditionOp::kNotIn: {
      if (!v.is_array()) return bad("operand must be an array");
      if (v.get_array().size() > limits.max_operand_values) {
        return bad(fmt::format("operand has more than {} values",
                               limits.max_operand_values));
      }
      for (const auto& item : v.get_array()) {
        if (item.is_string()) {
          out.strings_.emplace(item.get_string());
        } else if (item.is_number()) {
          out.numbers_.push_back(NumberOf(item));
        } else if (item.is_bool()) {
          out.bools_.push_back(item.get_bool());
        } else {
          return bad("values must be strings, numbers or booleans");
        }
      }
      if (out.strings_.size() <= kShortList) {
        out.short_strings_.assign(out.strings_.begin(), out.strings_.end());
        out.strings_.clear();
      }
      break;
    }
    case ConditionOp::kStartsWith:
    case ConditionOp::kEndsWith:
      if (!v.is_string()) return bad("operand must be a string");
      out.text_ = v.get_string();
      break;
    case ConditionOp::kContains:
      if (v.is_string()) out.text_ = v.get_string();
      if (!v.is_string() && !v.is_number() && !v.is_bool()) {
        return bad("operand must be a string, number or boolean");
      }
      break;
    case ConditionOp::kRegex: {
      if (!v.is_string()) return bad("operand must be a string");
      std::string_view pattern = v.get_string();
      if (pattern.size() > limits.max_regex_pattern_length) {
        return bad(fmt::format("pattern longer than {} bytes",
                               limits.max_regex_pattern_length));
      }
      RE2::Options options;
      options.set_log_errors(false);
      options.set_max_mem(limits.regex_max_mem);
      auto re = std::make_shared<RE2>(pattern, options);
      if (!re->ok())
        return bad(fmt::format("invalid pattern: {}", re->error()));
      out.regex_ = std::move(re);
      break;
    }
    case ConditionOp::kLt:
    case ConditionOp::kLe:
    case ConditionOp::kGt:
    case ConditionOp::kGe:
      if (!IsNumber(v)) return bad("operand must be a number");
      out.number_ = NumberOf(v);
      break;
    case ConditionOp::kSemverEq:
    case ConditionOp::kSemverLt:
    case ConditionOp::kSemverLe:
    case ConditionOp::kSemverGt:
    case ConditionOp::kSemverGe:
      if (v.is_string()) out.semver_ = ParseSemVer(v.get_string());
      if (!out.semver_) return bad("operand must be a semantic version");
      break;
    case ConditionOp::kBefore:
    case ConditionOp::kAfter: {
      auto instant = InstantOfJson(v);
      if (!instant) return bad("operand must be RFC 3339 or unix seconds");
      out.number_ = *instant;
      break;
    }
    case ConditionOp::kInSegment:
    case ConditionOp::kNotInSegment:
      if (!v.is_string()) return bad("operand must be a segment key");
      out.segment_ = find_segment(v.get_string());
      if (out.segment_ == nullptr) {
        return bad(fmt::format("unknown segment \"{}\"",
                               std::string_view(v.get_string())));
      }
      break;
  }
  return out;
}

bool CompiledCondition::Matches(const EvalScope& scope) const {
  if (op_ == ConditionOp::kInSegment) return segment_->Contains(scope);
  if (op_ == ConditionOp::kNotInSegment) return !segment_->Contains(scope);
  AttributeRef attr = scope.Lookup(path_);
  if (attr.missing()) return false;
  return MatchesValue(attr);
}

bool CompiledCondition::InList(const AttributeRef& attr) const {
  std::string_view s;
  if (attr.AsString(&s)) {
    for (const std::string& candidate : short_strings_) {
      if (BytesEqual(candidate, s)) return true;
    }
    return !strings_.empty() && strings_.find(s) != strings_.end();
  }
  double d;
  if (attr.AsNumber(&d)) {
    for (double n : numbers_) {
      if (n == d) return true;
    }
    return false;
  }
  if (attr.kind == AttributeRef::Kind::kJson && attr.json->is_bool()) {
    for (bool b : bools_) {
      if (b == attr.json->get_bool()) return true;
    }
  }
  return false;
}

bool CompiledCondition::MatchesScalar(const boost::json::value& v) const {
  if (v.is_number() && operand_.is_number()) {
    return NumberOf(v) == NumberOf(operand_);
  }
  return v == operand_;
}

bool CompiledCondition::MatchesValue(const AttributeRef& attr) const {
  std::string_view s;
  bool is_string = attr.AsString(&s);
  double d = 0;
  switch (op_) {
    case ConditionOp::kEquals:
      if (is_string) return operand_.is_string() && BytesEqual(text_, s);
      if (attr.AsNumber(&d))
        return operand_.is_number() && NumberOf(operand_) == d;
      return attr.kind == AttributeRef::Kind::kJson &&
             MatchesScalar(*attr.json);
    case ConditionOp::kIn:
      return InList(attr);
    case ConditionOp::kNotIn:
      return !InList(attr);
    case ConditionOp::kStartsWith:
      return is_string && BytesStartsWith(s, text_);
    case ConditionOp::kEndsWith:
      return is_string && BytesEndsWith(s, text_);
    case ConditionOp::kContains:
      if (is_string) return operand_.is_string() && s.find(text_) != s.npos;
      if (attr.kind == AttributeRef::Kind::kJson && attr.json->is_array()) {
        for (const auto& item : attr.json->get_array()) {
          if (MatchesScalar(item)) return true;
        }
      }
      return false;
    case ConditionOp::kRegex:
      return is_string && RE2::PartialMatch(s, *regex_);
    case ConditionOp::kLt:
    case ConditionOp::kLe:
    case ConditionOp::kGt:
    case ConditionOp::kGe:
      return attr.AsNumber(&d) && Compare(d, number_, op_);
    case ConditionOp::kBefore:
    case ConditionOp::kAfter: {
      auto instant = ParseInstant(attr);
      return instant && Compare(*instant, number_, op_);
    }
    default:
      break;
  }
  if (IsSemverOp(op_)) {
    if (!is_string) return false;
    auto version = ParseSemVer(s);
    return version && Compare(CompareSemVer(*version, *semver_), 0, op_);
  }
  return false;
}

bool CompiledSegment::Contains(const EvalScope& scope) const {
  const std::string& key = scope.ctx().targeting_key;
  if (!key.empty() && members.Contains(key)) {
    return true;
  }
  if (rules.empty()) return false;
  for (const CompiledCondition& rule : rules) {
    if (!rule.Matches(scope)) return false;
  }
  return true;
}

}  // namespace warden::eval
