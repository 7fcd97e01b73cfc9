// Tenants (customer accounts) and segments (cohorts of tenants).
#ifndef WARDEN_EVAL_TENANT_H_
#define WARDEN_EVAL_TENANT_H_

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "eval/flag.h"

namespace warden::eval {

struct Tenant {
  std::string key;              // the targeting key of evaluations
  std::string account_manager;  // a Warden user name
  // Plan, region, anything. Evaluation looks attributes up in the context
  // first and falls back to these, or the other way round for tenant-bound
  // callers (EvaluationContext::stored_attributes_first).
  boost::json::object attributes;
  std::vector<std::string> integrations;
};

// A tenant (targeting key) is in a segment when it is listed explicitly, or
// when `rules` is non-empty and all of them match the evaluation context.
// Explicit lists compile to hash sets: membership is O(1) however large.
// Rules may not use segment operators.
struct Segment {
  std::string key;
  std::vector<std::string> tenant_keys;
  std::vector<Condition> rules;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_TENANT_H_
