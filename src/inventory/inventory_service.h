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

#include "core/identity.h"
#include "service/auditor.h"

namespace warden::inventory {

// A registration request. `identity` carries the caller's fields; id,
// status, timestamps and version are assigned by the service. When
// `declared_risk_tier` is unset the tier is derived.
struct IdentityDraft {
  Identity identity;
  std::optional<RiskTier> declared_risk_tier;
  bool interactive = false;  // a human's interactive account: refused
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
  std::optional<int64_t> expected_version;  // If-Match
};

enum class LifecycleAction { kSuspend, kResume, kRevoke };

class InventoryService {
 public:
  InventoryService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

  // Errors: kInvalidArgument (validation-failed, human-account-refused),
  // kFailedPrecondition ("unknown-owner", "exception-required" naming the
  // rules), kAlreadyExists (name taken), kPermissionDenied.
  Result<Identity> Create(const Caller& caller, IdentityDraft draft);
  Result<Identity> Get(const Caller& caller, std::string_view id);
  Result<Page<Identity>> List(const Caller& caller,
                              const IdentityFilter& filter,
                              const PageRequest& page);
  Result<Identity> Update(const Caller& caller, std::string_view id,
                          const IdentityPatch& patch);
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
  TransitionListener transition_listener_;
};

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_INVENTORY_SERVICE_H_
