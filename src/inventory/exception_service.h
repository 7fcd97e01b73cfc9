// Policy exceptions: bounded, approved waivers of one rule for one identity.
// Thread-safe.
#ifndef WARDEN_INVENTORY_EXCEPTION_SERVICE_H_
#define WARDEN_INVENTORY_EXCEPTION_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "approvals/approval_engine.h"
#include "core/policy_exception.h"
#include "service/auditor.h"

namespace warden::inventory {

// On the approvals engine (when given one): each requested exception opens
// an "exception" approval with the exception's id (approver role
// security), in the same write unit. Deciding either record decides both
// in one write unit: /v1/exceptions/{id}/approve|reject settles the
// approval, /v1/approvals/{id}/approve|decline runs this service's effect
// on the exception; revoking a pending exception declines its approval.
// Exceptions requested before the engine have no approval and are decided
// here alone.
class ExceptionService {
 public:
  // `approvals` (borrowed, may be null: exceptions stand alone) gets the
  // exception kind's hooks registered.
  ExceptionService(Store& store, Auditor& auditor,
                   approvals::ApprovalEngine* approvals = nullptr);

  // Request: identity_name, rule (one of the kRule* names), justification
  // (required), expires_at (future, at most 365 days). requested_by is the
  // caller. Starts pending.
  Result<PolicyException> Request(const Caller& caller,
                                  PolicyException request);
  // kPermissionDenied ("self-approval") when the caller requested it;
  // kFailedPrecondition unless pending and unexpired.
  Result<PolicyException> Decide(const Caller& caller, std::string_view id,
                                 bool approve);
  Result<PolicyException> Revoke(const Caller& caller, std::string_view id);
  Result<PolicyException> Get(const Caller& caller, std::string_view id);
  Result<std::vector<PolicyException>> List(const Caller& caller,
                                            std::string_view identity_name);

 private:
  // The exception kind's hooks.
  Status ApplyDecision(Transaction& tx, const ApprovalRecord& approval);
  Result<std::string> DescribeException(Transaction& tx,
                                        const ApprovalRecord& approval);

  Store& store_;
  Auditor& auditor_;
  approvals::ApprovalEngine* const approvals_;
};

// True when `exceptions` holds an approved, unexpired waiver of `rule`.
bool HasActiveException(const std::vector<PolicyException>& exceptions,
                        std::string_view rule, Timestamp now);

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_EXCEPTION_SERVICE_H_
