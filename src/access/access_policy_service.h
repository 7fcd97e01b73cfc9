// AccessPolicyService: proposes, lists and shows each environment's access
// policy versions (policy_versions.h), and owns the approval kind
// "access_policy".
//
// A proposal is compiled first (a policy that does not load is refused
// with the path of the offending part, 400 "policy-invalid") and stored as
// the next version. In development and staging it becomes active at once;
// in production it waits, "pending", for an approval decided by security
// through the approvals engine (four eyes: never by its proposer's human).
// Approving activates it (unless a newer version is active by then: 409
// "policy-superseded"); declining or letting it expire marks it so. The
// proposal, its approval request and its audit record commit together;
// once a version is active the decision point reloads it.
//
// Thread-safety: every method may be called concurrently.
#ifndef WARDEN_ACCESS_ACCESS_POLICY_SERVICE_H_
#define WARDEN_ACCESS_ACCESS_POLICY_SERVICE_H_

#include <string>
#include <vector>

#include "access/access_decision_point.h"
#include "access/policy_versions.h"
#include "approvals/approval_engine.h"
#include "service/auditor.h"

namespace warden::access {

struct PolicyProposal {
  Environment environment = Environment::kProduction;
  std::string document;  // the policy JSON text
  std::string reason;    // required
};

class AccessPolicyService {
 public:
  AccessPolicyService(Store& store, Auditor& auditor,
                      approvals::ApprovalEngine& approvals,
                      AccessDecisionPoint& decisions);

  // Errors: kInvalidArgument ("policy-invalid", "validation-failed"),
  // kPermissionDenied (access_policy.write), the store's.
  Result<PolicyVersion> Propose(const Caller& caller, PolicyProposal proposal);
  // Newest first (access_policy.read).
  Result<std::vector<PolicyVersion>> List(const Caller& caller,
                                          Environment env);
  // `version` 0: the active one (kNotFound when none).
  Result<PolicyVersion> Get(const Caller& caller, Environment env,
                            int64_t version);

 private:
  void RegisterApprovalKind();
  void ReloadAfterCommit(Environment env);
  Status Decided(Transaction& tx, const ApprovalRecord& record);
  Status Expired(Transaction& tx, const ApprovalRecord& record);

  // Immutable after construction.
  Store& store_;
  Auditor& auditor_;
  approvals::ApprovalEngine& approvals_;
  AccessDecisionPoint& decisions_;
};

}  // namespace warden::access

#endif  // WARDEN_ACCESS_ACCESS_POLICY_SERVICE_H_
