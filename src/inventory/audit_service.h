// Reading the audit log (verification: audit/audit_chain_verifier.h).
// Thread-safe.
#ifndef WARDEN_INVENTORY_AUDIT_SERVICE_H_
#define WARDEN_INVENTORY_AUDIT_SERVICE_H_

#include <vector>

#include "service/auditor.h"

namespace warden::inventory {

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

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_AUDIT_SERVICE_H_
