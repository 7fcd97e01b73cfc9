// The approvals engine over real HTTP: identity change control from
// registration to credentials, widening held for approval, the inbox, and
// exceptions decided through either route.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/clock.h"
#include "core/time_format.h"
#include "oauth_test_support.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

std::string InThirtyDays() {
  return FormatRfc3339(SystemClock().Now() + std::chrono::hours(24 * 30));
}

std::string Type(const std::string& slug) {
  return "urn:warden:problem:" + slug;
}

class ApprovalApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateTeam("payments");
    owner_ = CreateUserToken("olive", "app_owner", "payments");
    security_ = CreateUserToken("sam", "security");
    owner_as_security_ = CreateUserToken("olive-sec", "security");
  }

  boost::json::object ProductionBody(const std::string& name) {
    boost::json::object body = IdentityBody(name, "payments", "production");
    body["ticket"] = "CHG-4711";
    return body;
  }

  std::string Str(const boost::json::value& v, const char* key) {
    return std::string(v.at(key).as_string());
  }

  HttpReply Decide(const std::string& id, const std::string& verb,
                   const std::string& token, const std::string& reason) {
    return client_->Post("/v1/approvals/" + id + "/" + verb, token,
                         boost::json::object{{"reason", reason}});
  }

  HttpReply RequestToken(const std::string& id, const std::string& secret) {
    return client_->Send("POST", "/oauth/token", {},
                         "grant_type=client_credentials",
                         BasicHeaders(id, secret));
  }

  std::string RegisterSecret(const std::string& id) {
    HttpReply reply =
        client_->Post("/v1/identities/" + id + "/credentials", admin_token_,
                      boost::json::object{{"method", "client_secret"}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return {};
    return Str(reply.json(), "client_secret");
  }

  std::string owner_;
  std::string security_;
  std::string owner_as_security_;
};

TEST_F(ApprovalApiTest, ProductionIdentityIsPendingUntilSecurityApproves) {
  boost::json::object no_ticket =
      IdentityBody("checkout-prod", "payments", "production");
  HttpReply refused = client_->Post("/v1/identities", owner_, no_ticket);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("ticket"), std::string::npos);

  HttpReply created =
      client_->Post("/v1/identities", owner_, ProductionBody("checkout-prod"));
  ASSERT_EQ(created.status, 201) << created.body;
  const boost::json::value identity = created.json();
  EXPECT_EQ(Str(identity, "status"), "pending");
  const std::string id = Str(identity, "id");
  const std::string approval = Str(identity.at("approval"), "id");
  EXPECT_EQ(Str(identity.at("approval"), "kind"), "identity_change");
  EXPECT_EQ(Str(identity.at("approval"), "ticket"), "CHG-4711");

  // No credentials while pending.
  const std::string secret = RegisterSecret(id);
  HttpReply token = RequestToken(id, secret);
  EXPECT_NE(token.status, 200) << token.body;

  // The security inbox shows it, with the identity described.
  HttpReply inbox =
      client_->Get("/v1/approvals?mine=true&state=pending", security_);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  const boost::json::value inbox_json = inbox.json();
  const boost::json::array& items = inbox_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << inbox.body;
  EXPECT_EQ(Str(items[0], "id"), approval);
  EXPECT_EQ(Str(items[0].at("context").at("identity"), "environment"),
            "production");
  EXPECT_TRUE(items[0].at("decision").is_null());
  // The requester's own inbox does not.
  HttpReply own = client_->Get("/v1/approvals?mine=true", owner_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(own.json().at("items").as_array().empty());

  HttpReply no_reason = client_->Post("/v1/approvals/" + approval + "/approve",
                                      security_, boost::json::object{});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  HttpReply not_approver = Decide(approval, "approve", owner_, "mine");
  EXPECT_EQ(not_approver.status, 403) << not_approver.body;

  HttpReply approved = Decide(approval, "approve", security_, "CHG-4711 ok");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Str(approved.json(), "state"), "approved");
  EXPECT_EQ(Str(approved.json().at("decision"), "by"), "sam");

  HttpReply after = client_->Get("/v1/identities/" + id, admin_token_);
  EXPECT_EQ(Str(after.json(), "status"), "active");
  HttpReply issued = RequestToken(id, secret);
  EXPECT_EQ(issued.status, 200) << issued.body;

  HttpReply twice = Decide(approval, "decline", security_, "again");
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.problem_type(), Type("approval-decided"));
}

TEST_F(ApprovalApiTest, DeclineRevokesAndSelfApprovalIsRefused) {
  HttpReply created = client_->Post("/v1/identities", owner_as_security_,
                                    ProductionBody("exempt-prod"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json(), "status"), "active");  // security: exempt

  boost::json::object vendor =
      IdentityBody("crm-sync", "payments", "development");
  vendor["vendor"] = "acme-crm";
  vendor["ticket"] = "CHG-9";
  created = client_->Post("/v1/identities", owner_, vendor);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(created.json(), "id");
  const std::string approval = Str(created.json().at("approval"), "id");

  HttpReply declined = Decide(approval, "decline", security_, "no DPA signed");
  ASSERT_EQ(declined.status, 200) << declined.body;
  HttpReply after = client_->Get("/v1/identities/" + id, admin_token_);
  EXPECT_EQ(Str(after.json(), "status"), "revoked");
  HttpReply listed =
      client_->Get("/v1/approvals?state=declined&identity=" + id, security_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json().at("items").as_array().size(), 1u);

  HttpReply pending = client_->Get("/v1/identities?status=pending", owner_);
  EXPECT_EQ(pending.status, 200) << pending.body;
}

TEST_F(ApprovalApiTest, WideningAnswers202AndAppliesOnApproval) {
  HttpReply created =
      client_->Post("/v1/identities", admin_token_,
                    IdentityBody("ledger-prod", "payments", "production"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(created.json(), "id");
  boost::json::object widen{
      {"scopes", boost::json::array{"orders:read", "ledger:write"}},
      {"ticket", "CHG-12"}};
  HttpReply held = client_->Send("PATCH", "/v1/identities/" + id, owner_,
                                 boost::json::serialize(widen));
  ASSERT_EQ(held.status, 202) << held.body;
  const std::string approval = Str(held.json(), "id");
  EXPECT_EQ(held.header("location"), "/v1/approvals/" + approval);
  EXPECT_EQ(Str(held.json().at("subject"), "change"), "widen");

  HttpReply unchanged = client_->Get("/v1/identities/" + id, admin_token_);
  EXPECT_EQ(unchanged.json().at("scopes").as_array().size(),
            IdentityBody("x", "payments", "production")
                .at("scopes")
                .as_array()
                .size());

  HttpReply approved = Decide(approval, "approve", security_, "CHG-12 ok");
  EXPECT_EQ(approved.status, 200) << approved.body;
  HttpReply widened = client_->Get("/v1/identities/" + id, admin_token_);
  const boost::json::value widened_json = widened.json();
  const boost::json::array& scopes = widened_json.at("scopes").as_array();
  EXPECT_NE(std::find(scopes.begin(), scopes.end(),
                      boost::json::value("ledger:write")),
            scopes.end())
      << widened.body;
}

TEST_F(ApprovalApiTest, ExceptionsAreDecidedThroughEitherRoute) {
  CreateIdentity("legacy-key", "payments");
  HttpReply requested = client_->Post(
      "/v1/exceptions", admin_token_,
      boost::json::object{{"identity_name", "legacy-key"},
                          {"rule", "rotation_beyond_policy"},
                          {"justification", "vendor cannot rotate"},
                          {"expires_at", InThirtyDays()}});
  ASSERT_EQ(requested.status, 201) << requested.body;
  const std::string id = Str(requested.json(), "id");

  // The exception's approval has the exception's id.
  HttpReply shown = client_->Get("/v1/approvals/" + id, security_);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(Str(shown.json(), "kind"), "exception");
  EXPECT_EQ(Str(shown.json().at("context").at("exception"), "rule"),
            "rotation_beyond_policy");

  HttpReply approved = Decide(id, "approve", security_, "accepted until Q3");
  ASSERT_EQ(approved.status, 200) << approved.body;
  HttpReply exception = client_->Get("/v1/exceptions/" + id, admin_token_);
  EXPECT_EQ(Str(exception.json(), "state"), "approved");
  EXPECT_EQ(Str(exception.json(), "approved_by"), "sam");
  HttpReply again = client_->Post("/v1/exceptions/" + id + "/reject",
                                  owner_as_security_, boost::json::object{});
  EXPECT_EQ(again.status, 409) << again.body;

  // Requested by a user: that user never decides it, whatever its role.
  const std::string ada = CreateUserToken("ada", "admin");
  HttpReply second =
      client_->Post("/v1/exceptions", ada,
                    boost::json::object{{"identity_name", "legacy-key"},
                                        {"rule", "expiry_beyond_policy"},
                                        {"justification", "migration"},
                                        {"expires_at", InThirtyDays()}});
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_id = Str(second.json(), "id");
  HttpReply self = Decide(second_id, "approve", ada, "mine");
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(self.problem_type(), Type("self-approval"));
  HttpReply rejected = client_->Post("/v1/exceptions/" + second_id + "/reject",
                                     security_, boost::json::object{});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  HttpReply settled = client_->Get("/v1/approvals/" + second_id, security_);
  EXPECT_EQ(Str(settled.json(), "state"), "declined");
}

TEST_F(ApprovalApiTest, BadQueriesAndUnknownIdsAreProblems) {
  HttpReply bad = client_->Get("/v1/approvals?state=maybe", security_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  bad = client_->Get("/v1/approvals?mine=perhaps", security_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  bad = client_->Get("/v1/approvals?colour=red", security_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  HttpReply missing = client_->Get("/v1/approvals/nope", security_);
  EXPECT_EQ(missing.status, 404) << missing.body;
  HttpReply malformed =
      client_->Send("POST", "/v1/approvals/x/approve", security_, "{not json");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
}

}  // namespace
}  // namespace warden::testing_http
