#include "approvals/approval_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <chrono>

#include "core/vocabulary.h"
#include "service/field_checks.h"

namespace warden::approvals {
namespace {

// Bounds on untrusted text (requests come from HTTP bodies in the end).
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxTextLength = 2000;
constexpr size_t kMaxTicketLength = 200;

constexpr std::array<std::string_view, 5> kKinds = {
    kKindStageAdvance, kKindTenantActivation, kKindIdentityChange,
    kKindException, kKindAccessPolicy};

Status CheckJsonObject(std::string_view field, std::string_view text) {
  if (text.size() > kMaxSubjectBytes) {
    return FieldError(
        field, fmt::format("must be at most {} bytes", kMaxSubjectBytes));
  }
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return FieldError(field, "must be an object");
  return Status::Ok();
}

// approver_role must name a role that may decide approvals at all.
Status CheckApproverRole(const std::string& role) {
  if (role == Name(Role::kSecurity) || role == Name(Role::kAccountManager)) {
    return Status::Ok();
  }
  return FieldError("approver_role", "must be security or account_manager");
}

Status RequireSet(std::string_view field, const std::string& value,
                  std::string_view kind) {
  if (!value.empty()) return Status::Ok();
  return FieldError(field, fmt::format("is required for kind {}", kind));
}

// Per-kind shape; fills the defaults each kind implies.
Status CheckKindFields(ApprovalRequest& r) {
  if (r.kind == kKindStageAdvance) {
    WARDEN_RETURN_IF_ERROR(RequireSet("release_id", r.release_id, r.kind));
    if (r.stage < 1) return FieldError("stage", "must be at least 1");
    WARDEN_RETURN_IF_ERROR(
        RequireSet("approver_role", r.approver_role, r.kind));
  } else if (r.kind == kKindTenantActivation) {
    WARDEN_RETURN_IF_ERROR(RequireSet("release_id", r.release_id, r.kind));
    WARDEN_RETURN_IF_ERROR(RequireSet("tenant", r.tenant_key, r.kind));
    if (r.approver_role.empty()) {
      r.approver_role = std::string(Name(Role::kAccountManager));
    }
  } else if (r.kind == kKindIdentityChange) {
    WARDEN_RETURN_IF_ERROR(RequireSet("identity_id", r.identity_id, r.kind));
    WARDEN_RETURN_IF_ERROR(RequireSet("ticket", r.ticket, r.kind));
    r.approver_role = std::string(Name(Role::kSecurity));
  } else {  // exception, access_policy
    r.approver_role = std::string(Name(Role::kSecurity));
  }
  return CheckApproverRole(r.approver_role);
}

Status CheckTtl(const ApprovalRequest& r) {
  const std::chrono::seconds max =
      r.kind == kKindException ? kMaxExceptionTtl : kMaxTtl;
  if (r.ttl < std::chrono::seconds(0) || r.ttl > max) {
    return FieldError(
        "ttl", fmt::format("must be at most {} days", max.count() / 86400));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateRequest(ApprovalRequest& r) {
  if (!IsApprovalKind(r.kind)) {
    return InvalidArgument(fmt::format("kind: \"{}\" is not one of {}", r.kind,
                                       fmt::join(kKinds, ", ")),
                           "unknown-approval-kind");
  }
  WARDEN_RETURN_IF_ERROR(CheckKindFields(r));
  WARDEN_RETURN_IF_ERROR(CheckRequiredText("reason", r.reason, kMaxTextLength));
  WARDEN_RETURN_IF_ERROR(CheckText("ticket", r.ticket, kMaxTicketLength));
  WARDEN_RETURN_IF_ERROR(CheckText("release_id", r.release_id, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckText("tenant", r.tenant_key, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(
      CheckText("identity_id", r.identity_id, kMaxNameLength));
  WARDEN_RETURN_IF_ERROR(CheckText("approver", r.approver, kMaxNameLength));
  if (r.subject_json.empty()) r.subject_json = "{}";
  WARDEN_RETURN_IF_ERROR(CheckJsonObject("subject", r.subject_json));
  return CheckTtl(r);
}

bool IsApprovalKind(std::string_view kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

std::string ApprovalKinds() {
  return fmt::format("{}", fmt::join(kKinds, ", "));
}

}  // namespace warden::approvals
