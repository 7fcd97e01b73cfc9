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

}  // namespace warden::inventory
