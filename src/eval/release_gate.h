// Release gates: a release's hold on the flags it ships. The releases
// domain decides them (exposure plan, risk-tier gates, opt-ins); the
// evaluator only applies them, after exposure limits and before targeting:
//
//   1. the flag needs an opt-in and the tenant has none    -> GATED
//   2. the flag needs per-tenant clearance (the tenant's account manager's
//      approval plus a recorded notice) and the tenant lacks it -> GATED
//   3. the tenant is outside the live stage's audience     -> STAGED
//
// Each serves off (eval/off_variant.h), as a limit does. A gated or staged
// result names the release (and, when GATED, what is missing and the
// pending approval, if any) so a client can tell why.
#ifndef WARDEN_EVAL_RELEASE_GATE_H_
#define WARDEN_EVAL_RELEASE_GATE_H_

#include <string>
#include <utility>
#include <vector>

namespace warden::eval {

struct ReleaseGate {
  std::string release_id;
  std::string stage;  // the live stage's name ("deployed": dark)
  std::vector<std::string> flag_keys;
  // The live stage's audience: everyone, or the tenants named, in the
  // segments named, or within `percentage` (0..100) of tenants bucketed by
  // MurmurHash3 of release_id + "/" + targeting key (so every flag of a
  // release reaches the same tenants, and a wider stage keeps them).
  bool everyone = false;
  std::vector<std::string> tenants;
  std::vector<std::string> segments;
  double percentage = 0;
  // Flags that need per-tenant clearance, and the tenants cleared.
  std::vector<std::string> cleared_flags;
  std::vector<std::string> cleared_tenants;
  // Pending approval id per tenant, named in a GATED result's metadata.
  std::vector<std::pair<std::string, std::string>> pending_approvals;
  // Flags that need a tenant's opt-in, each with the tenants opted in.
  std::vector<std::pair<std::string, std::vector<std::string>>> opt_ins;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_RELEASE_GATE_H_
