#include "inventory/team_service.h"

#include "service/service_test_env.h"

namespace warden::inventory {
namespace {

class TeamServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    teams_ = std::make_unique<TeamService>(*store_, *auditor_);
  }
  void TearDown() override {
    teams_.reset();
    ServiceTestEnv::TearDown();
  }
  Team Named(std::string name, std::vector<std::string> members = {}) {
    Team team;
    team.name = std::move(name);
    team.members = std::move(members);
    return team;
  }
  std::unique_ptr<TeamService> teams_;
};

TEST_F(TeamServiceTest, CreateIsAuditedWithRequestContext) {
  Result<Team> created = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      created = teams_->Create(Admin(), Named("payments", {"ana", "bo"})));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->created_at, clock_.Now());
  EXPECT_EQ(record.event.actor, "root");
  EXPECT_EQ(record.event.action, "team.create");
  EXPECT_EQ(record.event.target, "team/payments");
  EXPECT_EQ(record.event.outcome, "ok");
  const boost::json::object details = Details(record);
  EXPECT_EQ(details.at("request_id").as_string(), "req-1");
  EXPECT_EQ(details.at("remote").as_string(), "127.0.0.1:5555");
  EXPECT_EQ(details.at("permission").as_string(), "team.write");

  Result<Team> got = teams_->Get(As(Role::kAuditor, "aud"), "payments");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->members, (std::vector<std::string>{"ana", "bo"}));
  EXPECT_EQ(LastAudit().event.action, "team.read");
}

TEST_F(TeamServiceTest, NameRules) {
  for (const char* bad : {"", "Payments", "-pay", "pay ments", "pay/x"}) {
    const Status s = teams_->Create(Admin(), Named(bad)).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.problem(), "validation-failed") << bad;
  }
  EXPECT_FALSE(teams_->Create(Admin(), Named(std::string(64, 'a'))).ok());
  EXPECT_TRUE(teams_->Create(Admin(), Named(std::string(63, 'a'))).ok());
  EXPECT_TRUE(teams_->Create(Admin(), Named("0ps_team.eu-1")).ok());
  EXPECT_EQ(LastAudit().event.outcome, "ok");
}

TEST_F(TeamServiceTest, FailedCallIsAuditedWithItsErrorCode) {
  const AuditRecord record =
      EXPECT_ONE_AUDIT_RECORD((void)teams_->Create(Admin(), Named("Bad Name")));
  EXPECT_EQ(record.event.outcome, "invalid_argument");
  EXPECT_EQ(Details(record).at("problem").as_string(), "validation-failed");
}

TEST_F(TeamServiceTest, MembersMustBeUnique) {
  const Status s =
      teams_->Create(Admin(), Named("payments", {"ana", "bo", "ana"})).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("members[2]"), std::string::npos) << s.message();
  ASSERT_TRUE(teams_->Create(Admin(), Named("payments", {"ana"})).ok());
  EXPECT_EQ(teams_->SetMembers(Admin(), "payments", {"x", "x"}).status().code(),
            StatusCode::kInvalidArgument);
  Result<Team> set = teams_->SetMembers(Admin(), "payments", {"cy", "di"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(teams_->Get(Admin(), "payments")->members,
            (std::vector<std::string>{"cy", "di"}));
}

TEST_F(TeamServiceTest, DuplicateNameIsAlreadyExists) {
  ASSERT_TRUE(teams_->Create(Admin(), Named("payments")).ok());
  EXPECT_EQ(teams_->Create(Admin(), Named("payments")).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(TeamServiceTest, OnlyAdminWritesAndDenialIsAudited) {
  const Caller security = As(Role::kSecurity, "sec");
  Result<Team> created = Internal("unset");
  const AuditRecord record = EXPECT_ONE_AUDIT_RECORD(
      created = teams_->Create(security, Named("payments")));
  EXPECT_EQ(created.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(record.event.outcome, "deny");
  EXPECT_EQ(record.event.actor, "sec");
  EXPECT_NE(Details(record).at("reason").as_string().find("team.write"),
            std::string::npos);
  EXPECT_EQ(teams_->List(As(Role::kSdk, "sdk")).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(teams_->List(As(Role::kAccountManager, "am")).ok());
}

TEST_F(TeamServiceTest, DeleteRefusedWhileOwningIdentities) {
  ASSERT_TRUE(teams_->Create(Admin(), Named("payments")).ok());
  Identity identity;
  identity.id = NewId(clock_.Now());
  identity.name = "api";
  identity.owner = "payments";
  identity.application = "checkout";
  identity.expires_at = clock_.Now() + std::chrono::days(1);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    return tx.identities().Insert(identity);
                  })
                  .ok());
  const Status in_use = teams_->Delete(Admin(), "payments");
  EXPECT_EQ(in_use.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(in_use.problem(), "team-in-use");

  ASSERT_TRUE(teams_->Create(Admin(), Named("empty")).ok());
  EXPECT_TRUE(teams_->Delete(Admin(), "empty").ok());
  EXPECT_EQ(teams_->Get(Admin(), "empty").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(teams_->Delete(Admin(), "empty").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace warden::inventory
