// AccessDecisionPoint: Warden as a policy decision point (OpenID AuthZEN
// Authorization API 1.0). It holds each environment's active policy as an
// immutable compiled snapshot (policy::PolicySet behind an atomic
// shared_ptr: a decision takes no lock), gathers Warden's facts for each
// request (fact_gatherer.h), decides, explains, and counts every decision
// in the audit log.
//
// Callers: API tokens holding access.evaluate (admin, security, sdk), or
// workload access tokens carrying scope "access:evaluate". A refused
// caller is audited like every denial (outcome "deny", its own record).
// Decisions are audited as summaries (service/audit_summary_recorder.h):
// one record per (caller, action, environment and policy version,
// outcome) per flush, counting the reasons ("rule:...", "role:...",
// "limit", "no-permit") under details.counts; malformed requests are
// counted with outcome "invalid_argument". A decision is a read, not a
// change: summaries keep the audit of a path serving thousands of
// decisions per second from costing one fsync each.
//
// Environment: a workload's decisions are made in its identity's
// environment; an environment-bound token's in that environment;
// others' in production.
//
// Thread-safety: every method may be called concurrently; Reload races
// with decisions harmlessly (a decision uses the snapshot it loaded).
#ifndef WARDEN_ACCESS_ACCESS_DECISION_POINT_H_
#define WARDEN_ACCESS_ACCESS_DECISION_POINT_H_

#include <array>
#include <atomic>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "access/fact_gatherer.h"
#include "exposure/exposure_publisher.h"
#include "policy/authzen_request.h"
#include "policy/policy_set.h"
#include "service/audit_summary_recorder.h"
#include "service/auditor.h"

namespace warden::access {

// An environment's policy as decisions see it.
struct ActivePolicy {
  Environment environment = Environment::kProduction;
  int64_t version = 0;                              // 0: no policy yet
  std::shared_ptr<const policy::PolicySet> policy;  // null when version 0
};

struct AccessAnswer {
  bool allowed = false;
  boost::json::object context;  // the reasons (decision_explanation.h)
};

struct SearchPage {
  boost::json::array results;  // {"type","id"} or {"name"}
  std::string next_token;      // "" on the last page
};

class AccessDecisionPoint {
 public:
  AccessDecisionPoint(Store& store, Auditor& auditor,
                      AuditSummaryRecorder& summaries, FactGatherer& facts);
  AccessDecisionPoint(const AccessDecisionPoint&) = delete;
  AccessDecisionPoint& operator=(const AccessDecisionPoint&) = delete;

  // Loads every environment's active version (at start, and when another
  // replica may have changed any).
  Status LoadAll();
  // Loads `env`'s active version after a change.
  Status Reload(Environment env);
  std::shared_ptr<const ActivePolicy> Active(Environment env) const;

  // `may_block` false (an I/O thread): a call that would read the store
  // or write an audit record answers WouldBlock() (service/would_block.h)
  // having had no effect, not even a counted decision; the caller repeats
  // it where it may block.
  //
  // Access Evaluation. Errors: kPermissionDenied, the store's.
  Result<AccessAnswer> Evaluate(const Caller& caller,
                                const policy::AccessRequest& request,
                                bool may_block = true);
  // Access Evaluations, in request order, as far as the semantic runs.
  // An item that could not be read answers false with
  // context.error {status: 400, message}. `with_reasons` false keeps the
  // items to {"decision": b} (what the interop suite compares).
  Result<std::vector<AccessAnswer>> Evaluations(
      const Caller& caller, const policy::EvaluationsRequest& request,
      bool with_reasons, bool may_block = true);
  // Subject, resource and action search: the policy's entities of the
  // searched type (its actions), each kept when an evaluation with it
  // permits. A page evaluates at most 10,000 candidates, so a sparse
  // search may answer a short page with a next_token. Errors: kInvalidArgument
  // ("stale-page-token") for a token of another policy version.
  Result<SearchPage> Search(const Caller& caller,
                            const policy::SearchRequest& request,
                            bool may_block = true);

  // Counts a request refused as malformed.
  void NoteInvalid(const Caller& caller, std::string_view action);

 private:
  Status Authorize(const Caller& caller, std::string_view action,
                   bool may_block);
  struct Prepared {
    std::shared_ptr<const ActivePolicy> active;
    CallFacts call;
    bool may_block = true;
  };
  // An answer and the reason id it is counted under.
  struct Decided {
    AccessAnswer answer;
    std::string reason;
  };
  Result<Prepared> Prepare(const Caller& caller, std::string_view action,
                           bool may_block);
  Result<Decided> Decide(const Prepared& prepared,
                         const policy::AccessRequest& request,
                         bool with_reasons);
  void Count(const Caller& caller, std::string_view action,
             const Prepared& prepared, std::string_view outcome,
             std::string_view reason);

  // Immutable after construction.
  Store& store_;
  Auditor& auditor_;
  AuditSummaryRecorder& summaries_;
  FactGatherer& facts_;
  std::array<std::atomic<std::shared_ptr<const ActivePolicy>>,
             std::size(exposure::kAllEnvironments)>
      active_;
};

}  // namespace warden::access

#endif  // WARDEN_ACCESS_ACCESS_DECISION_POINT_H_
