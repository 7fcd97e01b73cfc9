// JsonLogic (jsonlogic.com) with flagd's custom operations (fractional,
// sem_ver, starts_with, ends_with), compiled once into an AST so that
// evaluation never re-parses JSON. Where every operation of the AST maps,
// it is compiled further into an allocation-free program
// (json_logic_program.h) that evaluation runs instead of the interpreter,
// with the same result for every input.
//
// Supported: if, and, or, !, !!, ==, ===, !=, !==, <, <=, >, >= (and the
// three-argument "between" form of < and <=), var (dotted paths, default),
// missing, missing_some, cat, +, -, *, /, %, min, max, in (substring and
// array membership), fractional, sem_ver, starts_with, ends_with, and
// {"$ref": name} resolved against flagd "$evaluators" at compile time.
//
// Where flagd loads a definition and only fails or degrades at evaluation,
// so does this compiler (https://flagd.dev/reference/custom-operations/,
// flagd core/pkg/evaluator): a $ref to a missing evaluator (or a cycle of
// them) compiles, and every evaluation of the expression is a PARSE_ERROR
// (parse_error()); the custom operations return null on bad input,
// including the wrong number of arguments, so a rule falls through. Both
// are reported as warnings with their JSON path.
#ifndef WARDEN_EVAL_JSON_LOGIC_H_
#define WARDEN_EVAL_JSON_LOGIC_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "eval/config_warning.h"
#include "eval/eval_scope.h"
#include "eval/limits.h"

namespace warden::eval {

struct LogicNode;
class LogicProgram;

// The value of a JsonLogic expression. Strings and JSON containers are
// borrowed from the AST or the context unless owned (computed by cat).
struct LogicValue {
  enum class Kind { kNull, kBool, kNumber, kString, kJson, kArray };
  Kind kind = Kind::kNull;
  bool b = false;
  double num = 0;
  std::string_view view;
  std::string owned;
  bool is_owned = false;
  const boost::json::value* json = nullptr;  // kJson: borrowed array/object
  std::vector<LogicValue> items;             // kArray: computed array

  std::string_view str() const { return is_owned ? owned : view; }
  static LogicValue Null() { return {}; }
  static LogicValue Bool(bool v);
  static LogicValue Number(double v);
  static LogicValue Borrowed(std::string_view v);
  static LogicValue Owned(std::string v);
  static LogicValue FromJson(const boost::json::value& v);
};

// A compiled expression. Immutable after Compile; Evaluate is thread-safe.
class JsonLogic {
 public:
  // Compiles `expr`. `path` prefixes error messages, e.g.
  // "flags.checkout.targeting.if[1]: unknown operation \"fractionl\"".
  // Returns kInvalidArgument on unknown operations, wrong arity of a
  // standard operation, or a limit exceeded. What flagd tolerates until
  // evaluation (see above) compiles and is appended to `*warnings` (when
  // not null) with its path.
  static Result<std::unique_ptr<JsonLogic>> Compile(
      const boost::json::value& expr, std::string_view path,
      const boost::json::object& evaluators, const EvalLimits& limits,
      ConfigWarnings* warnings = nullptr);

  ~JsonLogic();

  // Non-empty when the expression cannot be evaluated at all (a $ref to a
  // missing or cyclic evaluator): callers answer PARSE_ERROR with it.
  const std::string& parse_error() const { return parse_error_; }

  // Evaluates against `scope`. Sets *over_budget when the step budget ran
  // out (the result is then null).
  // REQUIRES: parse_error().empty().
  // Runs the compiled program (json_logic_program.h) when the expression
  // maps to one, else the interpreter; both give the same value.
  LogicValue Evaluate(const EvalScope& scope, bool* over_budget) const;

  // Evaluate through the interpreter only: the reference the compiled
  // program is tested against.
  // REQUIRES: parse_error().empty().
  LogicValue Interpret(const EvalScope& scope, bool* over_budget) const;

  // The compiled program, or nullptr when the expression does not map.
  const LogicProgram* program() const { return program_.get(); }

 private:
  JsonLogic();
  std::unique_ptr<LogicNode> root_;
  std::unique_ptr<LogicProgram> program_;  // views root_
  size_t max_steps_ = 0;
  std::string parse_error_;
};

bool Truthy(const LogicValue& v);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_JSON_LOGIC_H_
