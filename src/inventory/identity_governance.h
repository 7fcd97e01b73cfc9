// The governance every identity write passes, shared by the inventory's
// own writes and the change-control effects that apply an approved change
// (private to inventory/). Each check runs inside the caller's write unit,
// on the record as it will be stored. Pure or transaction-bound; any
// thread.
#ifndef WARDEN_INVENTORY_IDENTITY_GOVERNANCE_H_
#define WARDEN_INVENTORY_IDENTITY_GOVERNANCE_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "store/store.h"

namespace warden::inventory {

// "identity/<id>": the audit target.
std::string IdentityTarget(std::string_view id);

// Sorted, without duplicates.
void NormalizeScopes(std::vector<std::string>& scopes);

// Records the derived tier and its reason; the derived tier applies unless
// one was declared.
void ApplyRisk(Identity& identity);

// Field validation, a registered owner team, and an approved, unexpired
// waiver for each rule the identity breaks (`waived` lists them on
// success). Errors: kInvalidArgument "validation-failed", kFailedPrecondition
// "unknown-owner" or "exception-required" naming the rules.
Status CheckGovernance(Transaction& tx, const Identity& identity, Timestamp now,
                       std::vector<std::string>& waived);

// kNotFound "identity \"<id>\" does not exist".
Result<Identity> LoadIdentity(Transaction& tx, std::string_view id);

// The audit details of an identity write.
boost::json::object DescribeIdentity(
    const Identity& identity, const std::vector<std::string>& waived = {});

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_IDENTITY_GOVERNANCE_H_
