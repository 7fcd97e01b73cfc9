#include "inventory/exception_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/id.h"
#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/four_eyes.h"

namespace warden::inventory {
namespace {

// A waiver is a bounded exception, never a permanent one.
constexpr auto kMaxExceptionLifetime = std::chrono::days(365);

constexpr std::array<std::string_view, 4> kRules = {
    kRuleExpiryBeyondPolicy, kRuleRotationBeyondPolicy,
    kRuleRiskTierBelowDerived, kRuleScopesWiderThanUsed};

std::string ExceptionTarget(std::string_view id) {
  return fmt::format("exception/{}", id);
}

Status CheckRequest(const PolicyException& request, Timestamp now) {
  WARDEN_RETURN_IF_ERROR(
      CheckName("identity_name", request.identity_name, kMaxNameLength));
  if (std::find(kRules.begin(), kRules.end(), request.rule) == kRules.end()) {
    return FieldError(
        "rule", fmt::format("must be one of {}", fmt::join(kRules, ", ")));
  }
  WARDEN_RETURN_IF_ERROR(CheckRequiredText(
      "justification", request.justification, kMaxTextLength));
  if (request.expires_at <= now) {
    return FieldError("expires_at", "must be in the future");
  }
  if (request.expires_at - now > kMaxExceptionLifetime) {
    return FieldError("expires_at", "must be at most 365 days ahead");
  }
  return Status::Ok();
}

// The team an exception request acts for: the owner of the identity when it
// is registered, otherwise the requester's own team (waivers may be granted
// before registration; registration itself is owner-checked).
Result<std::string> RequestTeam(Transaction& tx, const Caller& caller,
                                std::string_view identity_name) {
  Result<Identity> identity = tx.identities().GetByName(identity_name);
  if (identity.ok()) return identity->owner;
  if (identity.status().code() != StatusCode::kNotFound) {
    return identity.status();
  }
  return caller.principal.team;
}

Result<PolicyException> LoadException(Transaction& tx, std::string_view id) {
  Result<PolicyException> found = tx.exceptions().Get(id);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("exception \"{}\" does not exist", id));
}

boost::json::object Describe(const PolicyException& e) {
  return {{"identity_name", e.identity_name},
          {"rule", e.rule},
          {"state", Name(e.state)},
          {"expires_at", FormatRfc3339(e.expires_at)}};
}

// What to say in a decision taken through /v1/exceptions (that route has
// no reason field).
constexpr char kDecidedAsException[] = "decided through /v1/exceptions";

// The identity an exception names, when it is registered.
Result<std::optional<Identity>> FindIdentity(Transaction& tx,
                                             std::string_view name) {
  Result<Identity> identity = tx.identities().GetByName(name);
  if (identity.ok()) return std::optional<Identity>(std::move(*identity));
  if (identity.status().code() == StatusCode::kNotFound) {
    return std::optional<Identity>();
  }
  return identity.status();
}

Result<approvals::ApprovalRequest> ApprovalFor(Transaction& tx,
                                               const PolicyException& e,
                                               Timestamp now) {
  approvals::ApprovalRequest request;
  request.kind = std::string(approvals::kKindException);
  request.id = e.id;
  WARDEN_ASSIGN_OR_RETURN(std::optional<Identity> identity,
                          FindIdentity(tx, e.identity_name));
  if (identity.has_value()) request.identity_id = identity->id;
  request.reason = e.justification;
  request.subject_json = boost::json::serialize(
      boost::json::object{{"exception_id", e.id},
                          {"identity_name", e.identity_name},
                          {"rule", e.rule}});
  // The request waits as long as the waiver it asks for.
  request.ttl =
      std::chrono::duration_cast<std::chrono::seconds>(e.expires_at - now);
  return request;
}

Status CheckDecidable(const PolicyException& e, Timestamp now) {
  if (e.state != ExceptionState::kPending) {
    return FailedPrecondition(
        fmt::format("exception {} is {}, only pending ones can be decided",
                    e.id, Name(e.state)),
        "not-pending");
  }
  if (e.expires_at <= now) {
    return FailedPrecondition(
        fmt::format("exception {} expired before it was decided", e.id),
        "exception-expired");
  }
  return Status::Ok();
}

}  // namespace

ExceptionService::ExceptionService(Store& store, Auditor& auditor,
                                   approvals::ApprovalEngine* approvals)
    : store_(store), auditor_(auditor), approvals_(approvals) {
  if (approvals_ == nullptr) return;
  approvals::KindHooks hooks;
  hooks.effect = [this](Transaction& tx, const ApprovalRecord& a) {
    return ApplyDecision(tx, a);
  };
  hooks.describe = [this](Transaction& tx, const ApprovalRecord& a) {
    return DescribeException(tx, a);
  };
  approvals_->RegisterKind(approvals::kKindException, std::move(hooks));
}

Result<PolicyException> ExceptionService::Request(const Caller& caller,
                                                  PolicyException request) {
  request.id = NewId(auditor_.clock().Now());
  AuditedWrite write(store_, auditor_, caller, "exception.request",
                     ExceptionTarget(request.id),
                     Permission::kExceptionRequest);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(const std::string team,
                            RequestTeam(tx, caller, request.identity_name));
    WARDEN_RETURN_IF_ERROR(write.Authorize(team));
    WARDEN_RETURN_IF_ERROR(CheckRequest(request, write.now()));
    request.requested_by = caller.principal.subject;
    request.approved_by.clear();
    request.state = ExceptionState::kPending;
    request.created_at = write.now();
    request.decided_at.reset();
    WARDEN_RETURN_IF_ERROR(tx.exceptions().Insert(request));
    boost::json::object details = Describe(request);
    if (approvals_ != nullptr) {
      WARDEN_ASSIGN_OR_RETURN(approvals::ApprovalRequest approval,
                              ApprovalFor(tx, request, write.now()));
      WARDEN_RETURN_IF_ERROR(
          approvals_->RequestIn(tx, caller, std::move(approval)).status());
      details["approval"] = request.id;
    }
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  return request;
}

Result<PolicyException> ExceptionService::Decide(const Caller& caller,
                                                 std::string_view id,
                                                 bool approve) {
  AuditedWrite write(store_, auditor_, caller,
                     approve ? "exception.approve" : "exception.reject",
                     ExceptionTarget(id), Permission::kExceptionDecide);
  PolicyException decided;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(decided, LoadException(tx, id));
    WARDEN_RETURN_IF_ERROR(
        CheckFourEyes(tx, write, caller.principal, decided.requested_by,
                      "exception " + decided.id, "self-approval"));
    WARDEN_RETURN_IF_ERROR(CheckDecidable(decided, write.now()));
    decided.state =
        approve ? ExceptionState::kApproved : ExceptionState::kRejected;
    decided.approved_by = caller.principal.subject;
    decided.decided_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.exceptions().Update(decided));
    if (approvals_ != nullptr) {
      WARDEN_RETURN_IF_ERROR(approvals_->SettleIn(
          tx, caller, decided.id, approve, kDecidedAsException));
    }
    return write.Record(tx, Describe(decided));
  });
  if (!status.ok()) return status;
  return decided;
}

Result<PolicyException> ExceptionService::Revoke(const Caller& caller,
                                                 std::string_view id) {
  AuditedWrite write(store_, auditor_, caller, "exception.revoke",
                     ExceptionTarget(id), Permission::kExceptionDecide);
  PolicyException revoked;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(revoked, LoadException(tx, id));
    if (revoked.state != ExceptionState::kPending &&
        revoked.state != ExceptionState::kApproved) {
      return FailedPrecondition(
          fmt::format("exception {} is already {}", id, Name(revoked.state)),
          "not-revocable");
    }
    revoked.state = ExceptionState::kRevoked;
    revoked.decided_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.exceptions().Update(revoked));
    if (approvals_ != nullptr) {
      WARDEN_RETURN_IF_ERROR(approvals_->SettleIn(tx, caller, revoked.id, false,
                                                  "the exception was revoked"));
    }
    return write.Record(tx, Describe(revoked));
  });
  if (!status.ok()) return status;
  return revoked;
}

Result<PolicyException> ExceptionService::Get(const Caller& caller,
                                              std::string_view id) {
  PolicyException found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kExceptionRead, "exception.read", ExceptionTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, LoadException(tx, id));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return found;
}

Result<std::vector<PolicyException>> ExceptionService::List(
    const Caller& caller, std::string_view identity_name) {
  std::vector<PolicyException> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kExceptionRead, "exception.list", "exception",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.exceptions().List(identity_name));
        return Status::Ok();
      },
      {{"identity_name", identity_name}});
  if (!status.ok()) return status;
  return found;
}

bool HasActiveException(const std::vector<PolicyException>& exceptions,
                        std::string_view rule, Timestamp now) {
  for (const PolicyException& e : exceptions) {
    if (e.rule == rule && e.state == ExceptionState::kApproved &&
        e.expires_at > now) {
      return true;
    }
  }
  return false;
}

Status ExceptionService::ApplyDecision(Transaction& tx,
                                       const ApprovalRecord& approval) {
  WARDEN_ASSIGN_OR_RETURN(PolicyException e, LoadException(tx, approval.id));
  const Timestamp now = auditor_.clock().Now();
  WARDEN_RETURN_IF_ERROR(CheckDecidable(e, now));
  const bool approve = approval.state == approvals::kStateApproved;
  e.state = approve ? ExceptionState::kApproved : ExceptionState::kRejected;
  e.approved_by = approval.decided_by;
  e.decided_at = now;
  WARDEN_RETURN_IF_ERROR(tx.exceptions().Update(e));
  Caller decider;
  decider.principal.subject = approval.decided_by;
  decider.request_id = "approval/" + approval.id;
  boost::json::object details = Describe(e);
  details["approval"] = approval.id;
  return auditor_.RecordInTransaction(
      tx, decider, approve ? "exception.approve" : "exception.reject",
      ExceptionTarget(e.id), std::move(details));
}

Result<std::string> ExceptionService::DescribeException(
    Transaction& tx, const ApprovalRecord& approval) {
  Result<PolicyException> e = tx.exceptions().Get(approval.id);
  if (!e.ok()) {
    if (e.status().code() == StatusCode::kNotFound) return std::string("{}");
    return e.status();
  }
  boost::json::object out{{"exception",
                           {{"id", e->id},
                            {"identity_name", e->identity_name},
                            {"rule", e->rule},
                            {"justification", e->justification},
                            {"state", Name(e->state)},
                            {"expires_at", FormatRfc3339(e->expires_at)}}}};
  WARDEN_ASSIGN_OR_RETURN(std::optional<Identity> identity,
                          FindIdentity(tx, e->identity_name));
  if (identity.has_value()) {
    out["identity"] = {{"id", identity->id},
                       {"name", identity->name},
                       {"owner", identity->owner},
                       {"environment", Name(identity->environment)},
                       {"vendor", identity->vendor},
                       {"status", Name(identity->status)}};
  }
  return boost::json::serialize(out);
}

}  // namespace warden::inventory
