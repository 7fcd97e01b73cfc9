// Chain verification follows audit_record.h: each record's hash covers its
// fields and prev_hash; each prev_hash is the previous record's hash; the
// first prev_hash is the genesis hash; sequences run 1, 2, 3 ... without gaps.
#include "service/audit_service.h"

#include <fmt/format.h>

namespace warden {
namespace {

constexpr int kMaxAuditQueryLimit = 1000;  // bounds one response
constexpr int kVerifyPageSize = 1000;

Status CheckFilter(const AuditFilter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxAuditQueryLimit) {
    return InvalidArgument(
        fmt::format("limit: must be between 1 and {}", kMaxAuditQueryLimit),
        "validation-failed");
  }
  if (filter.since && filter.until && *filter.until <= *filter.since) {
    return InvalidArgument("until: must be after since", "validation-failed");
  }
  return Status::Ok();
}

// Tracks the chain position while records are fed in sequence order.
class ChainChecker {
 public:
  // Returns false at the first broken record, filling `out`.
  bool Check(const AuditRecord& record, AuditVerification& out) {
    const std::string encoding =
        CanonicalAuditEncoding(record.sequence, record.event, record.prev_hash);
    out.bytes_hashed += static_cast<int64_t>(encoding.size());
    std::string problem = Problem(record);
    if (!problem.empty()) {
      out.first_broken_sequence = record.sequence;
      out.problem = std::move(problem);
      return false;
    }
    ++out.records_checked;
    last_sequence_ = record.sequence;
    last_hash_ = record.hash;
    return true;
  }

  int64_t last_sequence() const { return last_sequence_; }

 private:
  std::string Problem(const AuditRecord& record) const {
    if (record.sequence != last_sequence_ + 1) {
      return fmt::format("sequence gap: expected {}, found {}",
                         last_sequence_ + 1, record.sequence);
    }
    if (record.prev_hash != last_hash_) {
      return last_sequence_ == 0
                 ? std::string(
                       "first record's prev_hash is not the genesis hash")
                 : fmt::format("prev_hash does not match the hash of record {}",
                               last_sequence_);
    }
    const std::string hash =
        AuditRecordHash(record.sequence, record.event, record.prev_hash);
    if (hash != record.hash) {
      return "stored hash does not match the record's contents";
    }
    return {};
  }

  int64_t last_sequence_ = 0;
  std::string last_hash_ = kAuditGenesisHash;
};

}  // namespace

Result<std::vector<AuditRecord>> AuditService::Query(
    const Caller& caller, const AuditFilter& filter) {
  std::vector<AuditRecord> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kAuditRead, "audit.query", "audit",
      [&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(CheckFilter(filter));
        WARDEN_ASSIGN_OR_RETURN(found, tx.audit().Query(filter));
        return Status::Ok();
      },
      {{"limit", filter.limit}});
  if (!status.ok()) return status;
  return found;
}

Result<AuditVerification> VerifyAuditChain(Store& store) {
  AuditVerification out;
  ChainChecker checker;
  for (;;) {
    AuditFilter page;
    page.after_sequence = checker.last_sequence();
    page.limit = kVerifyPageSize;
    std::vector<AuditRecord> records;
    WARDEN_RETURN_IF_ERROR(store.Read([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(records, tx.audit().Query(page));
      return Status::Ok();
    }));
    for (const AuditRecord& record : records) {
      if (!checker.Check(record, out)) return out;
    }
    if (records.size() < static_cast<size_t>(kVerifyPageSize)) return out;
  }
}

}  // namespace warden
