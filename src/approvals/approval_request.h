// An approval request as a domain asks for it, its kinds and states, and
// the checks a request passes before the engine stores it. Pure; any
// thread.
#ifndef WARDEN_APPROVALS_APPROVAL_REQUEST_H_
#define WARDEN_APPROVALS_APPROVAL_REQUEST_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::approvals {

// The kinds of approval.
inline constexpr std::string_view kKindStageAdvance = "stage_advance";
inline constexpr std::string_view kKindTenantActivation = "tenant_activation";
inline constexpr std::string_view kKindIdentityChange = "identity_change";
inline constexpr std::string_view kKindException = "exception";
inline constexpr std::string_view kKindAccessPolicy = "access_policy";

// States, as stored and shown.
inline constexpr std::string_view kStatePending = "pending";
inline constexpr std::string_view kStateApproved = "approved";
inline constexpr std::string_view kStateDeclined = "declined";
inline constexpr std::string_view kStateExpired = "expired";

// How long a request waits for its decision: a week by default, at most 90
// days (a decision nobody takes in a quarter is stale). An exception's
// request may wait as long as the waiver it asks for (at most 365 days).
inline constexpr std::chrono::hours kDefaultTtl{24 * 7};
inline constexpr std::chrono::hours kMaxTtl{24 * 90};
inline constexpr std::chrono::hours kMaxExceptionTtl{24 * 365};

// Bound on the subject and description JSON texts (they are shown in lists).
inline constexpr size_t kMaxSubjectBytes = 16 * 1024;

// What a domain asks to have decided. Which subject fields are required
// depends on the kind:
//   stage_advance      release_id, stage >= 1; approver_role required
//   tenant_activation  release_id, tenant_key; approver_role defaults to
//                      account_manager, approver (the tenant's account
//                      manager) recommended
//   identity_change    identity_id and ticket; approver_role is security
//   exception          subject naming the exception; approver_role security
//   access_policy      subject naming the environment and the version;
//                      approver_role security
// approver_role must be a role that holds approval.decide (security or
// account_manager). reason is required for every kind.
struct ApprovalRequest {
  std::string kind;
  std::string release_id;
  std::string tenant_key;
  std::string identity_id;
  int64_t stage = 0;
  std::string subject_json = "{}";  // a JSON object
  std::string approver_role;
  std::string approver;  // a user name; empty: any holder of approver_role
  std::string reason;
  std::string ticket;  // change reference, e.g. "CHG-1234"
  // Zero: kDefaultTtl. Stored as the request's expires_at.
  std::chrono::seconds ttl{0};
  // Empty: a new id. A domain whose record is the subject may reuse its
  // own id (an exception's request has the exception's id).
  std::string id;
};

// Validates `request` for its kind and fills what the kind implies
// (approver_role security for identity_change and exception,
// account_manager by default for tenant_activation; subject "{}" when
// empty). kInvalidArgument: "unknown-approval-kind", or
// "validation-failed" naming the field.
Status ValidateRequest(ApprovalRequest& request);

bool IsApprovalKind(std::string_view kind);
// "stage_advance, tenant_activation, identity_change, exception,
// access_policy".
std::string ApprovalKinds();

}  // namespace warden::approvals

#endif  // WARDEN_APPROVALS_APPROVAL_REQUEST_H_
