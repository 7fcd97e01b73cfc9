// Policy exceptions: bounded, approved waivers of one rule for one identity.
// Thread-safe.
#ifndef WARDEN_INVENTORY_EXCEPTION_SERVICE_H_
#define WARDEN_INVENTORY_EXCEPTION_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/policy_exception.h"
#include "service/auditor.h"

namespace warden::inventory {

class ExceptionService {
 public:
  ExceptionService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

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
  Store& store_;
  Auditor& auditor_;
};

// True when `exceptions` holds an approved, unexpired waiver of `rule`.
bool HasActiveException(const std::vector<PolicyException>& exceptions,
                        std::string_view rule, Timestamp now);

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_EXCEPTION_SERVICE_H_
