// One mutating service call: a single Store::Write unit and exactly one
// audit record (private to service/).
//
// Authorization that depends on stored state (the owner of the identity
// being changed, who requested an exception) is decided inside the unit,
// on the same snapshot the change is made from. A denial inside the unit
// rolls it back and is recorded as outcome "deny" once the unit is over;
// any other error is recorded by Auditor::Failed; success is recorded by
// Record() inside the unit, so the change and its record commit together.
//
// Usage:
//   AuditedWrite write(store_, auditor_, caller, "identity.update", target,
//                      Permission::kIdentityWrite);
//   return write.Run([&](Transaction& tx) -> Status {
//     ... WARDEN_RETURN_IF_ERROR(write.Authorize(owner));
//     ... return write.Record(tx, details);
//   });
//
// Not thread-safe; one object per call.
#ifndef WARDEN_SERVICE_AUDITED_WRITE_H_
#define WARDEN_SERVICE_AUDITED_WRITE_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "service/auditor.h"

namespace warden {

class AuditedWrite {
 public:
  AuditedWrite(Store& store, Auditor& auditor, const Caller& caller,
               std::string_view action, std::string target,
               Permission permission);

  // Inside the unit: the role table for `permission_` on `owner_team`.
  Status Authorize(std::string_view owner_team = {});
  // Inside the unit: the role table for a further permission the call
  // needs beyond `permission_` (flag.import that changes shared flag-set
  // state also needs flag_set.write). A denial is recorded under it.
  Status AuthorizeAlso(Permission permission, std::string_view owner_team = {});
  // Inside the unit: a denial decided by the service itself (e.g.
  // self-approval); `problem` becomes the returned error's problem slug.
  Status Refuse(std::string reason, std::string problem);
  // Inside the unit, last: the "ok" record with the call's details.
  Status Record(Transaction& tx, boost::json::object details = {});

  // Runs `work` in one write unit and records a denial or failure.
  Status Run(const UnitOfWork& work);

  const Timestamp& now() const { return now_; }

 private:
  boost::json::object BaseDetails() const;

  Store& store_;
  Auditor& auditor_;
  const Caller& caller_;
  const std::string action_;
  const std::string target_;
  const Permission permission_;
  const Timestamp now_;
  std::optional<AuthzDecision> denial_;
  Permission denied_permission_;  // set with denial_
  std::string denial_problem_;
};

}  // namespace warden

#endif  // WARDEN_SERVICE_AUDITED_WRITE_H_
