// Change control of non-human identities, as pure functions: which
// registrations and updates need a security approval (with a ticket)
// before they take effect, and the subject an approval carries.
//
// Controlled: registering an identity in production or for an external
// vendor; widening one that reaches production or a vendor (adding scopes;
// setting or changing its vendor).
// Environment is fixed at registration, so moving an identity to production
// is a new, controlled registration. A requester holding role admin or
// security satisfies change control by its role: the change applies at
// once and its audit record says so.
#ifndef WARDEN_INVENTORY_IDENTITY_CHANGE_CONTROL_H_
#define WARDEN_INVENTORY_IDENTITY_CHANGE_CONTROL_H_

#include <optional>
#include <string>
#include <vector>

#include "core/identity.h"
#include "core/principal.h"
#include "core/status.h"

namespace warden::inventory {

struct IdentityPatch;

// The change an identity_change approval carries in its subject.
struct HeldChange {
  std::string change;                     // "create" or "widen"
  std::vector<std::string> added_scopes;  // widen
  std::optional<std::string> vendor;      // widen: the vendor to set
};

// True when registering `identity` is controlled.
bool IsControlledRegistration(const Identity& identity);

// The widening part of `patch` on `current` (nullopt when it widens
// nothing). Scopes already held and an unchanged vendor do not widen.
std::optional<HeldChange> WideningOf(const Identity& current,
                                     const IdentityPatch& patch);

// True when `principal`'s role satisfies change control by itself.
bool SatisfiesChangeControl(const Principal& principal);

// "requester role <role>": the audit detail of a change that applied at
// once.
std::string SatisfiedByRole(const Principal& principal);

// Subject JSON text of a held change on `identity`, and back. ParseHeld
// fails (kInvalidArgument) on a subject that is not one of ours.
std::string SubjectJson(const Identity& identity, const HeldChange& held);
Result<HeldChange> ParseHeld(const std::string& subject_json);

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_IDENTITY_CHANGE_CONTROL_H_
