// AuditChainCheck: the answer of an online verification of the audit chain
// (POST /v1/audit/verify), and the seam that runs it. The verification
// itself is audit/audit_chain_verifier.h; the inventory does not depend on
// it: the process wiring hands AuditService a checker bound to the store,
// the chain key and the signed checkpoint (server/online_audit_check.h).
#ifndef WARDEN_INVENTORY_AUDIT_CHAIN_CHECK_H_
#define WARDEN_INVENTORY_AUDIT_CHAIN_CHECK_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace warden::inventory {

struct AuditChainCheck {
  // Records verified before the first problem (all of them when intact).
  int64_t records_checked = 0;
  // The chain's head: the last record verified when intact (records
  // appended since are left to the next check), else the log's last
  // record. 0 and "" for an empty log.
  int64_t head_sequence = 0;
  std::string head_hash;
  // The first record failing a link or hash check, and what is wrong.
  std::optional<int64_t> first_broken_sequence;
  std::string problem;
  // > 0: the log ends this many records before the signed checkpoint.
  int64_t missing_records = 0;
  // The signed checkpoint the log was compared with, if there was one.
  std::optional<int64_t> checkpoint_sequence;
  // Where verification started when older records were archived and
  // pruned: the signed chain anchor (the last pruned record).
  std::optional<int64_t> anchor_sequence;
  std::string anchor_hash;
  std::chrono::microseconds elapsed{0};

  bool ok() const { return !first_broken_sequence && missing_records == 0; }
};

// Verifies the whole chain on consistent read snapshots without blocking
// writers. Broken or truncated chains are answers, not errors; errors are
// the store's (or kFailedPrecondition "audit-key-required"). Must be
// thread-safe.
using AuditChainChecker = std::function<Result<AuditChainCheck>()>;

}  // namespace warden::inventory

#endif  // WARDEN_INVENTORY_AUDIT_CHAIN_CHECK_H_
