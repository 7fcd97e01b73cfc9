#include "policy/condition.h"

#include <array>
#include <utility>

#include "policy/policy_limits.h"

namespace warden::policy {

enum class ConditionOp {
  kLiteral,
  kVar,
  kAnd,
  kOr,
  kNot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kStartsWith,
  kEndsWith,
  kHas,
  kHasRole,
  kFlagOn,
};

struct ConditionNode {
  ConditionOp op = ConditionOp::kLiteral;
  std::vector<ConditionNode> args;
  const AttributePath* path = nullptr;  // kVar, kHas: into Condition::paths_
  size_t path_index = 0;                // fixed up once paths_ stops growing
  boost::json::value literal;           // kLiteral
  RoleSet roles;                        // kHasRole
  std::string flag;                     // kFlagOn
};

namespace {

using Kind = AttributeValue::Kind;

struct OpSpec {
  std::string_view name;
  ConditionOp op;
  int min_args;
  int max_args;  // -1: any
};

constexpr std::array<OpSpec, 15> kOps = {{
    {"and", ConditionOp::kAnd, 1, -1},
    {"or", ConditionOp::kOr, 1, -1},
    {"!", ConditionOp::kNot, 1, 1},
    {"==", ConditionOp::kEq, 2, 2},
    {"!=", ConditionOp::kNe, 2, 2},
    {"<", ConditionOp::kLt, 2, 2},
    {"<=", ConditionOp::kLe, 2, 2},
    {">", ConditionOp::kGt, 2, 2},
    {">=", ConditionOp::kGe, 2, 2},
    {"in", ConditionOp::kIn, 2, 2},
    {"starts_with", ConditionOp::kStartsWith, 2, 2},
    {"ends_with", ConditionOp::kEndsWith, 2, 2},
    {"var", ConditionOp::kVar, 1, 1},
    {"has", ConditionOp::kHas, 1, 1},
    {"has_role", ConditionOp::kHasRole, 1, -1},
}};

const OpSpec* FindOp(std::string_view name) {
  for (const OpSpec& spec : kOps) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

Status Error(std::string_view where, std::string message) {
  return InvalidArgument(std::string(where) + ": " + message, "policy-invalid");
}

class Compiler {
 public:
  explicit Compiler(const RoleTable& roles) : roles_(roles) {}

  Result<ConditionNode> Node(const boost::json::value& expr,
                             const std::string& where, int depth);
  std::vector<AttributePath> TakePaths() { return std::move(paths_); }
  std::vector<std::string> TakeFlags() { return std::move(flags_); }

 private:
  Result<ConditionNode> Literal(const boost::json::value& expr,
                                const std::string& where);
  Result<ConditionNode> Operation(const boost::json::object& expr,
                                  const std::string& where, int depth);
  Result<ConditionNode> PathOperand(ConditionOp op,
                                    const boost::json::value& arg,
                                    const std::string& where);
  Result<ConditionNode> RoleOperand(std::span<const boost::json::value> args,
                                    const std::string& where);

  const RoleTable& roles_;
  size_t nodes_ = 0;
  std::vector<AttributePath> paths_;
  std::vector<std::string> flags_;
};

Result<ConditionNode> Compiler::Node(const boost::json::value& expr,
                                     const std::string& where, int depth) {
  if (depth > kMaxConditionDepth) {
    return Error(where, "nested deeper than " +
                            std::to_string(kMaxConditionDepth) + " levels");
  }
  if (++nodes_ > kMaxConditionNodes) {
    return Error(where, "the condition has more than " +
                            std::to_string(kMaxConditionNodes) + " nodes");
  }
  if (const auto* object = expr.if_object()) {
    return Operation(*object, where, depth);
  }
  return Literal(expr, where);
}

Result<ConditionNode> Compiler::Literal(const boost::json::value& expr,
                                        const std::string& where) {
  if (const auto* array = expr.if_array()) {
    for (size_t i = 0; i < array->size(); ++i) {
      if ((*array)[i].is_object() || (*array)[i].is_array()) {
        return Error(where + "[" + std::to_string(i) + "]",
                     "a literal list holds only strings, numbers, booleans "
                     "and null");
      }
    }
  }
  ConditionNode node;
  node.op = ConditionOp::kLiteral;
  node.literal = expr;
  return node;
}

Result<ConditionNode> Compiler::Operation(const boost::json::object& expr,
                                          const std::string& where, int depth) {
  if (expr.size() != 1) {
    return Error(where, "an operation is an object with exactly one key");
  }
  const auto& [key, operand] = *expr.begin();
  std::string at = where + "." + std::string(key);
  std::span<const boost::json::value> args(&operand, 1);
  if (const auto* array = operand.if_array()) {
    args = std::span<const boost::json::value>(array->data(), array->size());
  }
  if (key == "flag_on") {
    if (!operand.is_string() || operand.get_string().empty()) {
      return Error(at, "takes a flag key");
    }
    flags_.emplace_back(operand.get_string());
    ConditionNode node;
    node.op = ConditionOp::kFlagOn;
    node.flag = std::string(operand.get_string());
    return node;
  }
  const OpSpec* spec = FindOp(key);
  if (spec == nullptr) {
    return Error(at,
                 "unknown operation (one of and, or, !, ==, !=, <, <=, "
                 ">, >=, in, starts_with, ends_with, var, has, has_role, "
                 "flag_on)");
  }
  const int count = static_cast<int>(args.size());
  if (count < spec->min_args ||
      (spec->max_args >= 0 && count > spec->max_args)) {
    return Error(
        at,
        spec->min_args == spec->max_args
            ? "takes " + std::to_string(spec->min_args) + " argument(s)"
            : "takes at least " + std::to_string(spec->min_args) + " argument");
  }
  if (spec->op == ConditionOp::kVar || spec->op == ConditionOp::kHas) {
    return PathOperand(spec->op, args[0], at);
  }
  if (spec->op == ConditionOp::kHasRole) return RoleOperand(args, at);
  ConditionNode node;
  node.op = spec->op;
  node.args.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg_at =
        operand.is_array() ? at + "[" + std::to_string(i) + "]" : at;
    WARDEN_ASSIGN_OR_RETURN(ConditionNode arg,
                            Node(args[i], arg_at, depth + 1));
    node.args.push_back(std::move(arg));
  }
  return node;
}

Result<ConditionNode> Compiler::PathOperand(ConditionOp op,
                                            const boost::json::value& arg,
                                            const std::string& where) {
  if (!arg.is_string()) return Error(where, "takes an attribute path");
  Result<AttributePath> path = AttributePath::Parse(arg.get_string());
  if (!path.ok()) return Error(where, path.status().message());
  ConditionNode node;
  node.op = op;
  size_t index = 0;
  while (index < paths_.size() && paths_[index].text != path->text) ++index;
  if (index == paths_.size()) paths_.push_back(std::move(*path));
  node.path_index = index;
  return node;
}

Result<ConditionNode> Compiler::RoleOperand(
    std::span<const boost::json::value> args, const std::string& where) {
  ConditionNode node;
  node.op = ConditionOp::kHasRole;
  for (const boost::json::value& arg : args) {
    if (!arg.is_string()) return Error(where, "takes role names");
    int role = roles_.Find(arg.get_string());
    if (role < 0) {
      return Error(where,
                   "unknown role \"" + std::string(arg.get_string()) + "\"");
    }
    node.roles.set(role);
  }
  return node;
}

void FixPaths(ConditionNode& node, const std::vector<AttributePath>& paths) {
  if (node.op == ConditionOp::kVar || node.op == ConditionOp::kHas) {
    node.path = &paths[node.path_index];
  }
  for (ConditionNode& arg : node.args) FixPaths(arg, paths);
}

// ---- evaluation ----

AttributeValue Eval(const ConditionNode& node, const DecisionInput& in);

bool Truth(const ConditionNode& node, const DecisionInput& in) {
  return Eval(node, in).IsTrue();
}

bool Compare(ConditionOp op, const AttributeValue& a, const AttributeValue& b) {
  int order = 0;
  if (a.kind == Kind::kNumber && b.kind == Kind::kNumber) {
    order = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  } else if (a.kind == Kind::kString && b.kind == Kind::kString) {
    order = a.string.compare(b.string);
  } else {
    return false;
  }
  switch (op) {
    case ConditionOp::kLt:
      return order < 0;
    case ConditionOp::kLe:
      return order <= 0;
    case ConditionOp::kGt:
      return order > 0;
    default:
      return order >= 0;
  }
}

bool Contains(const AttributeValue& needle, const AttributeValue& haystack) {
  if (haystack.kind == Kind::kString) {
    return needle.kind == Kind::kString &&
           haystack.string.find(needle.string) != std::string_view::npos;
  }
  if (haystack.kind != Kind::kArray || haystack.json == nullptr ||
      needle.missing()) {
    return false;
  }
  for (const boost::json::value& item : haystack.json->get_array()) {
    if (StrictEquals(needle, AttributeValue::FromJson(&item))) return true;
  }
  return false;
}

bool Affix(ConditionOp op, const AttributeValue& text,
           const AttributeValue& affix) {
  if (text.kind != Kind::kString || affix.kind != Kind::kString) return false;
  return op == ConditionOp::kStartsWith ? text.string.starts_with(affix.string)
                                        : text.string.ends_with(affix.string);
}

bool Predicate(const ConditionNode& node, const DecisionInput& in) {
  switch (node.op) {
    case ConditionOp::kAnd:
      for (const ConditionNode& arg : node.args) {
        if (!Truth(arg, in)) return false;
      }
      return true;
    case ConditionOp::kOr:
      for (const ConditionNode& arg : node.args) {
        if (Truth(arg, in)) return true;
      }
      return false;
    case ConditionOp::kNot:
      return !Truth(node.args[0], in);
    case ConditionOp::kEq:
      return StrictEquals(Eval(node.args[0], in), Eval(node.args[1], in));
    case ConditionOp::kNe: {
      AttributeValue a = Eval(node.args[0], in);
      AttributeValue b = Eval(node.args[1], in);
      return !a.missing() && !b.missing() && !StrictEquals(a, b);
    }
    case ConditionOp::kLt:
    case ConditionOp::kLe:
    case ConditionOp::kGt:
    case ConditionOp::kGe:
      return Compare(node.op, Eval(node.args[0], in), Eval(node.args[1], in));
    case ConditionOp::kIn:
      return Contains(Eval(node.args[0], in), Eval(node.args[1], in));
    case ConditionOp::kStartsWith:
    case ConditionOp::kEndsWith:
      return Affix(node.op, Eval(node.args[0], in), Eval(node.args[1], in));
    case ConditionOp::kHas:
      return !Resolve(in, *node.path).missing();
    case ConditionOp::kHasRole:
      return (in.held_roles & node.roles).any();
    case ConditionOp::kFlagOn:
      return in.facts.FlagOn(node.flag);
    case ConditionOp::kLiteral:
    case ConditionOp::kVar:
      break;
  }
  return false;
}

AttributeValue Eval(const ConditionNode& node, const DecisionInput& in) {
  switch (node.op) {
    case ConditionOp::kLiteral:
      return AttributeValue::FromJson(&node.literal);
    case ConditionOp::kVar:
      return Resolve(in, *node.path);
    default:
      return AttributeValue::Bool(Predicate(node, in));
  }
}

}  // namespace

Condition::Condition() = default;
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;
Condition::~Condition() = default;

Result<Condition> Condition::Compile(const boost::json::value& expr,
                                     std::string_view where,
                                     const RoleTable& roles) {
  Compiler compiler(roles);
  WARDEN_ASSIGN_OR_RETURN(ConditionNode root,
                          compiler.Node(expr, std::string(where), 1));
  Condition condition;
  condition.paths_ = compiler.TakePaths();
  condition.flags_ = compiler.TakeFlags();
  FixPaths(root, condition.paths_);
  condition.root_ = std::make_unique<ConditionNode>(std::move(root));
  return condition;
}

bool Condition::Holds(const DecisionInput& in) const {
  return Truth(*root_, in);
}

}  // namespace warden::policy
