#include "inventory/inventory_service.h"

#include "inventory/exception_service.h"
#include "service/service_test_env.h"

namespace warden::inventory {
namespace {

using std::chrono::days;

class InventoryServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    approvals_ =
        std::make_unique<approvals::ApprovalEngine>(*store_, *auditor_);
    inventory_ = std::make_unique<InventoryService>(*store_, *auditor_,
                                                    approvals_.get());
    exceptions_ = std::make_unique<ExceptionService>(*store_, *auditor_,
                                                     approvals_.get());
    SeedTeam("payments");
    SeedTeam("search");
  }
  void TearDown() override {
    inventory_.reset();
    exceptions_.reset();
    approvals_.reset();
    ServiceTestEnv::TearDown();
  }

  IdentityDraft Draft(std::string name = "payments-api") {
    IdentityDraft draft;
    Identity& id = draft.identity;
    id.name = std::move(name);
    id.kind = IdentityKind::kWorkload;
    id.owner = "payments";
    id.application = "checkout";
    id.environment = Environment::kDevelopment;
    id.scopes = {"orders:read"};
    id.expires_at = clock_.Now() + days(30);
    return draft;
  }

  // Requests with `requester`, approves with another security user.
  void Waive(const std::string& identity_name, std::string_view rule) {
    PolicyException request;
    request.identity_name = identity_name;
    request.rule = std::string(rule);
    request.justification = "legacy vendor integration";
    request.expires_at = clock_.Now() + days(60);
    Result<PolicyException> requested =
        exceptions_->Request(Admin(), std::move(request));
    ASSERT_TRUE(requested.ok()) << requested.status().ToString();
    ASSERT_TRUE(
        exceptions_->Decide(As(Role::kSecurity, "sec"), requested->id, true)
            .ok());
  }

  const Caller owner_ = As(Role::kAppOwner, "olive", "payments");
  std::unique_ptr<approvals::ApprovalEngine> approvals_;
  std::unique_ptr<InventoryService> inventory_;
  std::unique_ptr<ExceptionService> exceptions_;
};

TEST_F(InventoryServiceTest, CreateDerivesRiskNormalizesScopesAndAudits) {
  IdentityDraft draft = Draft();
  draft.identity.environment = Environment::kStaging;
  draft.identity.scopes = {"orders:write", "billing:read", "orders:write"};
  Result<Identity> created = Internal("unset");
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(created = inventory_->Create(owner_, draft));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(IsWellFormedId(created->id));
  EXPECT_EQ(created->scopes,
            (std::vector<std::string>{"billing:read", "orders:write"}));
  EXPECT_EQ(created->risk_tier, RiskTier::kMedium);  // staging 1 + write 1
  EXPECT_FALSE(created->risk_tier_declared);
  EXPECT_NE(created->risk_reason.find("scope orders:write"), std::string::npos)
      << created->risk_reason;
  EXPECT_EQ(created->status, IdentityStatus::kActive);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(record.event.action, "identity.create");
  EXPECT_EQ(record.event.target, "identity/" + created->id);
  EXPECT_EQ(record.event.actor, "olive");
  EXPECT_EQ(Details(record).at("risk_tier").as_string(), "medium");

  Result<Identity> stored = inventory_->Get(Admin(), created->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->risk_reason, created->risk_reason);
  EXPECT_EQ(LastAudit().event.action, "identity.read");
}

TEST_F(InventoryServiceTest, HumanInteractiveAccountIsRefused) {
  IdentityDraft draft = Draft();
  draft.interactive = true;
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.problem(), "human-account-refused");
  EXPECT_EQ(LastAudit().event.outcome, "invalid_argument");
}

TEST_F(InventoryServiceTest, OwnerMustBeARegisteredTeam) {
  IdentityDraft draft = Draft();
  draft.identity.owner = "ghosts";
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.problem(), "unknown-owner");
}

TEST_F(InventoryServiceTest, ExpiryIsMandatoryAndInTheFuture) {
  IdentityDraft draft = Draft();
  draft.identity.expires_at = Timestamp{};
  EXPECT_EQ(inventory_->Create(Admin(), draft).status().problem(),
            "validation-failed");
  draft.identity.expires_at = clock_.Now() - days(1);
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("expires_at"), std::string::npos);
}

TEST_F(InventoryServiceTest, SecretBearingKindsNeedRotation) {
  IdentityDraft draft = Draft();
  draft.identity.kind = IdentityKind::kApiKey;
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_NE(s.message().find("rotation_days"), std::string::npos);
  draft.identity.rotation_days = 30;
  EXPECT_TRUE(inventory_->Create(Admin(), draft).ok());
}

TEST_F(InventoryServiceTest, MalformedScopeIsRefused) {
  IdentityDraft draft = Draft();
  draft.identity.scopes = {"orders:read", "not a scope"};
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("scopes["), std::string::npos) << s.message();
}

TEST_F(InventoryServiceTest, DeclaredTierBelowDerivedNeedsApprovedException) {
  IdentityDraft draft = Draft();
  draft.identity.environment = Environment::kProduction;  // derived medium
  draft.declared_risk_tier = RiskTier::kLow;
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.problem(), "exception-required");
  EXPECT_NE(s.message().find("risk_tier_below_derived"), std::string::npos);

  Waive(draft.identity.name, kRuleRiskTierBelowDerived);
  Result<Identity> created = inventory_->Create(Admin(), draft);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->risk_tier, RiskTier::kLow);
  EXPECT_TRUE(created->risk_tier_declared);
  EXPECT_EQ(Details(LastAudit()).at("waived").as_array().size(), 1u);
}

TEST_F(InventoryServiceTest, ExceptionErrorNamesEveryMissingRule) {
  IdentityDraft draft = Draft();
  draft.identity.kind = IdentityKind::kApiKey;
  draft.identity.rotation_days = 365;
  draft.identity.expires_at = clock_.Now() + days(400);
  const Status s = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(s.problem(), "exception-required");
  EXPECT_NE(s.message().find("expiry_beyond_policy"), std::string::npos);
  EXPECT_NE(s.message().find("rotation_beyond_policy"), std::string::npos);

  Waive(draft.identity.name, kRuleExpiryBeyondPolicy);
  const Status still = inventory_->Create(Admin(), draft).status();
  EXPECT_EQ(still.problem(), "exception-required");
  EXPECT_EQ(still.message().find("expiry_beyond_policy"), std::string::npos);
  Waive(draft.identity.name, kRuleRotationBeyondPolicy);
  EXPECT_TRUE(inventory_->Create(Admin(), draft).ok());
}

TEST_F(InventoryServiceTest, PendingOrExpiredExceptionDoesNotCount) {
  IdentityDraft draft = Draft();
  draft.identity.expires_at = clock_.Now() + days(400);
  PolicyException request;
  request.identity_name = draft.identity.name;
  request.rule = std::string(kRuleExpiryBeyondPolicy);
  request.justification = "migration";
  request.expires_at = clock_.Now() + days(10);
  Result<PolicyException> pending = exceptions_->Request(Admin(), request);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(inventory_->Create(Admin(), draft).status().problem(),
            "exception-required");
  ASSERT_TRUE(
      exceptions_->Decide(As(Role::kSecurity, "sec"), pending->id, true).ok());
  clock_.Advance(days(11));
  draft.identity.expires_at = clock_.Now() + days(400);
  EXPECT_EQ(inventory_->Create(Admin(), draft).status().problem(),
            "exception-required");
}

TEST_F(InventoryServiceTest, AppOwnerCreatesOnlyForItsOwnTeam) {
  IdentityDraft draft = Draft();
  draft.identity.owner = "search";
  Result<Identity> denied = Internal("unset");
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(denied = inventory_->Create(owner_, draft));
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_NE(Details(record).at("reason").as_string().find("search"),
            std::string::npos);
  EXPECT_EQ(
      inventory_->Create(As(Role::kAuditor, "aud"), Draft()).status().code(),
      StatusCode::kPermissionDenied);
}

TEST_F(InventoryServiceTest, NameTakenIsAlreadyExists) {
  ASSERT_TRUE(inventory_->Create(Admin(), Draft()).ok());
  EXPECT_EQ(inventory_->Create(Admin(), Draft()).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(InventoryServiceTest, UpdateRederivesRiskAndBumpsVersion) {
  Result<Identity> created = inventory_->Create(owner_, Draft());
  ASSERT_TRUE(created.ok());
  IdentityPatch patch;
  patch.scopes = std::vector<std::string>{"billing:admin", "billing:admin"};
  patch.expected_version = 1;
  Result<Identity> updated = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      updated = inventory_->Update(owner_, created->id, patch));
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->scopes, std::vector<std::string>{"billing:admin"});
  EXPECT_EQ(updated->risk_tier, RiskTier::kMedium);
  EXPECT_EQ(record.event.action, "identity.update");
  EXPECT_EQ(Details(record).at("changed").as_array().at(0).as_string(),
            "scopes");

  const Status stale = inventory_->Update(owner_, created->id, patch).status();
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(stale.problem(), "version-conflict");
}

TEST_F(InventoryServiceTest, UpdateRechecksExceptions) {
  Result<Identity> created = inventory_->Create(Admin(), Draft());
  ASSERT_TRUE(created.ok());
  IdentityPatch patch;
  patch.expires_at = clock_.Now() + days(500);
  EXPECT_EQ(inventory_->Update(Admin(), created->id, patch).status().problem(),
            "exception-required");
  patch = {};
  patch.owner = "ghosts";
  EXPECT_EQ(inventory_->Update(Admin(), created->id, patch).status().problem(),
            "unknown-owner");
}

TEST_F(InventoryServiceTest, AppOwnerCannotMoveIdentityToAnotherTeam) {
  Result<Identity> created = inventory_->Create(owner_, Draft());
  ASSERT_TRUE(created.ok());
  IdentityPatch patch;
  patch.owner = "search";
  EXPECT_EQ(inventory_->Update(owner_, created->id, patch).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAudit().event.outcome, "deny");
  EXPECT_TRUE(inventory_->Update(Admin(), created->id, patch).ok());
  patch.owner = "payments";  // now owned by search: not the owner's any more
  EXPECT_EQ(inventory_->Update(owner_, created->id, patch).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(InventoryServiceTest, LifecycleWithReasonsAndFinalRevocation) {
  Result<Identity> created = inventory_->Create(owner_, Draft());
  ASSERT_TRUE(created.ok());
  const std::string id = created->id;
  EXPECT_EQ(inventory_->Transition(owner_, id, LifecycleAction::kSuspend, "")
                .status()
                .problem(),
            "validation-failed");
  Result<Identity> suspended = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      suspended = inventory_->Transition(owner_, id, LifecycleAction::kSuspend,
                                         "incident 42"));
  ASSERT_TRUE(suspended.ok());
  EXPECT_EQ(suspended->status, IdentityStatus::kSuspended);
  EXPECT_EQ(suspended->status_reason, "incident 42");
  EXPECT_EQ(Details(record).at("to").as_string(), "suspended");
  EXPECT_EQ(inventory_->Transition(owner_, id, LifecycleAction::kSuspend, "x")
                .status()
                .problem(),
            "illegal-transition");
  ASSERT_TRUE(
      inventory_->Transition(owner_, id, LifecycleAction::kResume, "").ok());
  EXPECT_EQ(inventory_
                ->Transition(As(Role::kAccountManager, "am"), id,
                             LifecycleAction::kRevoke, "x")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  Result<Identity> revoked = inventory_->Transition(
      owner_, id, LifecycleAction::kRevoke, "decommissioned");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->status, IdentityStatus::kRevoked);
  const Status again =
      inventory_->Transition(Admin(), id, LifecycleAction::kResume, "")
          .status();
  EXPECT_EQ(again.problem(), "illegal-transition");
  EXPECT_EQ(inventory_->Update(Admin(), id, IdentityPatch{}).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(InventoryServiceTest, AppOwnerCannotTouchAnotherTeamsIdentity) {
  IdentityDraft draft = Draft();
  draft.identity.owner = "search";
  Result<Identity> created = inventory_->Create(Admin(), draft);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(
      inventory_->Transition(owner_, created->id, LifecycleAction::kRevoke, "x")
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  EXPECT_TRUE(inventory_
                  ->Transition(As(Role::kSecurity, "sec"), created->id,
                               LifecycleAction::kRevoke, "leaked")
                  .ok());
}

TEST_F(InventoryServiceTest, ExpireDueMovesPastExpiryToExpiredAsSystem) {
  Result<Identity> soon = inventory_->Create(Admin(), Draft("soon"));
  IdentityDraft later = Draft("later");
  later.identity.expires_at = clock_.Now() + days(200);
  ASSERT_TRUE(soon.ok());
  ASSERT_TRUE(inventory_->Create(Admin(), later).ok());
  Result<int> none = inventory_->ExpireDue();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  clock_.Advance(days(31));
  Result<int> moved = inventory_->ExpireDue();
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(*moved, 1);
  EXPECT_EQ(inventory_->Get(Admin(), soon->id)->status,
            IdentityStatus::kExpired);
  bool found = false;
  for (const AuditRecord& r : AuditLog()) {
    if (r.event.action != "identity.expire") continue;
    found = true;
    EXPECT_EQ(r.event.actor, "system");
    EXPECT_EQ(r.event.target, "identity/" + soon->id);
  }
  EXPECT_TRUE(found);
}

TEST_F(InventoryServiceTest, ListPassesFiltersAndIsAudited) {
  IdentityDraft other = Draft("search-indexer");
  other.identity.owner = "search";
  ASSERT_TRUE(inventory_->Create(Admin(), Draft()).ok());
  ASSERT_TRUE(inventory_->Create(Admin(), other).ok());
  IdentityFilter filter;
  filter.owner = "search";
  Result<Page<Identity>> page = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      page = inventory_->List(As(Role::kAuditor, "aud"), filter, {}));
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "search-indexer");
  EXPECT_EQ(record.event.action, "identity.list");
  PageRequest too_big;
  too_big.limit = 100000;
  EXPECT_EQ(inventory_->List(Admin(), {}, too_big).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(inventory_->List(As(Role::kSdk, "sdk"), {}, {}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(InventoryServiceTest, GetUnknownIsNotFoundAndAudited) {
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(EXPECT_EQ(
      inventory_->Get(Admin(), "nope").status().code(), StatusCode::kNotFound));
  EXPECT_EQ(record.event.outcome, "not_found");
}

}  // namespace
}  // namespace warden::inventory

namespace warden::inventory {
namespace {

// Change control: production and vendor identities, and their widening.
class ChangeControlTest : public InventoryServiceTest {
 protected:
  IdentityDraft Production(std::string name = "payments-prod") {
    IdentityDraft draft = Draft(std::move(name));
    draft.identity.environment = Environment::kProduction;
    draft.ticket = "CHG-1234";
    return draft;
  }
  Identity Stored(const std::string& id) {
    Result<Identity> found = inventory_->Get(Admin(), id);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? *found : Identity{};
  }
  const Caller sec_ = As(Role::kSecurity, "sec");
};

TEST_F(ChangeControlTest, AppOwnerRegistrationIsPendingUntilApproved) {
  ApprovalRecord opened;
  Result<Identity> created = inventory_->Create(owner_, Production(), &opened);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->status, IdentityStatus::kPending);
  ASSERT_FALSE(opened.id.empty());
  EXPECT_EQ(opened.kind, "identity_change");
  EXPECT_EQ(opened.identity_id, created->id);
  EXPECT_EQ(opened.approver_role, "security");
  EXPECT_EQ(opened.ticket, "CHG-1234");
  EXPECT_EQ(Details(LastAudit()).at("change_control").as_string(),
            "approval " + opened.id);

  Result<approvals::ApprovalView> inbox_item = approvals_->Get(sec_, opened.id);
  ASSERT_TRUE(inbox_item.ok());
  EXPECT_NE(inbox_item->context_json.find("\"environment\":\"production\""),
            std::string::npos)
      << inbox_item->context_json;

  Result<approvals::ApprovalView> decided =
      approvals_->Decide(sec_, opened.id, true, "reviewed CHG-1234");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(Stored(created->id).status, IdentityStatus::kActive);
  bool activated = false;
  for (const AuditRecord& r : AuditLog()) {
    if (r.event.action == "identity.activate") {
      activated = true;
      EXPECT_EQ(r.event.actor, "sec");
    }
  }
  EXPECT_TRUE(activated);
}

TEST_F(ChangeControlTest, DeclineRevokesThePendingIdentity) {
  IdentityDraft draft = Production("vendor-sync");
  draft.identity.environment = Environment::kDevelopment;
  draft.identity.vendor = "acme-crm";
  ApprovalRecord opened;
  Result<Identity> created = inventory_->Create(owner_, draft, &opened);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->status, IdentityStatus::kPending);
  ASSERT_TRUE(approvals_->Decide(sec_, opened.id, false, "no DPA").ok());
  const Identity revoked = Stored(created->id);
  EXPECT_EQ(revoked.status, IdentityStatus::kRevoked);
  EXPECT_NE(revoked.status_reason.find("declined by sec: no DPA"),
            std::string::npos)
      << revoked.status_reason;
}

TEST_F(ChangeControlTest, TicketIsRequired) {
  IdentityDraft draft = Production();
  draft.ticket.clear();
  const Status s = inventory_->Create(owner_, draft).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ticket"), std::string::npos) << s.message();
}

TEST_F(ChangeControlTest, RequesterNeverApprovesItsOwnChange) {
  ApprovalRecord opened;
  ASSERT_TRUE(inventory_->Create(owner_, Production(), &opened).ok());
  const Status s =
      approvals_->Decide(As(Role::kSecurity, "olive"), opened.id, true, "me")
          .status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.problem(), "self-approval");
}

TEST_F(ChangeControlTest, AdminAndSecuritySatisfyChangeControlByRole) {
  Result<Identity> created = inventory_->Create(Admin(), Production());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->status, IdentityStatus::kActive);
  EXPECT_EQ(Details(LastAudit()).at("change_control").as_string(),
            "requester role admin");
  IdentityDraft no_ticket = Production("security-made");
  no_ticket.ticket.clear();
  ASSERT_TRUE(inventory_->Create(sec_, no_ticket).ok());
}

TEST_F(ChangeControlTest, WideningIsHeldThenAppliedOnApproval) {
  Result<Identity> created = inventory_->Create(Admin(), Production());
  ASSERT_TRUE(created.ok());
  IdentityPatch patch;
  patch.scopes = std::vector<std::string>{"orders:read", "orders:write"};
  EXPECT_NE(inventory_->Update(owner_, created->id, patch)
                .status()
                .message()
                .find("ticket"),
            std::string::npos);
  patch.ticket = "CHG-77";
  patch.application = "other";
  EXPECT_EQ(inventory_->Update(owner_, created->id, patch).status().code(),
            StatusCode::kInvalidArgument);  // held alone, not with other fields
  patch.application.reset();
  ApprovalRecord opened;
  Result<Identity> held =
      inventory_->Update(owner_, created->id, patch, &opened);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  ASSERT_FALSE(opened.id.empty());
  EXPECT_EQ(held->version, 1);
  EXPECT_EQ(Stored(created->id).scopes,
            std::vector<std::string>{"orders:read"});
  EXPECT_NE(opened.subject_json.find("orders:write"), std::string::npos);

  ASSERT_TRUE(approvals_->Decide(sec_, opened.id, true, "ok").ok());
  const Identity widened = Stored(created->id);
  EXPECT_EQ(widened.scopes,
            (std::vector<std::string>{"orders:read", "orders:write"}));
  EXPECT_EQ(widened.version, 2);
  EXPECT_EQ(widened.status, IdentityStatus::kActive);
}

TEST_F(ChangeControlTest, NarrowingAndDevelopmentChangesApplyAtOnce) {
  Result<Identity> prod = inventory_->Create(Admin(), Production());
  ASSERT_TRUE(prod.ok());
  IdentityPatch narrow;
  narrow.scopes = std::vector<std::string>{};
  ApprovalRecord opened;
  ASSERT_TRUE(inventory_->Update(owner_, prod->id, narrow, &opened).ok());
  EXPECT_TRUE(opened.id.empty());
  EXPECT_TRUE(Stored(prod->id).scopes.empty());
}

TEST_F(ChangeControlTest, ExpiredApprovalRevokesThePendingIdentity) {
  ApprovalRecord opened;
  Result<Identity> created = inventory_->Create(owner_, Production(), &opened);
  ASSERT_TRUE(created.ok());
  clock_.Advance(days(8));
  Result<int> swept = approvals_->ExpireDue();
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(Stored(created->id).status, IdentityStatus::kRevoked);
}

TEST_F(ChangeControlTest, WithoutApprovalsAControlledChangeIsRefused) {
  InventoryService alone(*store_, *auditor_);
  const Status s = alone.Create(owner_, Production()).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.problem(), "change-control-unavailable");
}

}  // namespace
}  // namespace warden::inventory
