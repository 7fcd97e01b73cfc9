// The program compiler and runner. Each operation mirrors the interpreter's
// function of the same name in json_logic.cc (flagd's custom operations:
// https://flagd.dev/reference/custom-operations/); the value coercions are
// in json_logic_program_value.h. json_logic_program_test.cc checks program
// and interpreter agree on flagd targeting rules and random expressions.
#include "eval/json_logic_program.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "eval/json_logic_program_value.h"
#include "eval/murmur3.h"
#include "eval/semver.h"

namespace warden::eval {
namespace {

using Kind = LogicValue::Kind;
using program::ArrayItem;
using program::ArraySize;
using program::ConstArray;
using program::Contains;
using program::IsArray;
using program::IsPrimitive;
using program::Less;
using program::LooseEquals;
using program::StrictEquals;
using program::ToNumber;
using program::Truthy;
using program::Value;

// sem_ver reads strings, and finite numbers as their text.
std::optional<SemVer> ParseSemVerValue(const Value& v) {
  if (v.kind == Kind::kString) return ParseSemVer(v.str);
  if (v.kind != Kind::kNumber || !std::isfinite(v.num)) return std::nullopt;
  std::string text;
  AppendNumberText(&text, v.num);
  return ParseSemVer(text);
}

enum class SemVerOp { kEq, kNe, kLt, kLe, kGt, kGe, kMajor, kMinor, kNone };

SemVerOp ParseSemVerOp(const Value& v) {
  if (v.kind != Kind::kString) return SemVerOp::kNone;
  constexpr std::pair<std::string_view, SemVerOp> kOps[] = {
      {"=", SemVerOp::kEq},    {"!=", SemVerOp::kNe},  {"<", SemVerOp::kLt},
      {"<=", SemVerOp::kLe},   {">", SemVerOp::kGt},   {">=", SemVerOp::kGe},
      {"^", SemVerOp::kMajor}, {"~", SemVerOp::kMinor}};
  for (const auto& [name, op] : kOps) {
    if (v.str == name) return op;
  }
  return SemVerOp::kNone;
}

Value CompareVersions(const SemVer& a, SemVerOp op, const SemVer& b) {
  switch (op) {
    case SemVerOp::kEq:
      return Value::Bool(CompareSemVer(a, b) == 0);
    case SemVerOp::kNe:
      return Value::Bool(CompareSemVer(a, b) != 0);
    case SemVerOp::kLt:
      return Value::Bool(CompareSemVer(a, b) < 0);
    case SemVerOp::kLe:
      return Value::Bool(CompareSemVer(a, b) <= 0);
    case SemVerOp::kGt:
      return Value::Bool(CompareSemVer(a, b) > 0);
    case SemVerOp::kGe:
      return Value::Bool(CompareSemVer(a, b) >= 0);
    case SemVerOp::kMajor:
      return Value::Bool(a.major == b.major);
    case SemVerOp::kMinor:
      return Value::Bool(a.major == b.major && a.minor == b.minor);
    case SemVerOp::kNone:
      break;
  }
  return {};
}

// A fractional distribution list, checked and summed once; `valid` false
// when the interpreter would answer null for it.
struct Distribution {
  bool valid = false;
  std::vector<Value> variants;
  std::vector<uint32_t> weights;
  uint32_t total = 0;
};

Distribution BuildDistribution(const std::vector<Value>& dists) {
  Distribution out;
  uint64_t total = 0;
  for (const Value& dist : dists) {
    if (!IsArray(dist) || ArraySize(dist) == 0) return {};
    Value variant = ArrayItem(dist, 0);
    if (!IsPrimitive(variant)) return {};
    int64_t weight = 1;
    if (ArraySize(dist) >= 2) {
      Value w = ArrayItem(dist, 1);
      if (w.kind == Kind::kNumber) {
        if (w.num != std::trunc(w.num) ||
            w.num > std::numeric_limits<int32_t>::max()) {
          return {};
        }
        weight = w.num < 0 ? 0 : static_cast<int64_t>(w.num);
      } else if (w.kind != Kind::kNull) {
        return {};
      }
    }
    total += static_cast<uint64_t>(weight);
    if (total > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
      return {};
    }
    out.variants.push_back(variant);
    out.weights.push_back(static_cast<uint32_t>(weight));
  }
  if (total == 0) return {};
  out.valid = true;
  out.total = static_cast<uint32_t>(total);
  return out;
}

Value Pick(const Distribution& d, uint32_t hash) {
  uint64_t bucket = FractionalBucket(hash, d.total);
  uint64_t end = 0;
  for (size_t i = 0; i < d.variants.size(); ++i) {
    end += d.weights[i];
    if (bucket < end) return d.variants[i];
  }
  return {};
}

}  // namespace

// kFractional: the distributions after the first argument, and (when the
// first argument is itself a constant distribution) all of them.
struct FractionalPlan {
  Distribution rest, all;
};

// kSemVer: operands parsed once when literal.
struct SemVerPlan {
  bool const_op = false, const_a = false, const_b = false;
  SemVerOp op = SemVerOp::kNone;
  std::optional<SemVer> version_a, version_b;
};

// Shapes most flagd conditions take, run without evaluating their operands
// as values.
enum class Form : uint8_t {
  kGeneric,
  kVarEqualsText,   // ==, ===, !=, !==: a plain var and a string literal
  kVarInArray,      // in: a plain var, a constant array
  kTextInVar,       // in: a string literal, a plain var
  kVarTextCompare,  // starts_with, ends_with: a plain var, a string literal
};

// One compiled operation. kLiteral and constant kArray nodes carry their
// value in `constant`.
struct ProgramNode {
  LogicOp op = LogicOp::kLiteral;
  Value constant;
  const AttributePath* path = nullptr;  // kVar; nullptr: the whole data
  std::vector<ProgramNode> args;
  std::unique_ptr<ConstArray> array;           // kArray
  std::unique_ptr<FractionalPlan> fractional;  // kFractional
  std::unique_ptr<SemVerPlan> semver;          // kSemVer with 3 operands
  Form form = Form::kGeneric;
  size_t var_arg = 0;      // the plain var's operand (kVarEqualsText)
  std::string_view text;   // the string literal of a Form
  double text_number = 0;  // ToNumber of it (loose equality)

  bool is_const() const {
    return op == LogicOp::kLiteral || op == LogicOp::kArray;
  }
};

namespace {

size_t CountNodes(const LogicNode& n) {
  size_t count = 1;
  for (const LogicNode& child : n.args) count += CountNodes(child);
  return count;
}

bool IsScalarLiteral(const LogicNode& n) {
  return n.op == LogicOp::kLiteral && !n.literal.is_object() &&
         !n.literal.is_array();
}

class ProgramCompiler {
 public:
  // nullopt when `n` (or a descendant) does not map.
  std::optional<ProgramNode> Compile(const LogicNode& n) {
    ProgramNode out;
    out.op = n.op;
    switch (n.op) {
      case LogicOp::kLiteral:
        out.constant = Value::FromJson(n.literal);
        return out;
      case LogicOp::kArray:
        if (!CompileArray(n, &out)) return std::nullopt;
        return out;
      case LogicOp::kCat:
      case LogicOp::kMissing:
      case LogicOp::kMissingSome:
        return std::nullopt;  // they build new strings and arrays
      case LogicOp::kVar:
        if (!n.path.text.empty() || !n.path.parts.empty()) out.path = &n.path;
        break;
      default:
        break;
    }
    for (size_t i = 0; i < n.args.size(); ++i) {
      const bool hashed_cat = n.op == LogicOp::kFractional && i == 0 &&
                              n.args[0].op == LogicOp::kCat;
      std::optional<ProgramNode> c =
          hashed_cat ? CompileHashedCat(n.args[0]) : Compile(n.args[i]);
      if (!c) return std::nullopt;
      out.args.push_back(std::move(*c));
    }
    if (n.op == LogicOp::kFractional && !PlanFractional(&out)) {
      return std::nullopt;
    }
    if (n.op == LogicOp::kSemVer) PlanSemVer(&out);
    Specialize(&out);
    return out;
  }

 private:
  // fractional's bucketing value {"cat": [...]} (flagd's own examples hash
  // flag key and an attribute this way): its pieces are hashed one after
  // another (EvalFractional), never joined into a string.
  std::optional<ProgramNode> CompileHashedCat(const LogicNode& n) {
    ProgramNode out;
    out.op = LogicOp::kCat;
    for (const LogicNode& child : n.args) {
      std::optional<ProgramNode> c = Compile(child);
      if (!c) return std::nullopt;
      out.args.push_back(std::move(*c));
    }
    return out;
  }

  static bool CompileArray(const LogicNode& n, ProgramNode* out) {
    auto array = std::make_unique<ConstArray>();
    std::vector<std::pair<std::string_view, bool>> strings;
    for (const LogicNode& child : n.args) {
      if (!IsScalarLiteral(child)) return false;  // computed per evaluation
      array->items.push_back(Value::FromJson(child.literal));
      if (child.literal.is_string()) {
        strings.emplace_back(child.literal.get_string(), true);
      }
    }
    if (strings.size() > program::kScanItems) {
      array->strings.Build(strings);  // a repeated member is still a member
      array->indexed = true;
    }
    out->constant.kind = Kind::kArray;
    out->constant.array = array.get();
    out->array = std::move(array);
    return true;
  }

  // Distributions must be literals; the first argument may be any
  // expression (the bucketing value).
  static bool PlanFractional(ProgramNode* n) {
    std::vector<Value> dists;
    for (size_t i = 1; i < n->args.size(); ++i) {
      if (!n->args[i].is_const()) return false;
      dists.push_back(n->args[i].constant);
    }
    n->fractional = std::make_unique<FractionalPlan>();
    n->fractional->rest = BuildDistribution(dists);
    if (n->args[0].op == LogicOp::kArray) {
      dists.insert(dists.begin(), n->args[0].constant);
      n->fractional->all = BuildDistribution(dists);
    }
    return true;
  }

  static bool IsPlainVar(const ProgramNode& n) {
    return n.op == LogicOp::kVar && n.args.empty();
  }

  static bool IsText(const ProgramNode& n) {
    return n.op == LogicOp::kLiteral && n.constant.kind == Kind::kString;
  }

  static void SetForm(ProgramNode* n, Form form, const ProgramNode& text) {
    n->form = form;
    n->text = text.constant.str;
    n->text_number = ToNumber(text.constant);
  }

  static void Specialize(ProgramNode* n) {
    const std::vector<ProgramNode>& a = n->args;
    switch (n->op) {
      case LogicOp::kEq:
      case LogicOp::kStrictEq:
      case LogicOp::kNe:
      case LogicOp::kStrictNe:
        for (size_t i : {size_t{0}, size_t{1}}) {
          if (IsPlainVar(a[i]) && IsText(a[1 - i])) {
            SetForm(n, Form::kVarEqualsText, a[1 - i]);
            n->var_arg = i;
            return;
          }
        }
        return;
      case LogicOp::kIn:
        if (IsPlainVar(a[0]) && a[1].op == LogicOp::kArray) {
          n->form = Form::kVarInArray;
        } else if (IsText(a[0]) && IsPlainVar(a[1])) {
          SetForm(n, Form::kTextInVar, a[0]);
        }
        return;
      case LogicOp::kStartsWith:
      case LogicOp::kEndsWith:
        if (a.size() == 2 && IsPlainVar(a[0]) && IsText(a[1])) {
          SetForm(n, Form::kVarTextCompare, a[1]);
        }
        return;
      default:
        return;
    }
  }

  static void PlanSemVer(ProgramNode* n) {
    if (n->args.size() != 3) return;
    auto plan = std::make_unique<SemVerPlan>();
    if (n->args[1].is_const()) {
      plan->const_op = true;
      plan->op = ParseSemVerOp(n->args[1].constant);
    }
    if (n->args[0].is_const()) {
      plan->const_a = true;
      plan->version_a = ParseSemVerValue(n->args[0].constant);
    }
    if (n->args[2].is_const()) {
      plan->const_b = true;
      plan->version_b = ParseSemVerValue(n->args[2].constant);
    }
    n->semver = std::move(plan);
  }
};

// One evaluation; not shared between threads. Rare or heavy operations are
// kept out of line so that Eval, which recurses, keeps a small frame.
class Runner {
 public:
  explicit Runner(const EvalScope& scope) : scope_(scope) {}

  // True when a value needs the interpreter (see the header).
  bool declined() const { return declined_; }

  // Leaves (literals, plain vars) without the dispatch of Eval: most
  // operands of a flagd rule are one or the other.
  Value Operand(const ProgramNode& n) {
    if (n.op == LogicOp::kLiteral || n.op == LogicOp::kArray) {
      return n.constant;
    }
    if (n.op == LogicOp::kVar && n.args.empty()) return Var(n);
    return Eval(n);
  }

  Value Eval(const ProgramNode& n) {
    switch (n.op) {
      case LogicOp::kLiteral:
      case LogicOp::kArray:
        return n.constant;
      case LogicOp::kVar:
        return EvalVar(n);
      case LogicOp::kIf:
        return EvalIf(n);
      case LogicOp::kAnd:
        return EvalAndOr(n, /*is_and=*/true);
      case LogicOp::kOr:
        return EvalAndOr(n, /*is_and=*/false);
      case LogicOp::kNot:
        return Value::Bool(!Truthy(Eval(n.args[0])));
      case LogicOp::kNotNot:
        return Value::Bool(Truthy(Eval(n.args[0])));
      case LogicOp::kEq:
      case LogicOp::kStrictEq:
      case LogicOp::kNe:
      case LogicOp::kStrictNe:
        return EvalEquality(n);
      case LogicOp::kLt:
      case LogicOp::kLe:
        return EvalLess(n, n.op == LogicOp::kLe);
      case LogicOp::kGt:
        return Value::Bool(Less(Operand(n.args[1]), Operand(n.args[0]), false));
      case LogicOp::kGe:
        return Value::Bool(Less(Operand(n.args[1]), Operand(n.args[0]), true));
      case LogicOp::kIn:
        return EvalIn(n);
      case LogicOp::kFractional:
        return EvalFractional(n);
      case LogicOp::kSemVer:
        return EvalSemVer(n);
      case LogicOp::kStartsWith:
      case LogicOp::kEndsWith:
        return EvalStringCompare(n);
      case LogicOp::kAdd:
      case LogicOp::kSub:
      case LogicOp::kMul:
      case LogicOp::kDiv:
      case LogicOp::kMod:
      case LogicOp::kMin:
      case LogicOp::kMax:
        return EvalArithmetic(n);
      default:
        return Decline();  // never compiled (ProgramCompiler)
    }
  }

 private:
  [[gnu::noinline]] Value Decline() {
    declined_ = true;
    return {};
  }

  static Value FromRef(const AttributeRef& ref) {
    switch (ref.kind) {
      case AttributeRef::Kind::kJson:
        return Value::FromJson(*ref.json);
      case AttributeRef::Kind::kString:
        return Value::String(ref.str);
      case AttributeRef::Kind::kNumber:
        return Value::Number(ref.num);
      default:
        return {};
    }
  }

  // The injected roots inline (EvalScope::LookupSlow answers the same).
  Value Var(const ProgramNode& n) {
    if (n.path == nullptr) return {};
    if (n.path->root == AttributePath::Root::kTargetingKey &&
        !scope_.ctx().targeting_key.empty()) {
      return Value::String(scope_.ctx().targeting_key);
    }
    if (n.path->root == AttributePath::Root::kFlagKey) {
      return Value::String(scope_.flag_key());
    }
    return FromRef(scope_.Lookup(*n.path));
  }

  Value EvalVar(const ProgramNode& n) {
    Value v = Var(n);
    if (v.kind == Kind::kNull && !n.args.empty()) return Eval(n.args[0]);
    return v;
  }

  Value EvalIf(const ProgramNode& n) {
    size_t i = 0;
    for (; i + 1 < n.args.size(); i += 2) {
      if (Truthy(Eval(n.args[i]))) return Operand(n.args[i + 1]);
    }
    return i < n.args.size() ? Operand(n.args[i]) : Value{};
  }

  Value EvalAndOr(const ProgramNode& n, bool is_and) {
    Value v;
    for (const ProgramNode& child : n.args) {
      v = Eval(child);
      if (Truthy(v) != is_and) return v;
    }
    return v;
  }

  Value EvalEquality(const ProgramNode& n) {
    const bool strict =
        n.op == LogicOp::kStrictEq || n.op == LogicOp::kStrictNe;
    const bool negate = n.op == LogicOp::kNe || n.op == LogicOp::kStrictNe;
    bool equal;
    if (n.form == Form::kVarEqualsText) {
      equal = EqualsText(Var(n.args[n.var_arg]), n, strict);
    } else {
      Value a = Operand(n.args[0]);
      Value b = Operand(n.args[1]);
      equal = strict ? StrictEquals(a, b) : LooseEquals(a, b);
    }
    return Value::Bool(equal != negate);
  }

  // StrictEquals / LooseEquals of `v` and the string literal of `n`.
  static bool EqualsText(const Value& v, const ProgramNode& n, bool strict) {
    switch (v.kind) {
      case Kind::kString:
        return BytesEqual(v.str, n.text);
      case Kind::kBool:
      case Kind::kNumber:
        return !strict && ToNumber(v) == n.text_number;
      default:
        return false;  // null and containers equal no string
    }
  }

  Value EvalLess(const ProgramNode& n, bool or_equal) {
    Value a = Operand(n.args[0]);
    Value b = Operand(n.args[1]);
    if (!Less(a, b, or_equal)) return Value::Bool(false);
    if (n.args.size() == 2) return Value::Bool(true);
    return Value::Bool(Less(b, Eval(n.args[2]), or_equal));
  }

  // Streams the interpreter's list of operands: the same operations in the
  // same order, so the same rounding.
  [[gnu::noinline]] Value EvalArithmetic(const ProgramNode& n) {
    double r = n.op == LogicOp::kAdd ? 0 : NAN;
    double second = 0;
    for (size_t i = 0; i < n.args.size(); ++i) {
      double x = ToNumber(Eval(n.args[i]));
      if (std::isnan(x)) return {};
      if (n.op == LogicOp::kAdd) {
        r += x;
      } else if (i == 0) {
        r = x;
      } else if (n.op == LogicOp::kMul) {
        r *= x;
      } else if (n.op == LogicOp::kMin) {
        r = std::min(r, x);
      } else if (n.op == LogicOp::kMax) {
        r = std::max(r, x);
      } else {
        second = x;  // -, /, %: at most two operands
      }
    }
    switch (n.op) {
      case LogicOp::kSub:
        r = n.args.size() == 1 ? -r : r - second;
        break;
      case LogicOp::kDiv:
        if (second == 0) return {};
        r = r / second;
        break;
      case LogicOp::kMod:
        if (second == 0) return {};
        r = std::fmod(r, second);
        break;
      default:
        break;
    }
    if (!std::isfinite(r)) return {};
    return Value::Number(r);
  }

  Value EvalIn(const ProgramNode& n) {
    if (n.form == Form::kVarInArray) {
      return Value::Bool(Contains(*n.args[1].array, Var(n.args[0])));
    }
    if (n.form == Form::kTextInVar) {
      Value hay = Var(n.args[1]);
      if (hay.kind == Kind::kString) {
        return Value::Bool(hay.str.find(n.text) != std::string_view::npos);
      }
      return In(n.args[0].constant, hay);
    }
    return In(Operand(n.args[0]), Operand(n.args[1]));
  }

  Value In(const Value& needle, const Value& hay) {
    if (hay.kind == Kind::kString) return InString(needle, hay.str);
    if (hay.kind == Kind::kArray) {
      return Value::Bool(Contains(*hay.array, needle));
    }
    size_t size = ArraySize(hay);
    for (size_t i = 0; i < size; ++i) {
      if (StrictEquals(ArrayItem(hay, i), needle)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }

  // The needle as text (an array is empty text), then a substring search.
  [[gnu::noinline]] Value InString(const Value& needle, std::string_view hay) {
    switch (needle.kind) {
      case Kind::kNull:
        return Value::Bool(false);
      case Kind::kString:
        return Value::Bool(hay.find(needle.str) != std::string_view::npos);
      case Kind::kBool:
        return Value::Bool(hay.find(needle.b ? "true" : "false") !=
                           std::string_view::npos);
      case Kind::kNumber: {
        std::string text;
        AppendNumberText(&text, needle.num);
        return Value::Bool(hay.find(text) != std::string_view::npos);
      }
      case Kind::kArray:
        return Value::Bool(true);
      case Kind::kJson:
        break;
    }
    return Decline();  // the interpreter serializes the container
  }

  // flagd fractional: [bucketBy?, [variant, weight?]...].
  Value EvalFractional(const ProgramNode& n) {
    Murmur3Hasher hasher;
    const Distribution* d = &n.fractional->rest;
    if (n.args[0].op == LogicOp::kCat) {
      // cat yields a string, always: its text is the bucketing value.
      if (!HashCat(n.args[0], &hasher)) return Decline();
      if (!d->valid) return {};
      return Pick(*d, hasher.Finish());
    }
    Value bucket_by = Operand(n.args[0]);
    if (bucket_by.kind == Kind::kString) {
      hasher.Update(bucket_by.str);
    } else {
      if (bucket_by.kind != Kind::kNull) {
        if (n.args[0].op == LogicOp::kArray) {
          d = &n.fractional->all;
        } else if (IsArray(bucket_by)) {
          return Decline();  // a distribution computed at evaluation
        } else {
          return {};  // not a distribution: null, as in the interpreter
        }
      }
      const std::string& key = scope_.ctx().targeting_key;
      if (key.empty()) return {};
      hasher.Update(scope_.flag_key());
      hasher.Update(key);
    }
    if (!d->valid) return {};
    return Pick(*d, hasher.Finish());
  }

  // Hashes the text "cat" would build (the interpreter's AppendString per
  // piece); false when a piece is a container (serialized as JSON there).
  [[gnu::noinline]] bool HashCat(const ProgramNode& cat,
                                 Murmur3Hasher* hasher) {
    for (const ProgramNode& piece : cat.args) {
      Value v = Operand(piece);
      switch (v.kind) {
        case Kind::kString:
          hasher->Update(v.str);
          break;
        case Kind::kBool:
          hasher->Update(v.b ? "true" : "false");
          break;
        case Kind::kNumber: {
          std::string text;
          AppendNumberText(&text, v.num);
          hasher->Update(text);
          break;
        }
        case Kind::kJson:
          return false;
        default:
          break;  // null and arrays add nothing
      }
    }
    return !declined_;
  }

  [[gnu::noinline]] Value EvalSemVer(const ProgramNode& n) {
    if (n.args.size() != 3) return {};
    Value a = Operand(n.args[0]);
    Value op = Operand(n.args[1]);
    Value b = Operand(n.args[2]);
    const SemVerPlan& plan = *n.semver;
    SemVerOp o = plan.const_op ? plan.op : ParseSemVerOp(op);
    if (op.kind != Kind::kString) return {};
    std::optional<SemVer> parsed_a, parsed_b;
    const std::optional<SemVer>& va =
        plan.const_a ? plan.version_a : (parsed_a = ParseSemVerValue(a));
    const std::optional<SemVer>& vb =
        plan.const_b ? plan.version_b : (parsed_b = ParseSemVerValue(b));
    if (!va || !vb) return {};
    return CompareVersions(*va, o, *vb);
  }

  Value EvalStringCompare(const ProgramNode& n) {
    if (n.form == Form::kVarTextCompare) {
      Value a = Var(n.args[0]);
      if (a.kind != Kind::kString) return {};
      return Value::Bool(n.op == LogicOp::kStartsWith
                             ? BytesStartsWith(a.str, n.text)
                             : BytesEndsWith(a.str, n.text));
    }
    if (n.args.size() != 2) return {};
    Value a = Operand(n.args[0]);
    Value b = Operand(n.args[1]);
    if (a.kind != Kind::kString || b.kind != Kind::kString) return {};
    return Value::Bool(n.op == LogicOp::kStartsWith
                           ? BytesStartsWith(a.str, b.str)
                           : BytesEndsWith(a.str, b.str));
  }

  const EvalScope& scope_;
  bool declined_ = false;
};

}  // namespace

LogicProgram::LogicProgram() = default;
LogicProgram::~LogicProgram() = default;

std::unique_ptr<LogicProgram> LogicProgram::Compile(const LogicNode& root,
                                                    const EvalLimits& limits) {
  if (CountNodes(root) > limits.max_logic_steps) return nullptr;
  std::optional<ProgramNode> node = ProgramCompiler().Compile(root);
  if (!node) return nullptr;
  std::unique_ptr<LogicProgram> program(new LogicProgram());
  program->root_ = std::make_unique<ProgramNode>(std::move(*node));
  return program;
}

bool LogicProgram::Run(const EvalScope& scope, LogicValue* out) const {
  Runner runner(scope);
  Value v = runner.Eval(*root_);
  if (runner.declined() || v.kind == Kind::kArray) return false;
  // *out is a fresh value: set the field its kind reads.
  out->kind = v.kind;
  switch (v.kind) {
    case Kind::kBool:
      out->b = v.b;
      break;
    case Kind::kNumber:
      out->num = v.num;
      break;
    case Kind::kString:
      out->view = v.str;
      break;
    case Kind::kJson:
      out->json = v.json;
      break;
    default:
      break;
  }
  return true;
}

}  // namespace warden::eval
