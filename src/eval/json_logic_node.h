// Internal to src/eval: the syntax tree a JsonLogic expression compiles to,
// shared by the tree-walking interpreter (json_logic.cc) and the
// allocation-free program built from the same tree (json_logic_program.h).
// Immutable after compilation; plain data.
#ifndef WARDEN_EVAL_JSON_LOGIC_NODE_H_
#define WARDEN_EVAL_JSON_LOGIC_NODE_H_

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "eval/eval_scope.h"

namespace warden::eval {

enum class LogicOp {
  kLiteral,
  kArray,
  kVar,
  kIf,
  kAnd,
  kOr,
  kNot,
  kNotNot,
  kEq,
  kStrictEq,
  kNe,
  kStrictNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kCat,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kMin,
  kMax,
  kIn,
  kMissing,
  kMissingSome,
  kFractional,
  kSemVer,
  kStartsWith,
  kEndsWith,
};

// One operation (`args` are its operands), an array literal (kArray: each
// element is an expression), a literal, or a var (`path`; `args` holds the
// default, if any). A var with an empty path reads the whole data, which
// is unsupported and null.
struct LogicNode {
  LogicOp op = LogicOp::kLiteral;
  boost::json::value literal;  // kLiteral
  AttributePath path;          // kVar
  std::vector<LogicNode> args;
};

// Appends `d` as JsonLogic's text of a number (what "cat", "in" on a
// string and sem_ver read): integers below 1e15 without a fraction, others
// in their shortest round-trip form.
void AppendNumberText(std::string* out, double d);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_JSON_LOGIC_NODE_H_
