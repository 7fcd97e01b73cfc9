// The inventory of non-human identities: registration with governance rules,
// updates, lifecycle transitions, search. Records are never deleted;
// decommissioning is revocation. Thread-safe.
#ifndef WARDEN_INVENTORY_INVENTORY_SERVICE_H_
#define WARDEN_INVENTORY_INVENTORY_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "approvals/approval_engine.h"
#include "core/identity.h"
#include "inventory/identity_change_effects.h"
#include "service/auditor.h"

namespace warden::inventory {

// A registration request. `identity` carries the caller's fields; id,
// status, timestamps and version are assigned by the service. When
// `declared_risk_tier` is unset the tier is derived.
struct IdentityDraft {
  Identity identity;
  std::optional<RiskTier> declared_risk_tier;
  bool interactive = false;  // a human's interactive account: refused
  // The change reference (e.g. "CHG-1234") a change-controlled
  // registration needs (identity_change_control.h).
  std::string ticket;
};

// An update: only set fields change. Kind, environment and name are fixed
// at registration.
struct IdentityPatch {
  std::optional<std::string> owner;
  std::optional<std::string> application;
  std::optional<std::string> business_function;
  std::optional<RiskTier> risk_tier;      // declares the tier
  bool clear_declared_risk_tier = false;  // go back to the derived tier
  std::optional<std::string> auth_method;
  std::optional<std::vector<std::string>> scopes;
  std::optional<int> rotation_days;
  std::optional<Timestamp> expires_at;
  std::optional<std::string> justification;
  std::optional<std::string> vendor;
  std::optional<std::string> tenant;
  std::optional<std::string> external_id;
  std::optional<std::string> sponsor;
  std::optional<std::string> task_scope;
  std::optional<int64_t> expected_version;  // If-Match
  // The change reference a widening (new scopes, a vendor) needs.
  std::string ticket;
};

enum class LifecycleAction { kSuspend, kResume, kRevoke };

// Change control (identity_change_control.h): a controlled registration
// or widening requested by any role but admin and security needs a ticket
// and opens an identity_change approval decided by security. A registration
// is stored with status pending (no credentials) until approved, and is
// revoked when declined or when the approval expires; a widening is held in
// the approval's subject and applied, in the decision's write unit, when
// approved.
class InventoryService {
 public:
  // `approvals` (borrowed, may be null) carries change control; the
  // service registers the identity_change kind's hooks
  // (identity_change_effects.h) with it. Without
  // one, a controlled change that is not satisfied by the requester's role
  // is refused (kFailedPrecondition "change-control-unavailable").
  InventoryService(Store& store, Auditor& auditor,
                   approvals::ApprovalEngine* approvals = nullptr);

  // Errors: kInvalidArgument (validation-failed, human-account-refused,
  // a controlled registration without ticket), kFailedPrecondition
  // ("unknown-owner", "exception-required" naming the rules), kAlreadyExists
  // (name taken), kPermissionDenied. When the registration is held for
  // approval the identity is returned pending and `*opened` (when given)
  // receives the approval request.
  Result<Identity> Create(const Caller& caller, IdentityDraft draft,
                          ApprovalRecord* opened = nullptr);
  Result<Identity> Get(const Caller& caller, std::string_view id);
  Result<Page<Identity>> List(const Caller& caller,
                              const IdentityFilter& filter,
                              const PageRequest& page);
  // A widening that needs approval changes nothing yet: the identity is
  // returned as it is and `*opened` receives the approval request (the
  // patch must then hold only scopes, vendor and ticket: other fields are
  // refused, to be sent apart).
  Result<Identity> Update(const Caller& caller, std::string_view id,
                          const IdentityPatch& patch,
                          ApprovalRecord* opened = nullptr);
  // `reason` is required for suspend and revoke (1..2000 chars).
  Result<Identity> Transition(const Caller& caller, std::string_view id,
                              LifecycleAction action, std::string reason);

  // Moves every active identity past its expires_at to expired, audited as
  // actor "system". Returns how many changed. Called by a timer.
  Result<int> ExpireDue();

  // Called after every committed lifecycle transition with the identity as
  // changed (the OAuth server makes a suspended or revoked identity's live
  // tokens inactive). Set once during setup, before serving.
  using TransitionListener = std::function<void(const Identity&)>;
  void set_transition_listener(TransitionListener listener) {
    transition_listener_ = std::move(listener);
  }

 private:
  Store& store_;
  Auditor& auditor_;
  approvals::ApprovalEngine* const approvals_;
  IdentityChangeEffects change_effects_;
  TransitionListener transition_listener_;
};

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_INVENTORY_SERVICE_H_
