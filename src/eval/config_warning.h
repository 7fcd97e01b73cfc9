// ConfigWarning: something a flag definition does that flagd accepts but
// that will not behave as its author probably meant (a $ref to a missing
// evaluator makes the flag answer PARSE_ERROR; a custom operation with the
// wrong number of arguments evaluates to null; a flag has no off variant
// for exposure limits). Import reports them instead of refusing the file.
// Plain value type.
#ifndef WARDEN_EVAL_CONFIG_WARNING_H_
#define WARDEN_EVAL_CONFIG_WARNING_H_

#include <string>
#include <vector>

namespace warden::eval {

struct ConfigWarning {
  std::string path;     // JSON path, e.g. "flags.checkout.targeting.if[0]"
  std::string message;  // what happens at evaluation, for humans
};

// Where compilers append warnings; nullptr: nobody is listening.
using ConfigWarnings = std::vector<ConfigWarning>;

}  // namespace warden::eval

#endif  // WARDEN_EVAL_CONFIG_WARNING_H_
