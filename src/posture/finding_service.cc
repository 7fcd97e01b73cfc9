#include "posture/finding_service.h"

#include <boost/json.hpp>

#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "posture/finding_catalog.h"
#include "service/audited_write.h"
#include "service/field_checks.h"

namespace warden::posture {
namespace {

constexpr int kMaxPageSize = 500;

std::string FindingTarget(std::string_view id) {
  return "finding:" + std::string(id);
}

Status CheckOneOf(std::string_view field, std::string_view value,
                  std::initializer_list<std::string_view> allowed) {
  if (value.empty()) return Status::Ok();
  for (std::string_view a : allowed) {
    if (a == value) return Status::Ok();
  }
  std::string list;
  for (std::string_view a : allowed) {
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return FieldError(field, "must be one of " + list);
}

boost::json::object FilterDetails(const FindingFilter& f) {
  return {{"rule", f.rule},   {"severity", f.severity},
          {"owner", f.owner}, {"owasp", f.owasp},
          {"state", f.state}, {"application", f.application}};
}

}  // namespace

FindingService::FindingService(Store& store, Auditor& auditor,
                               FindingSweep& sweep)
    : store_(store), auditor_(auditor), sweep_(sweep) {}

Status FindingService::CheckFilter(const FindingFilter& filter) {
  WARDEN_RETURN_IF_ERROR(CheckOneOf("severity", filter.severity,
                                    {"low", "medium", "high", "critical"}));
  WARDEN_RETURN_IF_ERROR(
      CheckOneOf("state", filter.state,
                 {"open", "acknowledged", "resolved", "unresolved"}));
  if (!filter.owasp.empty() && !IsOwaspNhiId(filter.owasp)) {
    return FieldError("owasp", "must be one of NHI1..NHI10");
  }
  if (!filter.rule.empty() && FindRule(filter.rule) == nullptr) {
    return FieldError("rule", "is not a known rule (GET /v1/findings/rules)");
  }
  return Status::Ok();
}

Result<Page<FindingRecord>> FindingService::List(const Caller& caller,
                                                 const FindingFilter& filter,
                                                 const PageRequest& page) {
  WARDEN_RETURN_IF_ERROR(CheckFilter(filter));
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit", "must be between 1 and 500");
  }
  WARDEN_RETURN_IF_ERROR(FreshFor(caller, "finding.list"));
  Page<FindingRecord> found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "finding.list", "findings",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.findings().List(filter, page));
        return Status::Ok();
      },
      FilterDetails(filter)));
  return found;
}

Status FindingService::FreshFor(const Caller& caller, std::string_view action) {
  WARDEN_RETURN_IF_ERROR(
      auditor_.Authorize(caller, Permission::kPostureRead, action, "findings"));
  return sweep_.RunIfStale();
}

Result<FindingRecord> FindingService::Get(const Caller& caller,
                                          std::string_view id) {
  std::optional<FindingRecord> found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "finding.get", FindingTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.findings().Get(id));
        return Status::Ok();
      }));
  return std::move(*found);
}

Result<std::vector<RuleSpec>> FindingService::Rules(const Caller& caller) {
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "finding.rules", "findings",
      [](Transaction&) { return Status::Ok(); }));
  return std::vector<RuleSpec>(FindingRules().begin(), FindingRules().end());
}

Result<std::vector<FindingCount>> FindingService::Summarize(
    const Caller& caller, const FindingFilter& filter) {
  WARDEN_RETURN_IF_ERROR(CheckFilter(filter));
  WARDEN_RETURN_IF_ERROR(FreshFor(caller, "finding.summary"));
  std::vector<FindingCount> counts;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "finding.summary", "findings",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(counts, tx.findings().Count(filter));
        return Status::Ok();
      },
      FilterDetails(filter)));
  return counts;
}

Result<FindingRecord> FindingService::Acknowledge(const Caller& caller,
                                                  std::string_view id,
                                                  const Acknowledgement& ack) {
  const std::string& reason = ack.reason;
  AuditedWrite write(store_, auditor_, caller, "finding.acknowledge",
                     FindingTarget(id), Permission::kFindingAcknowledge);
  FindingRecord finding;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(finding, tx.findings().Get(id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(finding.owner));
    WARDEN_RETURN_IF_ERROR(
        CheckRequiredText("reason", reason, inventory::kMaxTextLength));
    if (ack.expires_at.has_value() == ack.expires_in_days.has_value()) {
      return FieldError("expires_at",
                        "give exactly one of expires_at and expires_in_days");
    }
    const Timestamp expires_at = ack.expires_at.value_or(
        write.now() + std::chrono::days(ack.expires_in_days.value_or(0)));
    if (expires_at <= write.now() ||
        expires_at > write.now() + kMaxAcknowledgement) {
      return FieldError("expires_at",
                        "must be in the future and within 180 days");
    }
    if (finding.state == "resolved") {
      return FailedPrecondition("finding " + finding.id +
                                    " is resolved; there is nothing to "
                                    "acknowledge",
                                "finding-resolved");
    }
    finding.state = "acknowledged";
    finding.ack_reason = reason;
    finding.ack_by = caller.principal.subject;
    finding.ack_expires_at = expires_at;
    finding.version += 1;
    WARDEN_RETURN_IF_ERROR(tx.findings().Update(finding));
    return write.Record(tx, {{"rule", finding.rule},
                             {"subject", finding.subject},
                             {"owner", finding.owner},
                             {"reason", reason},
                             {"expires_at", FormatRfc3339(expires_at)}});
  }));
  return finding;
}

Result<PosturePolicy> FindingService::GetPolicy(const Caller& caller) {
  std::optional<PosturePolicy> policy;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "posture.policy.get", "posture",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(policy, LoadPolicy(tx));
        return Status::Ok();
      }));
  return std::move(*policy);
}

Result<PosturePolicy> FindingService::PutPolicy(
    const Caller& caller, const boost::json::value& document) {
  AuditedWrite write(store_, auditor_, caller, "posture.policy.put", "posture",
                     Permission::kPostureManage);
  PosturePolicy policy;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(policy, PolicyFromJson(document));
    const std::string stored = boost::json::serialize(PolicyToJson(policy));
    WARDEN_RETURN_IF_ERROR(tx.settings().Put(kPosturePolicySetting, stored));
    return write.Record(tx, {{"policy", PolicyToJson(policy)}});
  }));
  return policy;
}

Result<SweepReport> FindingService::SweepNow(const Caller& caller) {
  AuditedWrite write(store_, auditor_, caller, "posture.sweep.request",
                     "findings", Permission::kPostureManage);
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    return write.Record(tx);
  }));
  return sweep_.Run();
}

}  // namespace warden::posture
