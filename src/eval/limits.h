// Named limits on untrusted configuration and evaluation input. Flag
// definitions arrive over the API and from files; each limit bounds memory
// or CPU that one definition or evaluation may use.
#ifndef WARDEN_EVAL_LIMITS_H_
#define WARDEN_EVAL_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace warden::eval {

struct EvalLimits {
  // Size of one environment.
  size_t max_flags = 100'000;
  size_t max_variants_per_flag = 1'000;
  size_t max_rules_per_flag = 1'000;
  size_t max_conditions_per_rule = 100;
  size_t max_operand_values = 100'000;  // "in" lists
  size_t max_segment_tenants = 1'000'000;
  // RE2: linear time by construction; these bound compile cost and memory.
  size_t max_regex_pattern_length = 1'024;
  int64_t regex_max_mem = 1 << 20;
  // JsonLogic: depth bounds recursion (stack), nodes bound memory, steps
  // bound the CPU one evaluation may spend (an evaluation over budget fails
  // with GENERAL instead of running on).
  size_t max_logic_depth = 64;
  size_t max_logic_nodes = 10'000;
  size_t max_logic_steps = 100'000;
  // flagd files: JSON nesting and size.
  size_t max_import_bytes = 64 << 20;
  size_t max_json_depth = 128;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_LIMITS_H_
