#include "approvals/approval_engine.h"

#include "service/service_test_env.h"

namespace warden::approvals {
namespace {

using std::chrono::days;
using std::chrono::hours;

using Effect = std::function<Status(Transaction&, const ApprovalRecord&)>;

KindHooks EffectHooks(Effect effect,
                      std::function<void(const ApprovalRecord&)> notify) {
  KindHooks hooks;
  hooks.effect = std::move(effect);
  hooks.after_commit = std::move(notify);
  return hooks;
}

ApprovalQuery Mine() {
  ApprovalQuery q;
  q.mine = true;
  return q;
}

ApprovalQuery InState(std::string state) {
  ApprovalQuery q;
  q.state = std::move(state);
  return q;
}

PageRequest PageOf(int limit, std::optional<std::string> after = {}) {
  PageRequest page;
  page.limit = limit;
  page.after_id = std::move(after);
  return page;
}

class ApprovalEngineTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    engine_ = std::make_unique<ApprovalEngine>(*store_, *auditor_);
  }
  void TearDown() override {
    engine_.reset();
    ServiceTestEnv::TearDown();
  }

  static ApprovalRequest Stage(std::string release = "rel-1") {
    ApprovalRequest r;
    r.kind = std::string(kKindStageAdvance);
    r.release_id = std::move(release);
    r.stage = 2;
    r.approver_role = "security";
    r.reason = "canary is green";
    r.subject_json = R"({"stage_name":"canary"})";
    return r;
  }
  static ApprovalRequest Activation(std::string tenant, std::string approver) {
    ApprovalRequest r;
    r.kind = std::string(kKindTenantActivation);
    r.release_id = "rel-1";
    r.tenant_key = std::move(tenant);
    r.approver = std::move(approver);
    r.reason = "high-risk flag for this tenant";
    return r;
  }

  ApprovalRecord Requested(ApprovalRequest r, const Caller& by) {
    Result<ApprovalRecord> created = engine_->Request(by, std::move(r));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : ApprovalRecord{};
  }

  ApprovalRecord Stored(const std::string& id) {
    ApprovalRecord out;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> Status {
                      WARDEN_ASSIGN_OR_RETURN(out, tx.approvals().Get(id));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  const Caller dev_ = As(Role::kAppOwner, "olive", "payments");
  const Caller sec_ = As(Role::kSecurity, "sec");
  const Caller am_ = As(Role::kAccountManager, "amy");
  std::unique_ptr<ApprovalEngine> engine_;
};

TEST_F(ApprovalEngineTest, RequestStoresPendingWithExpiryAndAudits) {
  Result<ApprovalRecord> created = Internal("unset");
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD(created = engine_->Request(dev_, Stage()));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->state, "pending");
  EXPECT_EQ(created->requester, "olive");
  EXPECT_EQ(created->requester_user, "olive");
  EXPECT_EQ(created->expires_at, clock_.Now() + kDefaultTtl);
  EXPECT_EQ(record.event.action, "approval.request");
  EXPECT_EQ(record.event.target, "approval/" + created->id);
  EXPECT_EQ(Stored(created->id).subject_json, R"({"stage_name":"canary"})");
}

TEST_F(ApprovalEngineTest, RequestValidationPerKind) {
  ApprovalRequest bad = Stage();
  bad.kind = "coffee_break";
  Status s = engine_->Request(dev_, bad).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.problem(), "unknown-approval-kind");

  bad = Stage();
  bad.reason = " ";
  EXPECT_NE(engine_->Request(dev_, bad).status().message().find("reason"),
            std::string::npos);
  bad = Stage();
  bad.stage = 0;
  EXPECT_NE(engine_->Request(dev_, bad).status().message().find("stage"),
            std::string::npos);
  bad = Stage();
  bad.approver_role = "auditor";
  EXPECT_NE(
      engine_->Request(dev_, bad).status().message().find("approver_role"),
      std::string::npos);
  bad = Stage();
  bad.subject_json = "[1]";
  EXPECT_NE(engine_->Request(dev_, bad).status().message().find("subject"),
            std::string::npos);
  bad = Stage();
  bad.ttl = std::chrono::duration_cast<std::chrono::seconds>(days(91));
  EXPECT_NE(engine_->Request(dev_, bad).status().message().find("ttl"),
            std::string::npos);

  ApprovalRequest change;
  change.kind = std::string(kKindIdentityChange);
  change.identity_id = "id-1";
  change.reason = "new vendor";
  s = engine_->Request(dev_, change).status();
  EXPECT_EQ(s.problem(), "validation-failed");
  EXPECT_NE(s.message().find("ticket"), std::string::npos);
  change.ticket = "CHG-1";
  Result<ApprovalRecord> ok = engine_->Request(dev_, change);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->approver_role, "security");  // change control: security

  ApprovalRequest activation = Activation("", "amy");
  EXPECT_NE(
      engine_->Request(dev_, activation).status().message().find("tenant"),
      std::string::npos);
  activation.tenant_key = "acme";
  ok = engine_->Request(dev_, activation);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->approver_role, "account_manager");
}

TEST_F(ApprovalEngineTest, ApproveRecordsDecisionRunsEffectAndNotifies) {
  int effects = 0;
  std::vector<std::string> notified;
  engine_->RegisterKind(
      kKindStageAdvance,
      EffectHooks(
          [&](Transaction&, const ApprovalRecord& a) -> Status {
            EXPECT_EQ(a.state, "approved");
            ++effects;
            return Status::Ok();
          },
          [&](const ApprovalRecord& a) { notified.push_back(a.id); }));
  const ApprovalRecord a = Requested(Stage(), dev_);
  Result<ApprovalView> decided = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      decided = engine_->Decide(sec_, a.id, true, "looks good"));
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->record.state, "approved");
  EXPECT_EQ(decided->record.decided_by, "sec");
  EXPECT_EQ(decided->record.decision_reason, "looks good");
  EXPECT_EQ(effects, 1);
  EXPECT_EQ(notified, std::vector<std::string>{a.id});
  EXPECT_EQ(record.event.action, "approval.approve");
  EXPECT_EQ(Stored(a.id).state, "approved");
}

TEST_F(ApprovalEngineTest, FailingEffectRollsTheDecisionBack) {
  bool notified = false;
  engine_->RegisterKind(
      kKindStageAdvance,
      EffectHooks(
          [](Transaction& tx, const ApprovalRecord&) -> Status {
            Team team;
            team.name = "written-by-effect";
            WARDEN_RETURN_IF_ERROR(tx.teams().Insert(team));
            return FailedPrecondition("release paused meanwhile",
                                      "release-paused");
          },
          [&](const ApprovalRecord&) { notified = true; }));
  const ApprovalRecord a = Requested(Stage(), dev_);
  const Status s = engine_->Decide(sec_, a.id, true, "ok").status();
  EXPECT_EQ(s.problem(), "release-paused");
  EXPECT_FALSE(notified);
  EXPECT_EQ(Stored(a.id).state, "pending");
  EXPECT_EQ(LastAudit().event.outcome, "failed_precondition");
  const Status team = store_->Read([](Transaction& tx) {
    return tx.teams().Get("written-by-effect").status();
  });
  EXPECT_EQ(team.code(), StatusCode::kNotFound);
}

TEST_F(ApprovalEngineTest, RequesterNeverDecides) {
  const ApprovalRecord a = Requested(Stage(), sec_);
  Result<ApprovalView> decided = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      decided = engine_->Decide(sec_, a.id, true, "mine"));
  EXPECT_EQ(decided.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(decided.status().problem(), "self-approval");
  EXPECT_EQ(record.event.outcome, "deny");
  // Not even as admin through the same human.
  EXPECT_EQ(engine_->Decide(As(Role::kAdmin, "sec"), a.id, false, "x")
                .status()
                .problem(),
            "self-approval");
}

TEST_F(ApprovalEngineTest, DecisionNeedsAHumanUser) {
  const ApprovalRecord a = Requested(Stage(), dev_);
  const Status s =
      engine_->Decide(As(Role::kSecurity, "token:t9"), a.id, true, "ok")
          .status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.problem(), "human-decision-required");
}

TEST_F(ApprovalEngineTest, OnlyTheApproverDecides) {
  const ApprovalRecord stage = Requested(Stage(), dev_);
  Status s = engine_->Decide(am_, stage.id, true, "ok").status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.problem(), "not-the-approver");

  const ApprovalRecord activation = Requested(Activation("acme", "amy"), dev_);
  s = engine_
          ->Decide(As(Role::kAccountManager, "bob"), activation.id, true, "ok")
          .status();
  EXPECT_EQ(s.problem(), "not-the-approver");
  EXPECT_EQ(engine_->Decide(sec_, activation.id, true, "ok").status().problem(),
            "not-the-approver");
  // Roles without approval.decide are refused by the role table.
  EXPECT_EQ(
      engine_->Decide(As(Role::kAuditor, "aud"), activation.id, true, "ok")
          .status()
          .code(),
      StatusCode::kPermissionDenied);
  EXPECT_TRUE(engine_->Decide(am_, activation.id, true, "agreed").ok());
  // Admin decides any request but its own.
  const ApprovalRecord other = Requested(Activation("beta", "amy"), dev_);
  EXPECT_TRUE(engine_->Decide(Admin(), other.id, false, "not now").ok());
}

TEST_F(ApprovalEngineTest, ReasonIsRequired) {
  const ApprovalRecord a = Requested(Stage(), dev_);
  const Status s = engine_->Decide(sec_, a.id, true, "").status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("reason"), std::string::npos);
}

TEST_F(ApprovalEngineTest, DecidedOnceOnly) {
  const ApprovalRecord a = Requested(Stage(), dev_);
  ASSERT_TRUE(engine_->Decide(sec_, a.id, false, "too risky").ok());
  const Status s =
      engine_->Decide(As(Role::kSecurity, "sec2"), a.id, true, "ok").status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.problem(), "approval-decided");
  EXPECT_EQ(engine_->Decide(sec_, "01HZZZZZZZZZZZZZZZZZZZZZZZ", true, "ok")
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(ApprovalEngineTest, ExpiredRequestReadsExpiredAndIsSwept) {
  int expired_hooks = 0;
  KindHooks hooks;
  hooks.on_expire = [&](Transaction&, const ApprovalRecord&) {
    ++expired_hooks;
    return Status::Ok();
  };
  engine_->RegisterKind(kKindStageAdvance, std::move(hooks));
  ApprovalRequest r = Stage();
  r.ttl = std::chrono::hours(1);
  const ApprovalRecord a = Requested(r, dev_);
  clock_.Advance(hours(2));
  Result<ApprovalView> read = engine_->Get(Admin(), a.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->record.state, "expired");  // lazily
  EXPECT_EQ(Stored(a.id).state, "pending");
  const Status s = engine_->Decide(sec_, a.id, true, "late").status();
  EXPECT_EQ(s.problem(), "approval-expired");

  Result<int> swept = engine_->ExpireDue();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(expired_hooks, 1);
  EXPECT_EQ(Stored(a.id).state, "expired");
  EXPECT_EQ(LastAudit().event.action, "approval.expire");
  EXPECT_EQ(LastAudit().event.actor, "system");
  EXPECT_EQ(*engine_->ExpireDue(), 0);
}

TEST_F(ApprovalEngineTest, InboxShowsWhatWaitsForMe) {
  const ApprovalRecord for_security = Requested(Stage("rel-a"), dev_);
  const ApprovalRecord own = Requested(Stage("rel-b"), sec_);
  const ApprovalRecord for_amy = Requested(Activation("acme", "amy"), dev_);
  const ApprovalRecord for_bob = Requested(Activation("beta", "bob"), dev_);
  const ApprovalRecord decided = Requested(Stage("rel-c"), dev_);
  ASSERT_TRUE(
      engine_->Decide(As(Role::kSecurity, "sec2"), decided.id, true, "ok")
          .ok());
  const ApprovalQuery mine = Mine();
  Result<Page<ApprovalView>> inbox = engine_->List(sec_, mine, {});
  ASSERT_TRUE(inbox.ok()) << inbox.status().ToString();
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].record.id, for_security.id);

  inbox = engine_->List(am_, mine, {});
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].record.id, for_amy.id);

  ApprovalQuery by_tenant;
  by_tenant.tenant_key = "beta";
  inbox = engine_->List(As(Role::kAuditor, "aud"), by_tenant, {});
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].record.id, for_bob.id);

  inbox = engine_->List(As(Role::kAuditor, "aud"), InState("approved"), {});
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].record.id, decided.id);
  (void)own;

  EXPECT_EQ(engine_->List(As(Role::kSdk, "sdk"), {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(engine_->List(sec_, InState("maybe"), {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ApprovalEngineTest, InboxPagesNewestFirstAndHidesExpired) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    ids.push_back(Requested(Stage("rel-" + std::to_string(i)), dev_).id);
  }
  ApprovalRequest short_lived = Stage("rel-short");
  short_lived.ttl = std::chrono::minutes(1);
  Requested(short_lived, dev_);
  clock_.Advance(std::chrono::minutes(2));
  const ApprovalQuery mine = Mine();
  Result<Page<ApprovalView>> first = engine_->List(sec_, mine, PageOf(3));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_EQ(first->items[0].record.id, ids[4]);
  ASSERT_TRUE(first->next_after_id.has_value());
  Result<Page<ApprovalView>> second =
      engine_->List(sec_, mine, PageOf(3, first->next_after_id));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[1].record.id, ids[0]);
  EXPECT_FALSE(second->next_after_id.has_value());
  EXPECT_EQ(engine_->List(sec_, InState("expired"), {})->items.size(), 1u);
}

// The inbox merges requests naming the caller with those its whole role
// decides, newest first, across pages, skipping those for others.
TEST_F(ApprovalEngineTest, InboxMergesNamedAndRoleWideRequestsAcrossPages) {
  std::vector<std::string> expected;
  for (int i = 0; i < 24; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    if (i % 3 == 0) {
      ApprovalRequest open = Stage("rel-open-" + std::to_string(i));
      open.approver_role = "account_manager";
      expected.push_back(Requested(open, dev_).id);
    } else {
      const std::string approver = i % 3 == 1 ? "amy" : "bob";
      const ApprovalRecord a =
          Requested(Activation("t" + std::to_string(i), approver), dev_);
      if (approver == "amy") expected.push_back(a.id);
    }
  }
  std::reverse(expected.begin(), expected.end());  // newest first
  std::vector<std::string> seen;
  std::optional<std::string> after;
  for (int pages = 0; pages < 10; ++pages) {
    Result<Page<ApprovalView>> page =
        engine_->List(am_, Mine(), PageOf(3, after));
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const ApprovalView& v : page->items) seen.push_back(v.record.id);
    after = page->next_after_id;
    if (!after.has_value()) break;
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(ApprovalEngineTest, DescribeHookAddsContext) {
  KindHooks hooks;
  hooks.describe = [](Transaction&,
                      const ApprovalRecord& a) -> Result<std::string> {
    return R"({"release":")" + a.release_id + R"(","risk_tier":"high"})";
  };
  engine_->RegisterKind(kKindStageAdvance, std::move(hooks));
  const ApprovalRecord a = Requested(Stage(), dev_);
  Result<ApprovalView> read = engine_->Get(sec_, a.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->context_json, R"({"release":"rel-1","risk_tier":"high"})");
}

TEST_F(ApprovalEngineTest, RequestInCommitsWithTheCallersUnit) {
  std::string id;
  const Status refused = store_->Write([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(ApprovalRecord a,
                            engine_->RequestIn(tx, dev_, Stage()));
    id = a.id;
    return Status::Ok();  // e.g. the 409 is answered after this commit
  });
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(Stored(id).state, "pending");

  std::string rolled_back;
  const Status failed = store_->Write([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(ApprovalRecord a,
                            engine_->RequestIn(tx, dev_, Stage()));
    rolled_back = a.id;
    return FailedPrecondition("the caller's unit failed");
  });
  EXPECT_FALSE(failed.ok());
  const Status gone = store_->Read([&](Transaction& tx) {
    return tx.approvals().Get(rolled_back).status();
  });
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
}

TEST_F(ApprovalEngineTest, SettleInRecordsADecisionTakenElsewhere) {
  ApprovalRequest r;
  r.kind = std::string(kKindException);
  r.reason = "legacy key";
  r.id = NewId(clock_.Now());
  const ApprovalRecord a = Requested(r, dev_);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return engine_->SettleIn(tx, sec_, a.id, false, "no");
                  })
                  .ok());
  EXPECT_EQ(Stored(a.id).state, "declined");
  EXPECT_EQ(LastAudit().event.action, "approval.decline");
  // Unknown ids (records from before the engine) are fine.
  EXPECT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return engine_->SettleIn(tx, sec_, "nope", true, "ok");
                  })
                  .ok());
}

}  // namespace
}  // namespace warden::approvals
