// The identity_change kind of the approvals engine: what deciding an
// identity's change-control approval does (identity_change_control.h).
// Approved: a pending registration becomes active, a held widening is
// applied with the governance checks; declined: a pending registration is
// revoked; expired undecided: the same. Each runs in the decision's (or the
// expiry sweep's) write unit, audited with the decider (or "system") as
// actor. The inbox shows the identity and the proposed change.
//
// Thread-safe; holds a reference to the auditor, which must outlive it and
// the engine it registers with.
#ifndef WARDEN_INVENTORY_IDENTITY_CHANGE_EFFECTS_H_
#define WARDEN_INVENTORY_IDENTITY_CHANGE_EFFECTS_H_

#include <string>

#include "approvals/approval_engine.h"
#include "service/auditor.h"

namespace warden::inventory {

class IdentityChangeEffects {
 public:
  explicit IdentityChangeEffects(Auditor& auditor) : auditor_(auditor) {}

  // Registers the hooks of kind identity_change (setup only).
  void RegisterWith(approvals::ApprovalEngine& engine);

  // The hooks. Errors: kNotFound for a missing identity,
  // kFailedPrecondition "identity-not-pending" (approving a registration
  // no longer pending) or "identity-revoked" (widening a revoked one), or
  // the governance checks' errors; any error rolls the decision back.
  Status ApplyDecision(Transaction& tx, const ApprovalRecord& approval);
  Status ApplyExpiry(Transaction& tx, const ApprovalRecord& approval);
  Result<std::string> DescribeChange(Transaction& tx,
                                     const ApprovalRecord& approval);

 private:
  Status ApplyWidening(Transaction& tx, const ApprovalRecord& approval,
                       Identity identity);
  Status EndPending(Transaction& tx, const ApprovalRecord& approval,
                    Identity identity, std::string reason);

  Auditor& auditor_;
};

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_IDENTITY_CHANGE_EFFECTS_H_
