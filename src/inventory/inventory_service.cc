// Every mutation re-derives the risk tier and re-checks the governance rules
// (identity_rules.h) on the record as it will be stored, inside the same
// write unit that stores it, so a waiver revoked a moment earlier is seen.
#include "inventory/inventory_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/id.h"
#include "core/time_format.h"
#include "inventory/exception_service.h"
#include "inventory/identity_change_control.h"
#include "inventory/identity_governance.h"
#include "inventory/identity_rules.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/system_caller.h"

namespace warden::inventory {
namespace {

constexpr int kMaxPageSize = 500;       // bounds one response
constexpr int kExpirySweepBatch = 200;  // identities per write unit
constexpr size_t kMaxTicketLength = 200;

// Applies the set fields of `patch`; returns the names of those fields.
std::vector<std::string> ApplyPatch(const IdentityPatch& patch, Identity& out) {
  std::vector<std::string> changed;
  auto take = [&changed](const auto& from, auto& to, const char* name) {
    if (!from.has_value()) return;
    to = *from;
    changed.emplace_back(name);
  };
  take(patch.owner, out.owner, "owner");
  take(patch.application, out.application, "application");
  take(patch.business_function, out.business_function, "business_function");
  take(patch.auth_method, out.auth_method, "auth_method");
  take(patch.scopes, out.scopes, "scopes");
  if (patch.rotation_days.has_value()) {
    out.rotation_days = patch.rotation_days;
    changed.emplace_back("rotation_days");
  }
  take(patch.expires_at, out.expires_at, "expires_at");
  take(patch.justification, out.justification, "justification");
  take(patch.vendor, out.vendor, "vendor");
  take(patch.tenant, out.tenant, "tenant");
  take(patch.external_id, out.external_id, "external_id");
  take(patch.sponsor, out.sponsor, "sponsor");
  take(patch.task_scope, out.task_scope, "task_scope");
  if (patch.risk_tier.has_value()) {
    out.risk_tier = *patch.risk_tier;
    out.risk_tier_declared = true;
    changed.emplace_back("risk_tier");
  } else if (patch.clear_declared_risk_tier) {
    out.risk_tier_declared = false;
    changed.emplace_back("risk_tier");
  }
  return changed;
}

Status CheckPatchShape(const IdentityPatch& patch) {
  if (patch.risk_tier.has_value() && patch.clear_declared_risk_tier) {
    return FieldError("risk_tier", "cannot both declare a tier and clear it");
  }
  return Status::Ok();
}

Status CheckVersion(const Identity& current, const IdentityPatch& patch) {
  if (!patch.expected_version.has_value() ||
      *patch.expected_version == current.version) {
    return Status::Ok();
  }
  return FailedPrecondition(
      fmt::format("identity {} is at version {}, not {}", current.id,
                  current.version, *patch.expected_version),
      "version-conflict");
}

struct TransitionPlan {
  const char* action;
  Permission permission;
  IdentityStatus to;
  bool reason_required;
};

TransitionPlan PlanOf(LifecycleAction action) {
  switch (action) {
    case LifecycleAction::kSuspend:
      return {"identity.suspend", Permission::kIdentityLifecycle,
              IdentityStatus::kSuspended, true};
    case LifecycleAction::kResume:
      return {"identity.resume", Permission::kIdentityLifecycle,
              IdentityStatus::kActive, false};
    case LifecycleAction::kRevoke:
      return {"identity.revoke", Permission::kIdentityRevoke,
              IdentityStatus::kRevoked, true};
  }
  return {"identity.revoke", Permission::kIdentityRevoke,
          IdentityStatus::kRevoked, true};
}

Status CheckPage(const IdentityFilter& filter, const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit",
                      fmt::format("must be between 1 and {}", kMaxPageSize));
  }
  if (page.after_id.has_value() && !IsWellFormedId(*page.after_id)) {
    return FieldError("after", "is not a valid page cursor");
  }
  if (filter.name_contains.has_value()) {
    return CheckText("name_contains", *filter.name_contains, kMaxNameLength);
  }
  return Status::Ok();
}

// A controlled change not satisfied by the requester's role needs a ticket
// and the approvals engine.
Status CheckHoldable(const approvals::ApprovalEngine* approvals,
                     const std::string& ticket, std::string_view what) {
  if (ticket.empty()) {
    return FieldError("ticket", fmt::format("is required: {} is "
                                            "change-controlled",
                                            what));
  }
  WARDEN_RETURN_IF_ERROR(CheckText("ticket", ticket, kMaxTicketLength));
  if (approvals == nullptr) {
    return FailedPrecondition(
        fmt::format("{} needs a change-control approval and approvals are "
                    "not available here",
                    what),
        "change-control-unavailable");
  }
  return Status::Ok();
}

// A widening held for approval carries nothing else, so that what is
// approved is exactly what was asked.
Status CheckOnlyWidening(const std::vector<std::string>& changed) {
  for (const std::string& field : changed) {
    if (field != "scopes" && field != "vendor") {
      return FieldError(field,
                        "cannot be changed together with a widening held "
                        "for approval (scopes, vendor); send it separately");
    }
  }
  return Status::Ok();
}

std::string WideningSummary(const Identity& identity, const HeldChange& held) {
  std::string summary = fmt::format("widen identity {}", identity.name);
  if (!held.added_scopes.empty()) {
    summary +=
        fmt::format(": add scopes {}", fmt::join(held.added_scopes, ", "));
  }
  if (held.vendor.has_value()) {
    summary += fmt::format("; set vendor {}", *held.vendor);
  }
  return summary;
}

}  // namespace

InventoryService::InventoryService(Store& store, Auditor& auditor,
                                   approvals::ApprovalEngine* approvals)
    : store_(store),
      auditor_(auditor),
      approvals_(approvals),
      change_effects_(auditor) {
  if (approvals_ != nullptr) change_effects_.RegisterWith(*approvals_);
}

Result<Identity> InventoryService::Create(const Caller& caller,
                                          IdentityDraft draft,
                                          ApprovalRecord* opened) {
  Identity& identity = draft.identity;
  identity.id = NewId(auditor_.clock().Now());
  AuditedWrite write(store_, auditor_, caller, "identity.create",
                     IdentityTarget(identity.id), Permission::kIdentityWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize(identity.owner));
    if (draft.interactive) {
      return InvalidArgument(
          "interactive: human interactive accounts are refused; machine "
          "access is governed separately from human access",
          "human-account-refused");
    }
    identity.status = IdentityStatus::kActive;
    identity.status_reason.clear();
    identity.created_at = identity.updated_at = write.now();
    identity.last_used_at.reset();
    identity.version = 1;
    identity.risk_tier_declared = draft.declared_risk_tier.has_value();
    if (identity.risk_tier_declared)
      identity.risk_tier = *draft.declared_risk_tier;
    NormalizeScopes(identity.scopes);
    ApplyRisk(identity);
    std::vector<std::string> waived;
    WARDEN_RETURN_IF_ERROR(CheckGovernance(tx, identity, write.now(), waived));
    const bool controlled = IsControlledRegistration(identity);
    const bool held = controlled && !SatisfiesChangeControl(caller.principal);
    if (held) {
      WARDEN_RETURN_IF_ERROR(
          CheckHoldable(approvals_, draft.ticket,
                        "registering a production or vendor identity"));
      identity.status = IdentityStatus::kPending;
      identity.status_reason = "awaiting change-control approval";
    }
    const Status inserted = tx.identities().Insert(identity);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(fmt::format(
          "identity name \"{}\" is already registered", identity.name));
    }
    WARDEN_RETURN_IF_ERROR(inserted);
    boost::json::object details = DescribeIdentity(identity, waived);
    if (held) {
      approvals::ApprovalRequest request;
      request.kind = std::string(approvals::kKindIdentityChange);
      request.identity_id = identity.id;
      request.ticket = draft.ticket;
      request.reason =
          identity.justification.empty()
              ? fmt::format("register identity {} ({})", identity.name,
                            Name(identity.environment))
              : identity.justification;
      request.subject_json =
          SubjectJson(identity, HeldChange{"create", {}, std::nullopt});
      WARDEN_ASSIGN_OR_RETURN(
          ApprovalRecord approval,
          approvals_->RequestIn(tx, caller, std::move(request)));
      details["change_control"] = "approval " + approval.id;
      if (opened != nullptr) *opened = std::move(approval);
    } else if (controlled) {
      details["change_control"] = SatisfiedByRole(caller.principal);
    }
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  return identity;
}

Result<Identity> InventoryService::Get(const Caller& caller,
                                       std::string_view id) {
  Identity found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.read", IdentityTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, LoadIdentity(tx, id));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return found;
}

Result<Page<Identity>> InventoryService::List(const Caller& caller,
                                              const IdentityFilter& filter,
                                              const PageRequest& page) {
  Page<Identity> found;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kIdentityRead, "identity.list", "identity",
      [&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(CheckPage(filter, page));
        WARDEN_ASSIGN_OR_RETURN(found, tx.identities().List(filter, page));
        return Status::Ok();
      },
      {{"limit", page.limit}});
  if (!status.ok()) return status;
  return found;
}

Result<Identity> InventoryService::Update(const Caller& caller,
                                          std::string_view id,
                                          const IdentityPatch& patch,
                                          ApprovalRecord* opened) {
  AuditedWrite write(store_, auditor_, caller, "identity.update",
                     IdentityTarget(id), Permission::kIdentityWrite);
  Identity updated;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(const Identity current, LoadIdentity(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(current.owner));
    if (patch.owner.has_value() && *patch.owner != current.owner) {
      WARDEN_RETURN_IF_ERROR(write.Authorize(*patch.owner));
    }
    WARDEN_RETURN_IF_ERROR(CheckVersion(current, patch));
    if (current.status == IdentityStatus::kRevoked) {
      return FailedPrecondition(
          fmt::format("identity {} is revoked; revocation is final", id),
          "identity-revoked");
    }
    WARDEN_RETURN_IF_ERROR(CheckPatchShape(patch));
    updated = current;
    const std::vector<std::string> changed = ApplyPatch(patch, updated);
    NormalizeScopes(updated.scopes);
    ApplyRisk(updated);
    std::vector<std::string> waived;
    WARDEN_RETURN_IF_ERROR(CheckGovernance(tx, updated, write.now(), waived));
    const std::optional<HeldChange> widening = WideningOf(current, patch);
    boost::json::array changed_json(changed.begin(), changed.end());
    if (widening.has_value() && !SatisfiesChangeControl(caller.principal)) {
      WARDEN_RETURN_IF_ERROR(
          CheckHoldable(approvals_, patch.ticket, "widening an identity"));
      WARDEN_RETURN_IF_ERROR(CheckOnlyWidening(changed));
      approvals::ApprovalRequest request;
      request.kind = std::string(approvals::kKindIdentityChange);
      request.identity_id = current.id;
      request.ticket = patch.ticket;
      request.reason = WideningSummary(current, *widening);
      request.subject_json = SubjectJson(current, *widening);
      WARDEN_ASSIGN_OR_RETURN(
          ApprovalRecord approval,
          approvals_->RequestIn(tx, caller, std::move(request)));
      updated = current;  // unchanged until approved
      boost::json::object details = DescribeIdentity(current);
      details["held"] = std::move(changed_json);
      details["change_control"] = "approval " + approval.id;
      if (opened != nullptr) *opened = std::move(approval);
      return write.Record(tx, std::move(details));
    }
    updated.version = current.version + 1;
    updated.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.identities().Update(updated));
    boost::json::object details = DescribeIdentity(updated, waived);
    details["changed"] = std::move(changed_json);
    if (widening.has_value()) {
      details["change_control"] = SatisfiedByRole(caller.principal);
    }
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  return updated;
}

Result<Identity> InventoryService::Transition(const Caller& caller,
                                              std::string_view id,
                                              LifecycleAction action,
                                              std::string reason) {
  const TransitionPlan plan = PlanOf(action);
  AuditedWrite write(store_, auditor_, caller, plan.action, IdentityTarget(id),
                     plan.permission);
  Identity changed;
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(changed, LoadIdentity(tx, id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(changed.owner));
    WARDEN_RETURN_IF_ERROR(
        plan.reason_required
            ? CheckRequiredText("reason", reason, kMaxTextLength)
            : CheckText("reason", reason, kMaxTextLength));
    const IdentityStatus from = changed.status;
    WARDEN_RETURN_IF_ERROR(CheckTransition(from, plan.to));
    if (from == IdentityStatus::kDraft) {
      WARDEN_RETURN_IF_ERROR(CheckDraftActivation(changed));
    }
    changed.status = plan.to;
    changed.status_reason = reason;
    changed.version += 1;
    changed.updated_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.identities().Update(changed));
    return write.Record(tx, {{"name", changed.name},
                             {"owner", changed.owner},
                             {"from", Name(from)},
                             {"to", Name(plan.to)},
                             {"reason", reason}});
  });
  if (!status.ok()) return status;
  if (transition_listener_) transition_listener_(changed);
  return changed;
}

Result<int> InventoryService::ExpireDue() {
  const Caller system = SystemCaller();
  int total = 0;
  for (;;) {
    int batch = 0;
    const Status status = store_.Write([&](Transaction& tx) -> Status {
      batch = 0;
      const Timestamp now = auditor_.clock().Now();
      WARDEN_ASSIGN_OR_RETURN(
          std::vector<Identity> due,
          tx.identities().ListExpiredActive(now, kExpirySweepBatch));
      for (Identity& identity : due) {
        WARDEN_RETURN_IF_ERROR(
            CheckTransition(identity.status, IdentityStatus::kExpired));
        identity.status = IdentityStatus::kExpired;
        identity.status_reason =
            "expired at " + FormatRfc3339(identity.expires_at);
        identity.version += 1;
        identity.updated_at = now;
        WARDEN_RETURN_IF_ERROR(tx.identities().Update(identity));
        WARDEN_RETURN_IF_ERROR(auditor_.RecordInTransaction(
            tx, system, "identity.expire", IdentityTarget(identity.id),
            {{"name", identity.name},
             {"owner", identity.owner},
             {"from", "active"},
             {"to", "expired"},
             {"expires_at", FormatRfc3339(identity.expires_at)}}));
        ++batch;
      }
      return Status::Ok();
    });
    if (!status.ok()) return status.WithContext("expiry sweep");
    total += batch;
    if (batch < kExpirySweepBatch) return total;
  }
}

}  // namespace warden::inventory
