#include "posture/review_service.h"

#include <boost/json.hpp>

#include "core/id.h"
#include "core/time_format.h"
#include "inventory/identity_rules.h"
#include "posture/finding.h"
#include "posture/finding_catalog.h"
#include "posture/finding_reconciler.h"
#include "posture/identity_findings.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "service/system_caller.h"

namespace warden::posture {
namespace {

namespace json = boost::json;

constexpr int kMaxPageSize = 500;
constexpr int kScopePage = 500;

std::string CampaignTarget(std::string_view id) {
  return "review:" + std::string(id);
}

json::object ScopeJson(const CampaignRequest& r) {
  json::object scope;
  if (!r.team.empty()) scope["team"] = r.team;
  if (r.environment) scope["environment"] = Name(*r.environment);
  if (r.risk_tier) scope["risk_tier"] = Name(*r.risk_tier);
  return scope;
}

bool IsOffboarded(IdentityStatus status) {
  return status == IdentityStatus::kRevoked ||
         status == IdentityStatus::kExpired;
}

// Every identity of the scope that is not offboarded.
Result<std::vector<Identity>> IdentitiesInScope(Transaction& tx,
                                                const CampaignRequest& r) {
  IdentityFilter filter;
  if (!r.team.empty()) filter.owner = r.team;
  filter.environment = r.environment;
  filter.risk_tier = r.risk_tier;
  std::vector<Identity> out;
  PageRequest page{std::nullopt, kScopePage};
  for (;;) {
    WARDEN_ASSIGN_OR_RETURN(Page<Identity> found,
                            tx.identities().List(filter, page));
    for (Identity& identity : found.items) {
      if (IsOffboarded(identity.status)) continue;
      out.push_back(std::move(identity));
    }
    if (static_cast<int64_t>(out.size()) > kMaxCampaignIdentities) {
      return FieldError("scope", "holds more than 50000 identities; narrow it");
    }
    if (!found.next_after_id) return out;
    page.after_id = found.next_after_id;
  }
}

Status CheckRequest(const CampaignRequest& r, Timestamp now) {
  WARDEN_RETURN_IF_ERROR(
      CheckRequiredText("name", r.name, inventory::kMaxNameLength));
  if (r.due_at <= now) return FieldError("due_at", "must be in the future");
  return Status::Ok();
}

std::string OverdueKey(std::string_view identity_id,
                       std::string_view campaign_id) {
  return HeldSubjectKey(identity_id, "review", campaign_id);
}

// The review-overdue finding of an undecided item.
Finding OverdueFinding(const ReviewItemRecord& item,
                       const ReviewCampaignRecord& campaign) {
  Finding f;
  f.rule = kReviewOverdue;
  f.severity = std::string(FindRule(kReviewOverdue)->severity);
  f.subject_key = OverdueKey(item.identity_id, campaign.id);
  f.identity_id = item.identity_id;
  f.subject = item.identity_name;
  f.owner = item.owner;
  f.evidence = {{"campaign", campaign.id},
                {"campaign_name", campaign.name},
                {"due_at", FormatRfc3339(campaign.due_at)}};
  return f;
}

// Resolves the review-overdue finding of (identity, campaign), if any.
Status ResolveOverdue(Transaction& tx, std::string_view identity_id,
                      std::string_view campaign_id, Timestamp now) {
  const std::string key = OverdueKey(identity_id, campaign_id);
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<FindingRecord> stored,
      tx.findings().ListBySubjectBetween(key.substr(0, key.size() - 1), key));
  for (FindingRecord& f : stored) {
    if (f.subject_key != key || f.state == "resolved") continue;
    f.state = "resolved";
    f.resolved_at = now;
    f.last_seen = now;
    f.version += 1;
    WARDEN_RETURN_IF_ERROR(tx.findings().Update(f));
  }
  return Status::Ok();
}

}  // namespace

ReviewService::ReviewService(Store& store, Auditor& auditor,
                             inventory::InventoryService& inventory)
    : store_(store), auditor_(auditor), inventory_(inventory) {}

Result<CampaignView> ReviewService::Create(const Caller& caller,
                                           const CampaignRequest& request) {
  const std::string id = NewId(auditor_.clock().Now());
  AuditedWrite write(store_, auditor_, caller, "review.create",
                     CampaignTarget(id), Permission::kPostureManage);
  CampaignView view;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckRequest(request, write.now()));
    WARDEN_ASSIGN_OR_RETURN(std::vector<Identity> identities,
                            IdentitiesInScope(tx, request));
    if (identities.empty()) {
      return FieldError("scope", "holds no identity to review");
    }
    ReviewCampaignRecord& c = view.campaign;
    c.id = id;
    c.name = request.name;
    c.scope_json = json::serialize(ScopeJson(request));
    c.due_at = request.due_at;
    c.created_by = caller.principal.subject;
    c.created_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.reviews().InsertCampaign(c));
    for (const Identity& identity : identities) {
      ReviewItemRecord item;
      item.campaign_id = id;
      item.identity_id = identity.id;
      item.identity_name = identity.name;
      item.owner = identity.owner;
      WARDEN_RETURN_IF_ERROR(tx.reviews().PutItem(item));
    }
    view.decisions["pending"] = static_cast<int64_t>(identities.size());
    return write.Record(tx, {{"name", c.name},
                             {"scope", ScopeJson(request)},
                             {"due_at", FormatRfc3339(c.due_at)},
                             {"identities", identities.size()}});
  }));
  return view;
}

Result<Page<ReviewCampaignRecord>> ReviewService::List(
    const Caller& caller, std::string_view state, const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit", "must be between 1 and 500");
  }
  Page<ReviewCampaignRecord> found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "review.list", "reviews",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(found, tx.reviews().ListCampaigns(state, page));
        return Status::Ok();
      }));
  return found;
}

Result<CampaignView> ReviewService::Get(const Caller& caller,
                                        std::string_view id) {
  CampaignView view;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "review.get", CampaignTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(view.campaign, tx.reviews().GetCampaign(id));
        WARDEN_ASSIGN_OR_RETURN(view.decisions, tx.reviews().CountItems(id));
        return Status::Ok();
      }));
  return view;
}

Result<Page<ReviewItemRecord>> ReviewService::Items(const Caller& caller,
                                                    std::string_view id,
                                                    std::string_view decision,
                                                    const PageRequest& page) {
  if (page.limit < 1 || page.limit > kMaxPageSize) {
    return FieldError("limit", "must be between 1 and 500");
  }
  if (!decision.empty() && decision != "pending" && decision != "keep" &&
      decision != "revoke") {
    return FieldError("decision", "must be one of pending, keep, revoke");
  }
  Page<ReviewItemRecord> found;
  WARDEN_RETURN_IF_ERROR(auditor_.AuditedRead(
      caller, Permission::kPostureRead, "review.items", CampaignTarget(id),
      [&](Transaction& tx) -> Status {
        WARDEN_RETURN_IF_ERROR(tx.reviews().GetCampaign(id).status());
        WARDEN_ASSIGN_OR_RETURN(found,
                                tx.reviews().ListItems(id, decision, page));
        return Status::Ok();
      }));
  return found;
}

Result<ReviewItemRecord> ReviewService::Decide(
    const Caller& caller, std::string_view campaign_id,
    std::string_view identity_id, std::string_view decision,
    const std::string& justification) {
  AuditedWrite write(store_, auditor_, caller, "review.decide",
                     CampaignTarget(campaign_id), Permission::kReviewDecide);
  ReviewItemRecord item;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(item,
                            tx.reviews().GetItem(campaign_id, identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(item.owner));
    if (decision != "keep" && decision != "revoke") {
      return FieldError("decision", "must be keep or revoke");
    }
    WARDEN_RETURN_IF_ERROR(
        decision == "keep" ? CheckRequiredText("justification", justification,
                                               inventory::kMaxTextLength)
                           : CheckText("justification", justification,
                                       inventory::kMaxTextLength));
    if (item.decision != "pending") {
      return FailedPrecondition("identity " + item.identity_name +
                                    " was already decided (" + item.decision +
                                    ") in this review",
                                "already-decided");
    }
    item.decision = std::string(decision);
    item.justification = justification;
    item.decided_by = caller.principal.subject;
    item.decided_at = write.now();
    WARDEN_RETURN_IF_ERROR(tx.reviews().PutItem(item));
    WARDEN_RETURN_IF_ERROR(
        ResolveOverdue(tx, identity_id, campaign_id, write.now()));
    return write.Record(tx, {{"identity", item.identity_id},
                             {"name", item.identity_name},
                             {"owner", item.owner},
                             {"decision", item.decision},
                             {"justification", justification}});
  }));
  if (decision == "revoke") {
    Result<Identity> revoked = inventory_.Transition(
        caller, identity_id, inventory::LifecycleAction::kRevoke,
        "access review " + std::string(campaign_id) + ": " +
            (justification.empty() ? std::string("revoke") : justification));
    if (!revoked.ok())
      return revoked.status().WithContext("review decision recorded; revoking");
  }
  return item;
}

Result<int64_t> ReviewService::CloseDue() {
  const Caller system = SystemCaller();
  int64_t opened = 0;
  std::vector<ReviewCampaignRecord> due;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(due, tx.reviews().ListDue(auditor_.clock().Now()));
    return Status::Ok();
  }));
  for (ReviewCampaignRecord& campaign : due) {
    WARDEN_RETURN_IF_ERROR(store_.Write([&](Transaction& tx) -> Status {
      WARDEN_ASSIGN_OR_RETURN(int64_t undecided,
                              CloseIn(tx, campaign, auditor_.clock().Now()));
      opened += undecided;
      return auditor_.RecordInTransaction(
          tx, system, "review.close", CampaignTarget(campaign.id),
          {{"name", campaign.name}, {"undecided", undecided}});
    }));
  }
  return opened;
}

Result<CampaignView> ReviewService::Close(const Caller& caller,
                                          std::string_view id) {
  AuditedWrite write(store_, auditor_, caller, "review.close",
                     CampaignTarget(id), Permission::kPostureManage);
  CampaignView view;
  WARDEN_RETURN_IF_ERROR(write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(view.campaign, tx.reviews().GetCampaign(id));
    if (view.campaign.state != "open") {
      return FailedPrecondition(
          "review " + view.campaign.id + " is already closed", "review-closed");
    }
    WARDEN_ASSIGN_OR_RETURN(int64_t undecided,
                            CloseIn(tx, view.campaign, write.now()));
    WARDEN_ASSIGN_OR_RETURN(view.decisions, tx.reviews().CountItems(id));
    return write.Record(
        tx, {{"name", view.campaign.name}, {"undecided", undecided}});
  }));
  return view;
}

Result<int64_t> ReviewService::CloseIn(Transaction& tx,
                                       ReviewCampaignRecord& campaign,
                                       Timestamp now) {
  int64_t undecided = 0;
  PageRequest page{std::nullopt, kMaxPageSize};
  for (;;) {
    WARDEN_ASSIGN_OR_RETURN(
        Page<ReviewItemRecord> items,
        tx.reviews().ListItems(campaign.id, "pending", page));
    for (const ReviewItemRecord& item : items.items) {
      WARDEN_RETURN_IF_ERROR(tx.findings().Insert(
          NewRecord(OverdueFinding(item, campaign), NewId(now), now)));
      ++undecided;
    }
    if (!items.next_after_id) break;
    page.after_id = items.next_after_id;
  }
  campaign.state = "closed";
  campaign.closed_at = now;
  campaign.version += 1;
  WARDEN_RETURN_IF_ERROR(tx.reviews().UpdateCampaign(campaign));
  return undecided;
}

}  // namespace warden::posture
