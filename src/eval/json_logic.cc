// JsonLogic compiler and interpreter; flagd custom operations follow
// https://flagd.dev/reference/custom-operations/ (fractional v2, sem_ver,
// starts_with, ends_with) and flagd's Go evaluator (core/pkg/evaluator:
// json.go, semver.go, string_comparison.go) where the docs are silent.
#include "eval/json_logic.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>

#include "eval/json_logic_node.h"
#include "eval/json_logic_program.h"
#include "eval/murmur3.h"
#include "eval/semver.h"

namespace warden::eval {

namespace {

struct OpInfo {
  std::string_view name;
  LogicOp op;
  size_t min_args;
  size_t max_args;
};

constexpr size_t kAny = std::numeric_limits<size_t>::max();
constexpr OpInfo kOps[] = {
    {"var", LogicOp::kVar, 0, 2},
    {"if", LogicOp::kIf, 1, kAny},
    {"?:", LogicOp::kIf, 1, kAny},
    {"and", LogicOp::kAnd, 1, kAny},
    {"or", LogicOp::kOr, 1, kAny},
    {"!", LogicOp::kNot, 1, 1},
    {"!!", LogicOp::kNotNot, 1, 1},
    {"==", LogicOp::kEq, 2, 2},
    {"===", LogicOp::kStrictEq, 2, 2},
    {"!=", LogicOp::kNe, 2, 2},
    {"!==", LogicOp::kStrictNe, 2, 2},
    {"<", LogicOp::kLt, 2, 3},
    {"<=", LogicOp::kLe, 2, 3},
    {">", LogicOp::kGt, 2, 2},
    {">=", LogicOp::kGe, 2, 2},
    {"cat", LogicOp::kCat, 0, kAny},
    {"+", LogicOp::kAdd, 0, kAny},
    {"-", LogicOp::kSub, 1, 2},
    {"*", LogicOp::kMul, 1, kAny},
    {"/", LogicOp::kDiv, 2, 2},
    {"%", LogicOp::kMod, 2, 2},
    {"min", LogicOp::kMin, 1, kAny},
    {"max", LogicOp::kMax, 1, kAny},
    {"in", LogicOp::kIn, 2, 2},
    {"missing", LogicOp::kMissing, 0, kAny},
    {"missing_some", LogicOp::kMissingSome, 2, 2},
    {"fractional", LogicOp::kFractional, 1, kAny},
    // flagd loads any number of arguments and evaluates a wrong count to
    // null (FlagdArity); the compiler warns instead of refusing.
    {"sem_ver", LogicOp::kSemVer, 0, kAny},
    {"starts_with", LogicOp::kStartsWith, 0, kAny},
    {"ends_with", LogicOp::kEndsWith, 0, kAny},
};

// The argument count a flagd custom operation needs; 0 for the others.
size_t FlagdArity(LogicOp op) {
  switch (op) {
    case LogicOp::kSemVer:
      return 3;
    case LogicOp::kStartsWith:
    case LogicOp::kEndsWith:
      return 2;
    default:
      return 0;
  }
}

constexpr std::string_view kSemVerOperators[] = {
    "=", "!=", "<", "<=", ">", ">=", "^", "~"};

bool IsSemVerOperator(std::string_view op) {
  for (std::string_view known : kSemVerOperators) {
    if (op == known) return true;
  }
  return false;
}

// flagd's sem_ver reads strings, and numbers as their decimal text (a
// context value 1 or 1.2 is version 1 or 1.2).
std::optional<SemVer> ParseSemVerValue(const LogicValue& v) {
  if (v.kind == LogicValue::Kind::kString) return ParseSemVer(v.str());
  if (v.kind != LogicValue::Kind::kNumber || !std::isfinite(v.num)) {
    return std::nullopt;
  }
  std::string text;
  AppendNumberText(&text, v.num);
  return ParseSemVer(text);
}

const OpInfo* FindOp(std::string_view name) {
  for (const OpInfo& info : kOps) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

class Compiler {
 public:
  Compiler(const boost::json::object& evaluators, const EvalLimits& limits,
           ConfigWarnings* warnings)
      : evaluators_(evaluators), limits_(limits), warnings_(warnings) {}

  // The first unresolvable $ref, as the evaluation error; empty if none.
  std::string TakeParseError() { return std::move(parse_error_); }

  Result<LogicNode> Compile(const boost::json::value& v,
                            const std::string& path, size_t depth) {
    if (depth > limits_.max_logic_depth) {
      return InvalidArgument(fmt::format("{}: nesting deeper than {}", path,
                                         limits_.max_logic_depth));
    }
    if (++nodes_ > limits_.max_logic_nodes) {
      return InvalidArgument(
          fmt::format("{}: more than {} nodes", path, limits_.max_logic_nodes));
    }
    if (v.is_array()) return CompileArray(v.get_array(), path, depth);
    if (v.is_object() && !v.get_object().empty()) {
      return CompileOperation(v.get_object(), path, depth);
    }
    LogicNode node;
    node.literal = v;
    return node;
  }

 private:
  Result<LogicNode> CompileArray(const boost::json::array& a,
                                 const std::string& path, size_t depth) {
    LogicNode node;
    node.op = LogicOp::kArray;
    for (size_t i = 0; i < a.size(); ++i) {
      WARDEN_ASSIGN_OR_RETURN(
          LogicNode child,
          Compile(a[i], fmt::format("{}[{}]", path, i), depth + 1));
      node.args.push_back(std::move(child));
    }
    return node;
  }

  Result<LogicNode> CompileOperation(const boost::json::object& o,
                                     const std::string& path, size_t depth) {
    if (o.size() != 1) {
      return InvalidArgument(
          fmt::format("{}: an operation object has exactly one key, found {}",
                      path, o.size()));
    }
    const auto& [key, args] = *o.begin();
    std::string name(key);
    if (name == "$ref") return CompileRef(args, path, depth);
    const OpInfo* info = FindOp(name);
    if (info == nullptr) {
      return InvalidArgument(
          fmt::format("{}: unknown operation \"{}\"", path, name));
    }
    std::string op_path = path.empty() ? name : path + "." + name;
    if (info->op == LogicOp::kVar) return CompileVar(args, op_path, depth);
    LogicNode node;
    node.op = info->op;
    if (args.is_array()) {
      const auto& a = args.get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        WARDEN_ASSIGN_OR_RETURN(
            LogicNode child,
            Compile(a[i], fmt::format("{}[{}]", op_path, i), depth + 1));
        node.args.push_back(std::move(child));
      }
    } else {
      WARDEN_ASSIGN_OR_RETURN(LogicNode child,
                              Compile(args, op_path, depth + 1));
      node.args.push_back(std::move(child));
    }
    if (node.args.size() < info->min_args ||
        node.args.size() > info->max_args) {
      return InvalidArgument(
          fmt::format("{}: \"{}\" takes {} argument(s), got {}", op_path, name,
                      ArityText(*info), node.args.size()));
    }
    CheckFlagdOperation(node, name, op_path);
    return node;
  }

  void Warn(std::string path, std::string message) {
    if (warnings_ != nullptr) {
      warnings_->push_back({std::move(path), std::move(message)});
    }
  }

  // What flagd loads but evaluates to null: a wrong argument count, and
  // for sem_ver literal operators or versions it cannot parse.
  void CheckFlagdOperation(const LogicNode& node, std::string_view name,
                           const std::string& path) {
    const size_t arity = FlagdArity(node.op);
    if (arity == 0) return;
    if (node.args.size() != arity) {
      Warn(path, fmt::format("\"{}\" takes {} arguments, got {}: it evaluates "
                             "to null, so the rule falls through (as in flagd)",
                             name, arity, node.args.size()));
      return;
    }
    if (node.op != LogicOp::kSemVer) return;
    const boost::json::value& op = node.args[1].literal;
    if (node.args[1].op == LogicOp::kLiteral &&
        (!op.is_string() || !IsSemVerOperator(op.get_string()))) {
      Warn(path + "[1]",
           fmt::format("{} is not a sem_ver operator (=, !=, <, <=, >, >=, "
                       "^, ~): the operation evaluates to null",
                       boost::json::serialize(op).substr(0, 64)));
    }
    for (size_t i : {size_t{0}, size_t{2}}) {
      const LogicNode& arg = node.args[i];
      if (arg.op != LogicOp::kLiteral || arg.literal.is_null()) continue;
      if (!ParseSemVerValue(LogicValue::FromJson(arg.literal))) {
        Warn(fmt::format("{}[{}]", path, i),
             fmt::format("{} is not a semantic version: the operation "
                         "evaluates to null",
                         boost::json::serialize(arg.literal).substr(0, 64)));
      }
    }
  }

  static std::string ArityText(const OpInfo& info) {
    if (info.min_args == info.max_args) return std::to_string(info.min_args);
    if (info.max_args == kAny) return fmt::format("at least {}", info.min_args);
    return fmt::format("{} to {}", info.min_args, info.max_args);
  }

  Result<LogicNode> CompileVar(const boost::json::value& args,
                               const std::string& path, size_t depth) {
    const boost::json::value* name = &args;
    LogicNode node;
    node.op = LogicOp::kVar;
    if (args.is_array()) {
      const auto& a = args.get_array();
      if (a.size() > 2) {
        return InvalidArgument(path + ": \"var\" takes a path and a default");
      }
      if (a.empty()) return node;  // the whole data: unsupported, null
      name = &a[0];
      if (a.size() == 2) {
        WARDEN_ASSIGN_OR_RETURN(LogicNode def,
                                Compile(a[1], path + "[1]", depth + 1));
        node.args.push_back(std::move(def));
      }
    }
    if (name->is_string()) {
      node.path = AttributePath::Parse(name->get_string());
    } else if (name->is_int64() || name->is_uint64()) {
      node.path = AttributePath::Parse(boost::json::serialize(*name));
    } else if (!name->is_null()) {
      return InvalidArgument(path +
                             ": \"var\" path must be a string or number");
    }
    return node;
  }

  // flagd substitutes $evaluators into the targeting text when it loads a
  // file; a $ref it cannot substitute stays behind as an unknown operation
  // and every evaluation of the flag is a PARSE_ERROR (json.go).
  Result<LogicNode> CompileRef(const boost::json::value& args,
                               const std::string& path, size_t depth) {
    if (!args.is_string()) {
      return Unresolved(path, "\"$ref\" does not name an evaluator");
    }
    std::string name(args.get_string());
    const boost::json::value* target = evaluators_.if_contains(name);
    std::string quoted = boost::json::serialize(args).substr(0, 130);
    if (target == nullptr) {
      return Unresolved(path, fmt::format("unknown evaluator {}", quoted));
    }
    if (!active_refs_.insert(name).second) {
      return Unresolved(path,
                        fmt::format("evaluator {} refers to itself", quoted));
    }
    auto node = Compile(*target, "$evaluators." + name, depth + 1);
    active_refs_.erase(name);
    return node;
  }

  LogicNode Unresolved(const std::string& path, std::string what) {
    Warn(path, what + ": the flag answers PARSE_ERROR (as in flagd)");
    if (parse_error_.empty()) parse_error_ = "targeting: " + what;
    return LogicNode{};  // a null literal; never evaluated
  }

  const boost::json::object& evaluators_;
  const EvalLimits& limits_;
  ConfigWarnings* warnings_;
  size_t nodes_ = 0;
  std::set<std::string> active_refs_;
  std::string parse_error_;
};

// ---- value helpers (JavaScript coercions, as json-logic-js does) ----

double ToNumber(const LogicValue& v) {
  switch (v.kind) {
    case LogicValue::Kind::kNull:
      return 0;
    case LogicValue::Kind::kBool:
      return v.b ? 1 : 0;
    case LogicValue::Kind::kNumber:
      return v.num;
    case LogicValue::Kind::kString: {
      std::string_view s = v.str();
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      if (s.empty()) return 0;
      double out = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || ptr != s.data() + s.size()) return NAN;
      return out;
    }
    default:
      return NAN;
  }
}

void AppendString(std::string* out, const LogicValue& v) {
  switch (v.kind) {
    case LogicValue::Kind::kBool:
      out->append(v.b ? "true" : "false");
      break;
    case LogicValue::Kind::kNumber:
      AppendNumberText(out, v.num);
      break;
    case LogicValue::Kind::kString:
      out->append(v.str());
      break;
    case LogicValue::Kind::kJson:
      out->append(boost::json::serialize(*v.json));
      break;
    default:
      break;
  }
}

bool StrictEquals(const LogicValue& a, const LogicValue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case LogicValue::Kind::kNull:
      return true;
    case LogicValue::Kind::kBool:
      return a.b == b.b;
    case LogicValue::Kind::kNumber:
      return a.num == b.num;
    case LogicValue::Kind::kString:
      return a.str() == b.str();
    case LogicValue::Kind::kJson:
      return a.json == b.json;
    default:
      return false;
  }
}

bool IsPrimitive(const LogicValue& v) {
  return v.kind != LogicValue::Kind::kJson &&
         v.kind != LogicValue::Kind::kArray;
}

bool LooseEquals(const LogicValue& a, const LogicValue& b) {
  if (a.kind == b.kind) return StrictEquals(a, b);
  if (a.kind == LogicValue::Kind::kNull || b.kind == LogicValue::Kind::kNull) {
    return false;
  }
  if (!IsPrimitive(a) || !IsPrimitive(b)) return false;
  return ToNumber(a) == ToNumber(b);
}

// JavaScript's abstract relational comparison: strings compare as strings,
// anything else numerically (NaN compares false).
bool Less(const LogicValue& a, const LogicValue& b, bool or_equal) {
  if (a.kind == LogicValue::Kind::kString &&
      b.kind == LogicValue::Kind::kString) {
    return or_equal ? a.str() <= b.str() : a.str() < b.str();
  }
  double x = ToNumber(a), y = ToNumber(b);
  return or_equal ? x <= y : x < y;
}

size_t ArraySize(const LogicValue& v) {
  if (v.kind == LogicValue::Kind::kArray) return v.items.size();
  if (v.kind == LogicValue::Kind::kJson && v.json->is_array()) {
    return v.json->get_array().size();
  }
  return 0;
}

LogicValue ArrayItem(const LogicValue& v, size_t i) {
  if (v.kind == LogicValue::Kind::kArray) return v.items[i];
  return LogicValue::FromJson(v.json->get_array()[i]);
}

bool IsArray(const LogicValue& v) {
  return v.kind == LogicValue::Kind::kArray ||
         (v.kind == LogicValue::Kind::kJson && v.json->is_array());
}

class Interpreter {
 public:
  Interpreter(const EvalScope& scope, size_t max_steps)
      : scope_(scope), steps_left_(max_steps) {}

  bool over_budget() const { return over_budget_; }

  LogicValue Eval(const LogicNode& n) {
    if (steps_left_ == 0) {
      over_budget_ = true;
      return LogicValue::Null();
    }
    --steps_left_;
    switch (n.op) {
      case LogicOp::kLiteral:
        return LogicValue::FromJson(n.literal);
      case LogicOp::kArray:
        return EvalArray(n);
      case LogicOp::kVar:
        return EvalVar(n);
      case LogicOp::kIf:
        return EvalIf(n);
      case LogicOp::kAnd:
        return EvalAndOr(n, /*is_and=*/true);
      case LogicOp::kOr:
        return EvalAndOr(n, /*is_and=*/false);
      case LogicOp::kNot:
        return LogicValue::Bool(!Truthy(Eval(n.args[0])));
      case LogicOp::kNotNot:
        return LogicValue::Bool(Truthy(Eval(n.args[0])));
      case LogicOp::kEq:
        return LogicValue::Bool(LooseEquals(Eval(n.args[0]), Eval(n.args[1])));
      case LogicOp::kStrictEq:
        return LogicValue::Bool(StrictEquals(Eval(n.args[0]), Eval(n.args[1])));
      case LogicOp::kNe:
        return LogicValue::Bool(!LooseEquals(Eval(n.args[0]), Eval(n.args[1])));
      case LogicOp::kStrictNe:
        return LogicValue::Bool(
            !StrictEquals(Eval(n.args[0]), Eval(n.args[1])));
      case LogicOp::kLt:
      case LogicOp::kLe:
        return EvalLess(n, n.op == LogicOp::kLe);
      case LogicOp::kGt:
        return LogicValue::Bool(Less(Eval(n.args[1]), Eval(n.args[0]), false));
      case LogicOp::kGe:
        return LogicValue::Bool(Less(Eval(n.args[1]), Eval(n.args[0]), true));
      case LogicOp::kCat:
        return EvalCat(n);
      case LogicOp::kAdd:
      case LogicOp::kSub:
      case LogicOp::kMul:
      case LogicOp::kDiv:
      case LogicOp::kMod:
      case LogicOp::kMin:
      case LogicOp::kMax:
        return EvalArithmetic(n);
      case LogicOp::kIn:
        return EvalIn(n);
      case LogicOp::kMissing:
        return EvalMissing(n);
      case LogicOp::kMissingSome:
        return EvalMissingSome(n);
      case LogicOp::kFractional:
        return EvalFractional(n);
      case LogicOp::kSemVer:
        return EvalSemVer(n);
      case LogicOp::kStartsWith:
      case LogicOp::kEndsWith:
        return EvalStringCompare(n);
    }
    return LogicValue::Null();
  }

 private:
  LogicValue EvalArray(const LogicNode& n) {
    LogicValue out;
    out.kind = LogicValue::Kind::kArray;
    out.items.reserve(n.args.size());
    for (const LogicNode& child : n.args) out.items.push_back(Eval(child));
    return out;
  }

  LogicValue FromRef(const AttributeRef& ref) {
    switch (ref.kind) {
      case AttributeRef::Kind::kJson:
        return LogicValue::FromJson(*ref.json);
      case AttributeRef::Kind::kString:
        return LogicValue::Borrowed(ref.str);
      case AttributeRef::Kind::kNumber:
        return LogicValue::Number(ref.num);
      default:
        return LogicValue::Null();
    }
  }

  LogicValue EvalVar(const LogicNode& n) {
    LogicValue v = n.path.text.empty() && n.path.parts.empty()
                       ? LogicValue::Null()
                       : FromRef(scope_.Lookup(n.path));
    if (v.kind == LogicValue::Kind::kNull && !n.args.empty()) {
      return Eval(n.args[0]);
    }
    return v;
  }

  LogicValue EvalIf(const LogicNode& n) {
    size_t i = 0;
    for (; i + 1 < n.args.size(); i += 2) {
      if (Truthy(Eval(n.args[i]))) return Eval(n.args[i + 1]);
    }
    return i < n.args.size() ? Eval(n.args[i]) : LogicValue::Null();
  }

  LogicValue EvalAndOr(const LogicNode& n, bool is_and) {
    LogicValue v;
    for (const LogicNode& child : n.args) {
      v = Eval(child);
      if (Truthy(v) != is_and) return v;
    }
    return v;
  }

  LogicValue EvalLess(const LogicNode& n, bool or_equal) {
    LogicValue a = Eval(n.args[0]);
    LogicValue b = Eval(n.args[1]);
    if (!Less(a, b, or_equal)) return LogicValue::Bool(false);
    if (n.args.size() == 2) return LogicValue::Bool(true);
    return LogicValue::Bool(Less(b, Eval(n.args[2]), or_equal));
  }

  LogicValue EvalCat(const LogicNode& n) {
    std::string out;
    for (const LogicNode& child : n.args) AppendString(&out, Eval(child));
    return LogicValue::Owned(std::move(out));
  }

  LogicValue EvalArithmetic(const LogicNode& n) {
    std::vector<double> xs;
    xs.reserve(n.args.size());
    for (const LogicNode& child : n.args) {
      double x = ToNumber(Eval(child));
      if (std::isnan(x)) return LogicValue::Null();
      xs.push_back(x);
    }
    double r = xs.empty() ? 0 : xs[0];
    switch (n.op) {
      case LogicOp::kAdd:
        r = 0;
        for (double x : xs) r += x;
        break;
      case LogicOp::kMul:
        for (size_t i = 1; i < xs.size(); ++i) r *= xs[i];
        break;
      case LogicOp::kSub:
        r = xs.size() == 1 ? -xs[0] : xs[0] - xs[1];
        break;
      case LogicOp::kDiv:
        if (xs[1] == 0) return LogicValue::Null();
        r = xs[0] / xs[1];
        break;
      case LogicOp::kMod:
        if (xs[1] == 0) return LogicValue::Null();
        r = std::fmod(xs[0], xs[1]);
        break;
      case LogicOp::kMin:
        for (double x : xs) r = std::min(r, x);
        break;
      case LogicOp::kMax:
        for (double x : xs) r = std::max(r, x);
        break;
      default:
        break;
    }
    if (!std::isfinite(r)) return LogicValue::Null();
    return LogicValue::Number(r);
  }

  LogicValue EvalIn(const LogicNode& n) {
    LogicValue needle = Eval(n.args[0]);
    LogicValue hay = Eval(n.args[1]);
    if (hay.kind == LogicValue::Kind::kString) {
      std::string text;
      AppendString(&text, needle);
      return LogicValue::Bool(needle.kind != LogicValue::Kind::kNull &&
                              hay.str().find(text) != std::string_view::npos);
    }
    size_t size = ArraySize(hay);
    for (size_t i = 0; i < size; ++i) {
      if (StrictEquals(ArrayItem(hay, i), needle))
        return LogicValue::Bool(true);
    }
    return LogicValue::Bool(false);
  }

  bool IsMissing(const LogicValue& key) {
    std::string text;
    AppendString(&text, key);
    LogicValue v = FromRef(scope_.Lookup(AttributePath::Parse(text)));
    return v.kind == LogicValue::Kind::kNull ||
           (v.kind == LogicValue::Kind::kString && v.str().empty());
  }

  // The keys to test: the arguments, or the elements of a first array.
  std::vector<LogicValue> KeysOf(const LogicValue& first, const LogicNode& n,
                                 size_t from) {
    std::vector<LogicValue> keys;
    if (IsArray(first)) {
      for (size_t i = 0; i < ArraySize(first); ++i)
        keys.push_back(ArrayItem(first, i));
      return keys;
    }
    for (size_t i = from; i < n.args.size(); ++i)
      keys.push_back(Eval(n.args[i]));
    return keys;
  }

  LogicValue MissingList(const std::vector<LogicValue>& keys) {
    LogicValue out;
    out.kind = LogicValue::Kind::kArray;
    for (const LogicValue& key : keys) {
      if (!IsMissing(key)) continue;
      std::string text;
      AppendString(&text, key);
      out.items.push_back(LogicValue::Owned(std::move(text)));
    }
    return out;
  }

  LogicValue EvalMissing(const LogicNode& n) {
    if (n.args.empty()) return MissingList({});
    LogicValue first = Eval(n.args[0]);
    return MissingList(KeysOf(first, n, 0));
  }

  LogicValue EvalMissingSome(const LogicNode& n) {
    double need = ToNumber(Eval(n.args[0]));
    LogicValue keys_value = Eval(n.args[1]);
    std::vector<LogicValue> keys = KeysOf(keys_value, n, 2);
    LogicValue missing = MissingList(keys);
    double found = static_cast<double>(keys.size() - missing.items.size());
    if (found >= need) {
      LogicValue empty;
      empty.kind = LogicValue::Kind::kArray;
      return empty;
    }
    return missing;
  }

  // flagd fractional: [bucketBy?, [variant, weight?]...].
  LogicValue EvalFractional(const LogicNode& n) {
    Murmur3Hasher hasher;
    size_t first = 0;
    LogicValue bucket_by = Eval(n.args[0]);
    if (bucket_by.kind == LogicValue::Kind::kString) {
      hasher.Update(bucket_by.str());
      first = 1;
    } else {
      if (bucket_by.kind == LogicValue::Kind::kNull) first = 1;
      const std::string& key = scope_.ctx().targeting_key;
      if (key.empty()) return LogicValue::Null();
      hasher.Update(scope_.flag_key());
      hasher.Update(key);
    }
    std::vector<LogicValue> variants;
    std::vector<uint32_t> weights;
    uint64_t total = 0;
    for (size_t i = first; i < n.args.size(); ++i) {
      LogicValue dist = i == 0 ? std::move(bucket_by) : Eval(n.args[i]);
      if (!IsArray(dist) || ArraySize(dist) == 0) return LogicValue::Null();
      LogicValue variant = ArrayItem(dist, 0);
      if (!IsPrimitive(variant)) return LogicValue::Null();
      int64_t weight = 1;
      if (ArraySize(dist) >= 2) {
        LogicValue w = ArrayItem(dist, 1);
        if (w.kind == LogicValue::Kind::kNumber) {
          if (w.num != std::trunc(w.num) ||
              w.num > std::numeric_limits<int32_t>::max()) {
            return LogicValue::Null();
          }
          // Negative weights count as 0 (checked before the cast, which
          // is undefined below INT64_MIN).
          weight = w.num < 0 ? 0 : static_cast<int64_t>(w.num);
        } else if (w.kind != LogicValue::Kind::kNull) {
          return LogicValue::Null();
        }
      }
      total += static_cast<uint64_t>(weight);
      if (total > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
        return LogicValue::Null();
      }
      variants.push_back(std::move(variant));
      weights.push_back(static_cast<uint32_t>(weight));
    }
    if (total == 0) return LogicValue::Null();
    uint64_t bucket =
        FractionalBucket(hasher.Finish(), static_cast<uint32_t>(total));
    uint64_t end = 0;
    for (size_t i = 0; i < variants.size(); ++i) {
      end += weights[i];
      if (bucket < end) return std::move(variants[i]);
    }
    return LogicValue::Null();
  }

  // flagd sem_ver: [version, operator, version]; anything else is null.
  LogicValue EvalSemVer(const LogicNode& n) {
    if (n.args.size() != 3) return LogicValue::Null();
    LogicValue a = Eval(n.args[0]);
    LogicValue op = Eval(n.args[1]);
    LogicValue b = Eval(n.args[2]);
    if (op.kind != LogicValue::Kind::kString) return LogicValue::Null();
    std::optional<SemVer> va = ParseSemVerValue(a), vb = ParseSemVerValue(b);
    if (!va || !vb) return LogicValue::Null();
    std::string_view o = op.str();
    int c = CompareSemVer(*va, *vb);
    if (o == "=") return LogicValue::Bool(c == 0);
    if (o == "!=") return LogicValue::Bool(c != 0);
    if (o == "<") return LogicValue::Bool(c < 0);
    if (o == "<=") return LogicValue::Bool(c <= 0);
    if (o == ">") return LogicValue::Bool(c > 0);
    if (o == ">=") return LogicValue::Bool(c >= 0);
    if (o == "^") return LogicValue::Bool(va->major == vb->major);
    if (o == "~") {
      return LogicValue::Bool(va->major == vb->major && va->minor == vb->minor);
    }
    return LogicValue::Null();
  }

  // flagd starts_with / ends_with: [string, string]; anything else is null.
  LogicValue EvalStringCompare(const LogicNode& n) {
    if (n.args.size() != 2) return LogicValue::Null();
    LogicValue a = Eval(n.args[0]);
    LogicValue b = Eval(n.args[1]);
    if (a.kind != LogicValue::Kind::kString ||
        b.kind != LogicValue::Kind::kString) {
      return LogicValue::Null();
    }
    return LogicValue::Bool(n.op == LogicOp::kStartsWith
                                ? a.str().starts_with(b.str())
                                : a.str().ends_with(b.str()));
  }

  const EvalScope& scope_;
  size_t steps_left_;
  bool over_budget_ = false;
};

}  // namespace

void AppendNumberText(std::string* out, double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e15) {
    fmt::format_to(std::back_inserter(*out), "{}", static_cast<int64_t>(d));
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", d);
  }
}

LogicValue LogicValue::Bool(bool v) {
  LogicValue out;
  out.kind = Kind::kBool;
  out.b = v;
  return out;
}

LogicValue LogicValue::Number(double v) {
  LogicValue out;
  out.kind = Kind::kNumber;
  out.num = v;
  return out;
}

LogicValue LogicValue::Borrowed(std::string_view v) {
  LogicValue out;
  out.kind = Kind::kString;
  out.view = v;
  return out;
}

LogicValue LogicValue::Owned(std::string v) {
  LogicValue out;
  out.kind = Kind::kString;
  out.owned = std::move(v);
  out.is_owned = true;
  return out;
}

LogicValue LogicValue::FromJson(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::bool_:
      return Bool(v.get_bool());
    case boost::json::kind::int64:
      return Number(static_cast<double>(v.get_int64()));
    case boost::json::kind::uint64:
      return Number(static_cast<double>(v.get_uint64()));
    case boost::json::kind::double_:
      return Number(v.get_double());
    case boost::json::kind::string:
      return Borrowed(v.get_string());
    case boost::json::kind::array:
    case boost::json::kind::object: {
      LogicValue out;
      out.kind = Kind::kJson;
      out.json = &v;
      return out;
    }
    default:
      return Null();
  }
}

bool Truthy(const LogicValue& v) {
  switch (v.kind) {
    case LogicValue::Kind::kNull:
      return false;
    case LogicValue::Kind::kBool:
      return v.b;
    case LogicValue::Kind::kNumber:
      return v.num != 0 && !std::isnan(v.num);
    case LogicValue::Kind::kString:
      return !v.str().empty();
    case LogicValue::Kind::kArray:
      return !v.items.empty();
    case LogicValue::Kind::kJson:
      return !v.json->is_array() || !v.json->get_array().empty();
  }
  return false;
}

JsonLogic::JsonLogic() = default;
JsonLogic::~JsonLogic() = default;

Result<std::unique_ptr<JsonLogic>> JsonLogic::Compile(
    const boost::json::value& expr, std::string_view path,
    const boost::json::object& evaluators, const EvalLimits& limits,
    ConfigWarnings* warnings) {
  Compiler compiler(evaluators, limits, warnings);
  WARDEN_ASSIGN_OR_RETURN(LogicNode root,
                          compiler.Compile(expr, std::string(path), 0));
  std::unique_ptr<JsonLogic> logic(new JsonLogic());
  logic->root_ = std::make_unique<LogicNode>(std::move(root));
  logic->max_steps_ = limits.max_logic_steps;
  logic->parse_error_ = compiler.TakeParseError();
  if (logic->parse_error_.empty()) {
    logic->program_ = LogicProgram::Compile(*logic->root_, limits);
  }
  return logic;
}

LogicValue JsonLogic::Evaluate(const EvalScope& scope,
                               bool* over_budget) const {
  LogicValue v;          // one named result: returned without a copy
  *over_budget = false;  // a program's tree fits the step budget
  if (program_ == nullptr || !program_->Run(scope, &v)) {
    v = Interpret(scope, over_budget);
  }
  return v;
}

LogicValue JsonLogic::Interpret(const EvalScope& scope,
                                bool* over_budget) const {
  Interpreter interpreter(scope, max_steps_);
  LogicValue v = interpreter.Eval(*root_);
  *over_budget = interpreter.over_budget();
  if (*over_budget) return LogicValue::Null();
  return v;
}

}  // namespace warden::eval
