// Internal to src/eval: a JsonLogic tree compiled into an allocation-free
// program, the form most imported flagd targeting runs in.
//
// The interpreter (json_logic.cc) builds values that may own strings and
// arrays, and re-reads literal operands on every evaluation. A program is
// built once from the same tree when every operation in it maps: literals
// are pre-converted, literal arrays become constant tables (string members
// hashed for "in"), fractional distributions become a weight table with
// the flagd bucketing of the interpreter, sem_ver operands are parsed once,
// and values are plain views into the tree or the context.
//
// It maps: literals (arrays only of scalar literals), var (with default;
// $flagd.flagKey, targetingKey), if/?:, and, or, !, !!, ==, ===, !=, !==,
// <, <=, >, >= (and the between forms), in (substring and array
// membership), fractional (with or without a bucketing expression, literal
// distributions; a "cat" bucketing value is hashed piece by piece),
// sem_ver, starts_with, ends_with, + - * / % min max. It does not map cat
// elsewhere, missing, missing_some or arrays computed at evaluation (those
// build new values): such a tree keeps the interpreter.
//
// Equivalence: for every input a program returns what the interpreter
// returns for the same tree, or declines (Run returns false) on the rare
// value shapes whose JsonLogic meaning needs a new value (a JSON container
// turned into text, an array returned as the result) or that no flagd file
// writes (a fractional distribution computed at evaluation); the caller runs
// the interpreter then, which is pure, so the answer is the same. A tree with
// more nodes than the evaluation's step budget is not compiled (each node
// runs at most once, so a compiled tree can never run over budget).
#ifndef WARDEN_EVAL_JSON_LOGIC_PROGRAM_H_
#define WARDEN_EVAL_JSON_LOGIC_PROGRAM_H_

#include <memory>

#include "eval/eval_scope.h"
#include "eval/json_logic.h"
#include "eval/json_logic_node.h"
#include "eval/limits.h"

namespace warden::eval {

struct ProgramNode;

// Immutable after Compile; Run is thread-safe and allocates nothing, except
// where sem_ver parses a context version with a part over 15 bytes or "in"
// formats a number as text longer than that (std::string's inline buffer).
class LogicProgram {
 public:
  // The program for `root`, or nullptr when an operation does not map
  // (see above) or the tree has more than limits.max_logic_steps nodes.
  // `root` must outlive the program (literals are viewed, not copied).
  static std::unique_ptr<LogicProgram> Compile(const LogicNode& root,
                                               const EvalLimits& limits);

  ~LogicProgram();

  // Evaluates against `scope` into *out and returns true, or returns false
  // (and leaves *out unspecified) when the interpreter must answer.
  // REQUIRES: *out is default-constructed (only its non-owning fields are
  // set).
  bool Run(const EvalScope& scope, LogicValue* out) const;

 private:
  LogicProgram();
  std::unique_ptr<ProgramNode> root_;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_JSON_LOGIC_PROGRAM_H_
