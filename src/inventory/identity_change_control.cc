#include "inventory/identity_change_control.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "inventory/inventory_service.h"

namespace warden::inventory {

bool IsControlledRegistration(const Identity& identity) {
  return identity.environment == Environment::kProduction ||
         !identity.vendor.empty();
}

std::optional<HeldChange> WideningOf(const Identity& current,
                                     const IdentityPatch& patch) {
  HeldChange held;
  held.change = "widen";
  if (patch.scopes.has_value()) {
    for (const std::string& scope : *patch.scopes) {
      if (!std::binary_search(current.scopes.begin(), current.scopes.end(),
                              scope)) {
        held.added_scopes.push_back(scope);
      }
    }
    std::sort(held.added_scopes.begin(), held.added_scopes.end());
    held.added_scopes.erase(
        std::unique(held.added_scopes.begin(), held.added_scopes.end()),
        held.added_scopes.end());
  }
  if (patch.vendor.has_value() && !patch.vendor->empty() &&
      *patch.vendor != current.vendor) {
    held.vendor = patch.vendor;
  }
  // New scopes widen what reaches production or a vendor; elsewhere they
  // are the owner's own business.
  const bool reaches = current.environment == Environment::kProduction ||
                       !current.vendor.empty() || held.vendor.has_value();
  if (!reaches) held.added_scopes.clear();
  if (held.added_scopes.empty() && !held.vendor.has_value()) {
    return std::nullopt;
  }
  return held;
}

bool SatisfiesChangeControl(const Principal& principal) {
  return principal.role == Role::kAdmin || principal.role == Role::kSecurity;
}

std::string SatisfiedByRole(const Principal& principal) {
  return "requester role " + std::string(Name(principal.role));
}

std::string SubjectJson(const Identity& identity, const HeldChange& held) {
  boost::json::object subject{{"change", held.change},
                              {"identity_name", identity.name},
                              {"owner", identity.owner},
                              {"environment", Name(identity.environment)}};
  if (held.change == "create") {
    subject["vendor"] = identity.vendor;
    subject["scopes"] =
        boost::json::array(identity.scopes.begin(), identity.scopes.end());
  } else {
    subject["added_scopes"] =
        boost::json::array(held.added_scopes.begin(), held.added_scopes.end());
    if (held.vendor.has_value()) subject["vendor"] = *held.vendor;
  }
  return boost::json::serialize(subject);
}

Result<HeldChange> ParseHeld(const std::string& subject_json) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(subject_json, ec);
  const boost::json::object* subject = ec ? nullptr : value.if_object();
  const boost::json::value* change =
      subject ? subject->if_contains("change") : nullptr;
  if (change == nullptr || !change->is_string()) {
    return InvalidArgument("identity change subject names no change");
  }
  HeldChange held;
  held.change = std::string(change->as_string());
  if (held.change == "create") return held;
  if (held.change != "widen") {
    return InvalidArgument("identity change \"" + held.change +
                           "\" is not create or widen");
  }
  if (const boost::json::value* added = subject->if_contains("added_scopes");
      added && added->is_array()) {
    for (const boost::json::value& scope : added->as_array()) {
      if (scope.is_string()) {
        held.added_scopes.emplace_back(scope.as_string());
      }
    }
  }
  if (const boost::json::value* vendor = subject->if_contains("vendor");
      vendor && vendor->is_string()) {
    held.vendor = std::string(vendor->as_string());
  }
  return held;
}

}  // namespace warden::inventory
