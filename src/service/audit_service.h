// Reading the audit log (verification: audit/audit_chain_verifier.h).
// Thread-safe.
#ifndef WARDEN_SERVICE_AUDIT_SERVICE_H_
#define WARDEN_SERVICE_AUDIT_SERVICE_H_

#include <vector>

#include "service/auditor.h"

namespace warden {

class AuditService {
 public:
  AuditService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

  Result<std::vector<AuditRecord>> Query(const Caller& caller,
                                         const AuditFilter& filter);

 private:
  Store& store_;
  Auditor& auditor_;
};

}  // namespace warden

#endif  // WARDEN_SERVICE_AUDIT_SERVICE_H_
