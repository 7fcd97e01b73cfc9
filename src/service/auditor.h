// Writes the audit record of each service call.
//
// Contract used by every service: exactly one audit record per call.
//  - Denied by authorization: Deny() appends outcome "deny" in its own
//    transaction and returns kPermissionDenied.
//  - Allowed and succeeded: RecordInTransaction() appends outcome "ok" inside
//    the same Store::Write unit as the change (or inside a write unit of its
//    own for reads), so the change and its record commit or fail together.
//  - Allowed but failed (validation, conflict): Failed() appends the error
//    code as outcome in its own transaction and returns the original error.
// Details are compact JSON objects that never contain secrets.
//
// Thread-safe; holds references only.
#ifndef WARDEN_SERVICE_AUDITOR_H_
#define WARDEN_SERVICE_AUDITOR_H_

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "authz/authorizer.h"
#include "core/clock.h"
#include "service/caller.h"
#include "store/store.h"

namespace warden {

class Auditor {
 public:
  Auditor(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Status RecordInTransaction(Transaction& tx, const Caller& caller,
                             std::string_view action, std::string_view target,
                             boost::json::object details = {});
  // The same with an explicit outcome ("ok", "deny", a StatusCodeName):
  // for summary records (AuditSummaryRecorder) that count decisions with
  // the outcome those decisions had.
  Status RecordOutcomeInTransaction(Transaction& tx, const Caller& caller,
                                    std::string_view action,
                                    std::string_view target,
                                    std::string_view outcome,
                                    boost::json::object details = {});

  // The "ok" record of a call whose only write is its record, appended in
  // a write unit of its own without waiting (Store::WriteAsync): `done`
  // gets OK once the record is durably committed, or kUnavailable, exactly
  // once, on the store's thread (keep it short) or on the calling thread
  // when the store refuses at once. The record's time and details are
  // taken now, on the calling thread.
  void RecordAsync(const Caller& caller, std::string_view action,
                   std::string_view target, boost::json::object details,
                   Store::WriteCallback done);

  // Returns kPermissionDenied with the decision's reason (or kUnavailable if
  // the denial could not be recorded).
  // `details` (optional) adds call-specific fields to the record.
  Status Deny(const Caller& caller, std::string_view action,
              std::string_view target, const AuthzDecision& decision,
              boost::json::object details = {});

  // Returns `error` (or kUnavailable if it could not be recorded).
  Status Failed(const Caller& caller, std::string_view action,
                std::string_view target, const Status& error,
                boost::json::object details = {});

  // Records an authentication failure (no principal) in its own transaction.
  Status AuthenticationFailed(std::string_view remote, std::string_view reason,
                              std::string_view request_id);

  // Authorizes; on denial records it and returns the error.
  Status Authorize(const Caller& caller, Permission permission,
                   std::string_view action, std::string_view target,
                   std::string_view owner_team = {});

  // A read: authorizes, runs `read` on a snapshot, then records the allowed
  // decision durably before returning (a read that cannot be audited fails).
  Status AuditedRead(const Caller& caller, Permission permission,
                     std::string_view action, std::string_view target,
                     const UnitOfWork& read, boost::json::object details = {});

  const Clock& clock() const { return clock_; }

 private:
  // Appends one record in a write unit of its own; kUnavailable on failure.
  Status AppendAlone(const Caller& caller, std::string_view action,
                     std::string_view target, std::string_view outcome,
                     boost::json::object details);

  Store& store_;
  const Clock& clock_;
};

}  // namespace warden

#endif  // WARDEN_SERVICE_AUDITOR_H_
