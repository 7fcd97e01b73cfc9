#include "inventory/audit_service.h"

#include <fmt/format.h>

namespace warden::inventory {
namespace {

constexpr int kMaxAuditQueryLimit = 1000;  // bounds one response

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

boost::json::object Describe(const AuditChainCheck& check) {
  boost::json::object details{{"ok", check.ok()},
                              {"records_checked", check.records_checked},
                              {"head_sequence", check.head_sequence},
                              {"elapsed_us", check.elapsed.count()}};
  if (check.first_broken_sequence) {
    details["first_broken_sequence"] = *check.first_broken_sequence;
  }
  if (check.missing_records > 0) {
    details["missing_records"] = check.missing_records;
  }
  return details;
}

}  // namespace

Result<AuditChainCheck> AuditService::Verify(const Caller& caller) {
  constexpr std::string_view kAction = "audit.verify";
  constexpr std::string_view kTarget = "audit";
  WARDEN_RETURN_IF_ERROR(
      auditor_.Authorize(caller, Permission::kAuditRead, kAction, kTarget));
  std::unique_lock<std::mutex> running(verifying_, std::try_to_lock);
  Result<AuditChainCheck> check = Internal("unset");
  if (!running.owns_lock()) {
    check = Status(StatusCode::kResourceExhausted,
                   "an audit chain verification is already running; retry "
                   "when it is over",
                   "audit-verify-running");
  } else if (!checker_) {
    check = FailedPrecondition(
        "this server was started without online audit verification",
        "audit-verify-unavailable");
  } else {
    // Outside any store unit: the checker takes its own read snapshots.
    check = checker_();
  }
  if (!check.ok()) {
    return auditor_.Failed(caller, kAction, kTarget, check.status());
  }
  // Recorded after the check, so this record is not among those verified.
  WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) {
    return auditor_.RecordInTransaction(tx, caller, kAction, kTarget,
                                        Describe(*check));
  }));
  return check;
}

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

}  // namespace warden::inventory
