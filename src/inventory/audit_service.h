// Reading the audit log, and verifying its chain online (Verify: the
// process wires the checker, see audit_chain_check.h). Verifications run
// one at a time: each reads the whole log, and a second one at once would
// only take another of the store's read connections for the same answer.
// Thread-safe once wired: set_chain_checker() is called before the service
// is shared.
#ifndef WARDEN_INVENTORY_AUDIT_SERVICE_H_
#define WARDEN_INVENTORY_AUDIT_SERVICE_H_

#include <mutex>
#include <vector>

#include "inventory/audit_chain_check.h"
#include "service/auditor.h"

namespace warden::inventory {

class AuditService {
 public:
  AuditService(Store& store, Auditor& auditor)
      : store_(store), auditor_(auditor) {}

  Result<std::vector<AuditRecord>> Query(const Caller& caller,
                                         const AuditFilter& filter);

  // Empty (the default): Verify() answers kFailedPrecondition
  // "audit-verify-unavailable".
  void set_chain_checker(AuditChainChecker checker) {
    checker_ = std::move(checker);
  }

  // Verifies the audit chain as `caller` (audit.read), recorded as
  // "audit.verify" with its outcome once the check is over. A broken chain
  // is an answer (ok() false), not an error. kResourceExhausted
  // ("audit-verify-running") while another verification runs; the
  // checker's errors otherwise.
  Result<AuditChainCheck> Verify(const Caller& caller);

 private:
  Store& store_;
  Auditor& auditor_;
  AuditChainChecker checker_;  // wired before use; may be empty
  std::mutex verifying_;       // held by the one running verification
};

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_AUDIT_SERVICE_H_
