// Decision cases: a policy with requests and the decisions expected of
// them, so teams keep policies under CI (`warden policy test FILE`).
// The file (JSON) reuses the shape of the AuthZEN interop decision files:
//   {
//     "policy": "todo.policy.json" | { ...the policy inline... },
//     "facts": { ...facts for every case (below) },
//     "evaluation":  [{"name"?, "request": <Access Evaluation request>,
//                      "expected": true | false, "facts"?: {...}}],
//     "evaluations": [{"name"?, "request": <Access Evaluations request>,
//                      "expected": [{"decision": true}, ...] | [true, ...],
//                      "facts"?: {...}}]
//   }
// A path in "policy" is relative to the case file. Facts stand in for what
// the server knows (fact_source.h); a case's facts replace the file's:
//   {"subject.identity": {...}, "caller": {...}, "tenant": {...},
//    "now": {...}, "flags_on": ["flag", ...],
//    "denial": {"code": "limit", "detail": "lim-1"}}
#ifndef WARDEN_POLICY_DECISION_CASES_H_
#define WARDEN_POLICY_DECISION_CASES_H_

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "policy/fact_source.h"
#include "policy/policy_set.h"

namespace warden::policy {

// Facts read from a JSON object of the form above.
class StatedFacts : public FactSource {
 public:
  explicit StatedFacts(const boost::json::object* facts) : facts_(facts) {}
  AttributeValue Lookup(FactRoot root,
                        std::span<const std::string> path) const override;
  bool FlagOn(std::string_view flag_key) const override;
  bool Denial(BuiltInDenial* out) const override;

 private:
  const boost::json::object* facts_;  // may be null
};

struct CaseResult {
  std::string name;
  bool passed = false;
  std::string expected;  // "true", "[true,false]"
  std::string got;
  std::string reason;  // the deciding reason id(s)
};

struct CaseReport {
  std::vector<CaseResult> results;
  size_t failed = 0;
};

// Reads a policy path relative to the case file (the CLI reads files).
using PolicyFileReader = std::function<Result<std::string>(const std::string&)>;

// kInvalidArgument naming the path of a malformed case or policy.
Result<CaseReport> RunDecisionCases(const boost::json::object& cases,
                                    const PolicyFileReader& read_policy);

}  // namespace warden::policy

#endif  // WARDEN_POLICY_DECISION_CASES_H_
