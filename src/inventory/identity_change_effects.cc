#include "inventory/identity_change_effects.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.h"
#include "inventory/identity_change_control.h"
#include "inventory/identity_governance.h"
#include "service/system_caller.h"

namespace warden::inventory {
namespace {

// The actor of what a decision applies: the decider.
Caller DeciderOf(const ApprovalRecord& approval) {
  Caller decider;
  decider.principal.subject = approval.decided_by.empty()
                                  ? std::string(kSystemSubject)
                                  : approval.decided_by;
  decider.request_id = "approval/" + approval.id;
  return decider;
}

}  // namespace

void IdentityChangeEffects::RegisterWith(approvals::ApprovalEngine& engine) {
  approvals::KindHooks hooks;
  hooks.effect = [this](Transaction& tx, const ApprovalRecord& a) {
    return ApplyDecision(tx, a);
  };
  hooks.on_expire = [this](Transaction& tx, const ApprovalRecord& a) {
    return ApplyExpiry(tx, a);
  };
  hooks.describe = [this](Transaction& tx, const ApprovalRecord& a) {
    return DescribeChange(tx, a);
  };
  engine.RegisterKind(approvals::kKindIdentityChange, std::move(hooks));
}

Status IdentityChangeEffects::ApplyDecision(Transaction& tx,
                                            const ApprovalRecord& approval) {
  WARDEN_ASSIGN_OR_RETURN(const HeldChange held,
                          ParseHeld(approval.subject_json));
  WARDEN_ASSIGN_OR_RETURN(Identity identity,
                          LoadIdentity(tx, approval.identity_id));
  const bool approved = approval.state == approvals::kStateApproved;
  if (held.change == "widen") {
    if (!approved) return Status::Ok();
    return ApplyWidening(tx, approval, std::move(identity));
  }
  if (identity.status != IdentityStatus::kPending) {
    if (!approved) return Status::Ok();  // nothing left to hold back
    return FailedPrecondition(
        fmt::format("identity {} is {}, no longer pending its approval",
                    identity.id, Name(identity.status)),
        "identity-not-pending");
  }
  if (!approved) {
    return EndPending(tx, approval, std::move(identity),
                      fmt::format("change-control approval {} declined by "
                                  "{}: {}",
                                  approval.id, approval.decided_by,
                                  approval.decision_reason));
  }
  identity.status = IdentityStatus::kActive;
  identity.status_reason = fmt::format("change-control approval {} by {}",
                                       approval.id, approval.decided_by);
  identity.version += 1;
  identity.updated_at = auditor_.clock().Now();
  WARDEN_RETURN_IF_ERROR(tx.identities().Update(identity));
  return auditor_.RecordInTransaction(
      tx, DeciderOf(approval), "identity.activate", IdentityTarget(identity.id),
      {{"name", identity.name},
       {"owner", identity.owner},
       {"from", "pending"},
       {"to", "active"},
       {"approval", approval.id},
       {"ticket", approval.ticket}});
}

Status IdentityChangeEffects::ApplyWidening(Transaction& tx,
                                            const ApprovalRecord& approval,
                                            Identity identity) {
  if (identity.status == IdentityStatus::kRevoked) {
    return FailedPrecondition(
        fmt::format("identity {} is revoked; revocation is final", identity.id),
        "identity-revoked");
  }
  WARDEN_ASSIGN_OR_RETURN(const HeldChange held,
                          ParseHeld(approval.subject_json));
  const Timestamp now = auditor_.clock().Now();
  identity.scopes.insert(identity.scopes.end(), held.added_scopes.begin(),
                         held.added_scopes.end());
  NormalizeScopes(identity.scopes);
  if (held.vendor.has_value()) identity.vendor = *held.vendor;
  ApplyRisk(identity);
  std::vector<std::string> waived;
  WARDEN_RETURN_IF_ERROR(CheckGovernance(tx, identity, now, waived));
  identity.version += 1;
  identity.updated_at = now;
  WARDEN_RETURN_IF_ERROR(tx.identities().Update(identity));
  boost::json::object details = DescribeIdentity(identity, waived);
  details["approval"] = approval.id;
  details["ticket"] = approval.ticket;
  details["change_control"] = "approval " + approval.id;
  return auditor_.RecordInTransaction(
      tx, DeciderOf(approval), "identity.update", IdentityTarget(identity.id),
      std::move(details));
}

Status IdentityChangeEffects::EndPending(Transaction& tx,
                                         const ApprovalRecord& approval,
                                         Identity identity,
                                         std::string reason) {
  identity.status = IdentityStatus::kRevoked;
  identity.status_reason = std::move(reason);
  identity.version += 1;
  identity.updated_at = auditor_.clock().Now();
  WARDEN_RETURN_IF_ERROR(tx.identities().Update(identity));
  return auditor_.RecordInTransaction(
      tx, DeciderOf(approval), "identity.revoke", IdentityTarget(identity.id),
      {{"name", identity.name},
       {"owner", identity.owner},
       {"from", "pending"},
       {"to", "revoked"},
       {"reason", identity.status_reason},
       {"approval", approval.id}});
}

Status IdentityChangeEffects::ApplyExpiry(Transaction& tx,
                                          const ApprovalRecord& approval) {
  WARDEN_ASSIGN_OR_RETURN(const HeldChange held,
                          ParseHeld(approval.subject_json));
  if (held.change != "create") return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(Identity identity,
                          LoadIdentity(tx, approval.identity_id));
  if (identity.status != IdentityStatus::kPending) return Status::Ok();
  return EndPending(
      tx, approval, std::move(identity),
      fmt::format("change-control approval {} expired at {} "
                  "undecided",
                  approval.id, FormatRfc3339(approval.expires_at)));
}

Result<std::string> IdentityChangeEffects::DescribeChange(
    Transaction& tx, const ApprovalRecord& approval) {
  Result<Identity> identity = tx.identities().Get(approval.identity_id);
  if (!identity.ok()) {
    if (identity.status().code() == StatusCode::kNotFound)
      return std::string("{}");
    return identity.status();
  }
  boost::json::object out{
      {"identity",
       {{"id", identity->id},
        {"name", identity->name},
        {"owner", identity->owner},
        {"environment", Name(identity->environment)},
        {"vendor", identity->vendor},
        {"status", Name(identity->status)},
        {"risk_tier", Name(identity->risk_tier)},
        {"scopes", boost::json::array(identity->scopes.begin(),
                                      identity->scopes.end())}}}};
  boost::system::error_code ec;
  boost::json::value change = boost::json::parse(approval.subject_json, ec);
  out["proposed_change"] = ec ? boost::json::value(nullptr) : change;
  return boost::json::serialize(out);
}

}  // namespace warden::inventory
