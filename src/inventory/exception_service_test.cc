#include "inventory/exception_service.h"

#include "inventory/access_service.h"
#include "inventory/inventory_service.h"
#include "service/service_test_env.h"

namespace warden::inventory {
namespace {

using std::chrono::days;

class ExceptionServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    exceptions_ = std::make_unique<ExceptionService>(*store_, *auditor_);
    SeedTeam("payments");
    SeedTeam("search");
  }
  void TearDown() override {
    exceptions_.reset();
    ServiceTestEnv::TearDown();
  }
  PolicyException Request(std::string identity_name = "legacy-key") {
    PolicyException e;
    e.identity_name = std::move(identity_name);
    e.rule = std::string(kRuleRotationBeyondPolicy);
    e.justification = "vendor cannot rotate before Q3";
    e.expires_at = clock_.Now() + days(90);
    return e;
  }
  const Caller sec_ = As(Role::kSecurity, "sec");
  const Caller sec2_ = As(Role::kSecurity, "sec2");
  std::unique_ptr<ExceptionService> exceptions_;
};

TEST_F(ExceptionServiceTest, RequestStartsPendingAndRecordsRequester) {
  const Caller owner = As(Role::kAppOwner, "olive", "payments");
  Result<PolicyException> e = Internal("unset");
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(e = exceptions_->Request(owner, Request()));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->state, ExceptionState::kPending);
  EXPECT_EQ(e->requested_by, "olive");
  EXPECT_TRUE(e->approved_by.empty());
  EXPECT_EQ(record.event.action, "exception.request");
  EXPECT_EQ(record.event.target, "exception/" + e->id);
}

TEST_F(ExceptionServiceTest, RequestValidation) {
  PolicyException e = Request();
  e.justification = "   ";
  EXPECT_NE(
      exceptions_->Request(Admin(), e).status().message().find("justification"),
      std::string::npos);
  e = Request();
  e.rule = "anything_goes";
  EXPECT_NE(exceptions_->Request(Admin(), e).status().message().find("rule"),
            std::string::npos);
  e = Request();
  e.expires_at = clock_.Now();
  EXPECT_EQ(exceptions_->Request(Admin(), e).status().code(),
            StatusCode::kInvalidArgument);
  e.expires_at = clock_.Now() + days(366);
  EXPECT_EQ(exceptions_->Request(Admin(), e).status().code(),
            StatusCode::kInvalidArgument);
  e.expires_at = clock_.Now() + days(365);
  EXPECT_TRUE(exceptions_->Request(Admin(), e).ok());
}

TEST_F(ExceptionServiceTest, SelfApprovalIsDeniedAndAudited) {
  Result<PolicyException> e = exceptions_->Request(Admin(), Request());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  Result<PolicyException> decided = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      decided = exceptions_->Decide(Admin(), e->id, true));
  EXPECT_EQ(decided.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(decided.status().problem(), "self-approval");
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(record.event.action, "exception.approve");
  EXPECT_EQ(exceptions_->Get(Admin(), e->id)->state, ExceptionState::kPending);
}

// Four eyes means two people, not two principal strings.
TEST_F(ExceptionServiceTest, UserlessTokenCannotDecide) {
  Result<PolicyException> e =
      exceptions_->Request(As(Role::kAppOwner, "olive", "payments"), Request());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  Result<PolicyException> decided = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      decided = exceptions_->Decide(As(Role::kAdmin, "token:t1"), e->id, true));
  EXPECT_EQ(decided.status().problem(), "human-decision-required");
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(exceptions_->Get(Admin(), e->id)->state, ExceptionState::kPending);
}

TEST_F(ExceptionServiceTest, RequestThroughOwnUserlessTokenIsSelfApproval) {
  AccessService access(*store_, *auditor_);
  ASSERT_TRUE(
      access.CreateUser(Admin(), User{.name = "alice", .role = Role::kAdmin})
          .ok());
  const Caller alice = As(Role::kAdmin, "alice");
  TokenRequest minted;
  minted.role = Role::kAdmin;
  Result<IssuedToken> first = access.CreateToken(alice, minted);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // A token minted by a user-less token still leads back to alice.
  Result<IssuedToken> second =
      access.CreateToken(As(Role::kAdmin, "token:" + first->token.id), minted);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Result<PolicyException> e = exceptions_->Request(
      As(Role::kAdmin, "token:" + second->token.id), Request());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(exceptions_->Decide(alice, e->id, true).status().problem(),
            "self-approval");
  EXPECT_TRUE(exceptions_->Decide(sec_, e->id, true).ok());
}

TEST_F(ExceptionServiceTest, DecideOnlyPendingAndUnexpired) {
  Result<PolicyException> e = exceptions_->Request(Admin(), Request());
  ASSERT_TRUE(e.ok());
  Result<PolicyException> approved = exceptions_->Decide(sec2_, e->id, true);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->state, ExceptionState::kApproved);
  EXPECT_EQ(approved->approved_by, "sec2");
  EXPECT_EQ(approved->decided_at, clock_.Now());
  EXPECT_EQ(exceptions_->Decide(sec2_, e->id, false).status().code(),
            StatusCode::kFailedPrecondition);

  Result<PolicyException> late =
      exceptions_->Request(Admin(), Request("other"));
  ASSERT_TRUE(late.ok());
  clock_.Advance(days(91));
  EXPECT_EQ(exceptions_->Decide(sec2_, late->id, true).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(exceptions_->Decide(sec2_, "missing", true).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      exceptions_->Decide(As(Role::kAppOwner, "o", "payments"), late->id, true)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
}

TEST_F(ExceptionServiceTest, RejectAndRevoke) {
  Result<PolicyException> e = exceptions_->Request(Admin(), Request());
  ASSERT_TRUE(e.ok());
  Result<PolicyException> rejected = exceptions_->Decide(sec_, e->id, false);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, ExceptionState::kRejected);
  EXPECT_EQ(exceptions_->Revoke(sec_, e->id).status().code(),
            StatusCode::kFailedPrecondition);

  Result<PolicyException> f = exceptions_->Request(Admin(), Request());
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(exceptions_->Decide(sec_, f->id, true).ok());
  Result<PolicyException> revoked = exceptions_->Revoke(sec2_, f->id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->state, ExceptionState::kRevoked);
  Result<std::vector<PolicyException>> listed =
      exceptions_->List(As(Role::kAccountManager, "am"), "legacy-key");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_FALSE(
      HasActiveException(*listed, kRuleRotationBeyondPolicy, clock_.Now()));
}

TEST_F(ExceptionServiceTest, AppOwnerRequestsOnlyForItsOwnTeamsIdentity) {
  InventoryService inventory(*store_, *auditor_);
  IdentityDraft draft;
  draft.identity.name = "indexer";
  draft.identity.kind = IdentityKind::kWorkload;
  draft.identity.owner = "search";
  draft.identity.application = "search";
  draft.identity.expires_at = clock_.Now() + days(10);
  ASSERT_TRUE(inventory.Create(Admin(), draft).ok());
  const Caller owner = As(Role::kAppOwner, "olive", "payments");
  EXPECT_EQ(exceptions_->Request(owner, Request("indexer")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      exceptions_
          ->Request(As(Role::kAppOwner, "sam", "search"), Request("indexer"))
          .ok());
  // Not registered yet: requested for the requester's own team.
  EXPECT_TRUE(exceptions_->Request(owner, Request("future-key")).ok());
}

// On the approvals engine: one decision, whichever route takes it.
class ExceptionApprovalTest : public ExceptionServiceTest {
 protected:
  void SetUp() override {
    ExceptionServiceTest::SetUp();
    approvals_ =
        std::make_unique<approvals::ApprovalEngine>(*store_, *auditor_);
    exceptions_ = std::make_unique<ExceptionService>(*store_, *auditor_,
                                                     approvals_.get());
  }
  void TearDown() override {
    exceptions_.reset();
    approvals_.reset();
    ExceptionServiceTest::TearDown();
  }
  ApprovalRecord StoredApproval(const std::string& id) {
    ApprovalRecord out;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(out, tx.approvals().Get(id));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  const Caller owner_ = As(Role::kAppOwner, "olive", "payments");
  std::unique_ptr<approvals::ApprovalEngine> approvals_;
};

TEST_F(ExceptionApprovalTest, RequestOpensAnExceptionApproval) {
  Result<PolicyException> e = exceptions_->Request(owner_, Request());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  const ApprovalRecord a = StoredApproval(e->id);
  EXPECT_EQ(a.kind, "exception");
  EXPECT_EQ(a.state, "pending");
  EXPECT_EQ(a.approver_role, "security");
  EXPECT_EQ(a.requester, "olive");
  EXPECT_EQ(a.expires_at, e->expires_at);
  EXPECT_NE(a.subject_json.find(kRuleRotationBeyondPolicy), std::string::npos);
  EXPECT_EQ(LastAudit().event.action, "exception.request");
  Result<approvals::ApprovalView> shown = approvals_->Get(sec_, e->id);
  ASSERT_TRUE(shown.ok());
  EXPECT_NE(shown->context_json.find("vendor cannot rotate"),
            std::string::npos);
}

TEST_F(ExceptionApprovalTest, ApprovingTheApprovalApprovesTheException) {
  Result<PolicyException> e = exceptions_->Request(owner_, Request());
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(approvals_->Decide(sec_, e->id, true, "risk accepted").ok());
  Result<PolicyException> after = exceptions_->Get(sec_, e->id);
  EXPECT_EQ(after->state, ExceptionState::kApproved);
  EXPECT_EQ(after->approved_by, "sec");
  EXPECT_EQ(exceptions_->Decide(sec2_, e->id, false).status().problem(),
            "not-pending");
}

TEST_F(ExceptionApprovalTest, RejectingTheExceptionDeclinesTheApproval) {
  Result<PolicyException> e = exceptions_->Request(owner_, Request());
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(exceptions_->Decide(sec_, e->id, false).ok());
  const ApprovalRecord a = StoredApproval(e->id);
  EXPECT_EQ(a.state, "declined");
  EXPECT_EQ(a.decided_by, "sec");
  EXPECT_EQ(approvals_->Decide(sec2_, e->id, true, "late").status().problem(),
            "approval-decided");
}

TEST_F(ExceptionApprovalTest, SelfApprovalThroughTheEngineIsDenied) {
  Result<PolicyException> e = exceptions_->Request(Admin(), Request());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(approvals_->Decide(Admin(), e->id, true, "mine").status().problem(),
            "self-approval");
  EXPECT_EQ(exceptions_->Get(sec_, e->id)->state, ExceptionState::kPending);
}

TEST_F(ExceptionApprovalTest, RevokingAPendingExceptionDeclinesItsApproval) {
  Result<PolicyException> e = exceptions_->Request(owner_, Request());
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(exceptions_->Revoke(sec_, e->id).ok());
  EXPECT_EQ(StoredApproval(e->id).state, "declined");
}

TEST(HasActiveExceptionTest, OnlyApprovedUnexpiredMatchingRule) {
  const Timestamp now = FromMicros(1'000'000'000);
  PolicyException e;
  e.rule = std::string(kRuleExpiryBeyondPolicy);
  e.state = ExceptionState::kApproved;
  e.expires_at = now + std::chrono::hours(1);
  EXPECT_TRUE(HasActiveException({e}, kRuleExpiryBeyondPolicy, now));
  EXPECT_FALSE(HasActiveException({e}, kRuleRotationBeyondPolicy, now));
  EXPECT_FALSE(HasActiveException({e}, kRuleExpiryBeyondPolicy,
                                  now + std::chrono::hours(1)));
  for (ExceptionState state :
       {ExceptionState::kPending, ExceptionState::kRejected,
        ExceptionState::kRevoked}) {
    e.state = state;
    EXPECT_FALSE(HasActiveException({e}, kRuleExpiryBeyondPolicy, now));
  }
}

}  // namespace
}  // namespace warden::inventory
