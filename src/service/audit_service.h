// Reading and verifying the audit log. Thread-safe.
#ifndef WARDEN_SERVICE_AUDIT_SERVICE_H_
#define WARDEN_SERVICE_AUDIT_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/auditor.h"

namespace warden {

struct AuditVerification {
  int64_t records_checked = 0;
  int64_t bytes_hashed = 0;  // canonical bytes, for throughput figures
  std::optional<int64_t> first_broken_sequence;
  std::string problem;  // what is wrong at that record
};

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

// Walks the whole chain in sequence order, recomputing every hash; works on
// any Store (used offline by `warden audit verify --data-dir`).
Result<AuditVerification> VerifyAuditChain(Store& store);

}  // namespace warden

#endif  // WARDEN_SERVICE_AUDIT_SERVICE_H_
