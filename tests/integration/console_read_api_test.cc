// The console's read paths over real HTTP (server on 127.0.0.1:0):
//   GET  /v1/tenants/{key}/exposure  every flag for one tenant, and why;
//   POST /v1/limits/preview          a kill switch's report, nothing done;
//   POST /v1/audit/verify            the audit chain verified online.
// Each with its refusals (roles, bad input) as problem+json.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json/serialize.hpp>

#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

json::object BoolFlag(const std::string& key) {
  return {{"key", key},
          {"variants", {{"on", true}, {"off", false}}},
          {"default_variant", "off"},
          {"owner_team", "payments"}};
}

class ConsoleReadApiTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_FALSE(CreateUserToken("alice", "account_manager").empty());
    AddTenant("acme", {"stripe"});
    AddTenant("globex", {});
    Created("/v1/segments",
            json::object{{"key", "canary"}, {"tenants", json::array{"acme"}}});
    json::object beta = BoolFlag("beta");
    beta["rules"] = json::array{json::object{
        {"variant", "on"},
        {"conditions", json::array{json::object{{"op", "in_segment"},
                                                {"value", "canary"}}}}}};
    Created("/v1/flags?environment=production", beta);
    json::object rollout = BoolFlag("rollout");
    rollout["rollout"] =
        json::array{json::object{{"variant", "on"}, {"weight", 1}},
                    json::object{{"variant", "off"}, {"weight", 0}}};
    Created("/v1/flags?environment=production", rollout);
    json::object checkout = BoolFlag("checkout");
    checkout["default_variant"] = "on";
    Created("/v1/flags?environment=production", checkout);
    json::object dormant = BoolFlag("dormant");
    dormant["state"] = "disabled";
    Created("/v1/flags?environment=production", dormant);
  }

  void Created(const std::string& target, const json::object& body) {
    HttpReply reply = client_->Post(target, admin_token_, body);
    ASSERT_EQ(reply.status, 201) << target << ": " << reply.body;
  }

  void AddTenant(const std::string& key,
                 std::vector<std::string> integrations) {
    json::array list;
    for (const std::string& i : integrations) list.emplace_back(i);
    Created("/v1/tenants", json::object{{"key", key},
                                        {"name", key},
                                        {"account_manager", "alice"},
                                        {"integrations", list}});
  }

  // flags[] of an exposure answer by key.
  static json::object FlagsByKey(const json::value& answer) {
    json::object out;
    for (const json::value& flag : answer.at("flags").as_array()) {
      out[flag.at("key").as_string()] = flag;
    }
    return out;
  }

  static void ExpectProblem(const HttpReply& reply, int status) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.content_type(), "application/problem+json");
  }
};

TEST_F(ConsoleReadApiTest, TenantExposureNamesWhatDecidedEachFlag) {
  HttpReply acme = client_->Get("/v1/tenants/acme/exposure", admin_token_);
  ASSERT_EQ(acme.status, 200) << acme.body;
  const json::value answer = acme.json();
  EXPECT_EQ(answer.at("tenant").as_string(), "acme");
  EXPECT_EQ(answer.at("environment").as_string(), "production");
  EXPECT_EQ(answer.at("flag_count").as_int64(), 4);
  EXPECT_TRUE(answer.at("next_after").is_null());
  json::object flags = FlagsByKey(answer);
  const json::value& beta = flags.at("beta");
  EXPECT_EQ(beta.at("reason").as_string(), "TARGETING_MATCH");
  EXPECT_EQ(beta.at("value").as_bool(), true);
  EXPECT_EQ(beta.at("because").at("kind").as_string(), "rule");
  EXPECT_EQ(beta.at("because").at("rule").as_int64(), 0);
  EXPECT_EQ(json::serialize(beta.at("because").at("segments")),
            R"(["canary"])");
  EXPECT_EQ(flags.at("rollout").at("reason").as_string(), "SPLIT");
  EXPECT_EQ(flags.at("rollout").at("because").at("kind").as_string(),
            "rollout");
  EXPECT_EQ(flags.at("checkout").at("reason").as_string(), "STATIC");
  EXPECT_EQ(flags.at("dormant").at("reason").as_string(), "DISABLED");
  EXPECT_TRUE(flags.at("dormant").at("value").is_null());

  HttpReply globex = client_->Get("/v1/tenants/globex/exposure", admin_token_);
  ASSERT_EQ(globex.status, 200) << globex.body;
  flags = FlagsByKey(globex.json());
  EXPECT_EQ(flags.at("beta").at("reason").as_string(), "DEFAULT");
  EXPECT_EQ(flags.at("beta").at("because").at("default_variant").as_string(),
            "off");

  // A kill switch on acme shows up as the limit that decided.
  HttpReply limit = client_->Post("/v1/limits", admin_token_,
                                  json::object{{"scope", "tenant"},
                                               {"values", {"acme"}},
                                               {"reason", "INC-9 token leak"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  acme = client_->Get("/v1/tenants/acme/exposure?environment=production",
                      admin_token_);
  flags = FlagsByKey(acme.json());
  const json::value& checkout = flags.at("checkout");
  EXPECT_EQ(checkout.at("reason").as_string(), "LIMITED");
  EXPECT_EQ(checkout.at("value").as_bool(), false);
  EXPECT_EQ(checkout.at("because").at("limit"), limit.json().at("id"));
  EXPECT_EQ(checkout.at("because").at("scope").as_string(), "tenant");
  EXPECT_EQ(checkout.at("because").at("reason").as_string(),
            "INC-9 token leak");

  // Staging has no flags: an empty page, not an error.
  HttpReply staging = client_->Get(
      "/v1/tenants/acme/exposure?environment=staging", admin_token_);
  ASSERT_EQ(staging.status, 200) << staging.body;
  EXPECT_TRUE(staging.json().at("flags").as_array().empty());
}

TEST_F(ConsoleReadApiTest, TenantExposureIsPagedByFlagKey) {
  std::vector<std::string> seen;
  std::string target = "/v1/tenants/acme/exposure?limit=3";
  for (int pages = 0; pages < 3; ++pages) {
    HttpReply page = client_->Get(target, admin_token_);
    ASSERT_EQ(page.status, 200) << page.body;
    const json::value answer = page.json();
    for (const json::value& flag : answer.at("flags").as_array()) {
      seen.emplace_back(flag.at("key").as_string());
    }
    if (answer.at("next_after").is_null()) break;
    target = "/v1/tenants/acme/exposure?limit=3&after=" +
             std::string(answer.at("next_after").as_string());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"beta", "checkout", "dormant",
                                            "rollout"}));
}

TEST_F(ConsoleReadApiTest, TenantExposureRefusals) {
  HttpReply unknown = client_->Get("/v1/tenants/nobody/exposure", admin_token_);
  ExpectProblem(unknown, 404);
  ExpectProblem(
      client_->Get("/v1/tenants/acme/exposure?environment=mars", admin_token_),
      400);
  ExpectProblem(client_->Get("/v1/tenants/acme/exposure?limit=0", admin_token_),
                400);
  ExpectProblem(
      client_->Get("/v1/tenants/acme/exposure?limit=501", admin_token_), 400);
  ExpectProblem(
      client_->Get("/v1/tenants/acme/exposure?color=red", admin_token_), 400);
  ExpectProblem(client_->Get("/v1/tenants/acme/exposure",
                             CreateToken("sdk", "", "production")),
                403);
  ExpectProblem(client_->Get("/v1/tenants/acme/exposure"), 401);
  EXPECT_GE(AuditRecordsFor(unknown.header("x-request-id")), 1);
}

TEST_F(ConsoleReadApiTest, LimitPreviewIsTheReportOfTheApplyThatFollows) {
  const std::string token = Token("&tenant=acme");
  ASSERT_TRUE(Active(token));
  const json::object body{{"scope", "integration"},
                          {"values", {"checkout", "stripe"}},
                          {"reason", "vendor breach"}};
  HttpReply preview = client_->Post("/v1/limits/preview", admin_token_, body);
  ASSERT_EQ(preview.status, 200) << preview.body;
  json::value plan = preview.json();
  EXPECT_EQ(json::serialize(plan.at("tenants")), R"(["acme"])");
  EXPECT_EQ(plan.at("identities").as_array().size(), 1u);
  EXPECT_EQ(plan.at("identities").at(0).as_string(), id_);
  EXPECT_EQ(plan.at("flags_turned_off").as_array().size(), 3u)
      << preview.body;  // every enabled flag of every environment
  EXPECT_FALSE(plan.at("everyone").as_bool());
  // Nothing happened: the token lives, no limit exists.
  EXPECT_TRUE(Active(token));
  EXPECT_TRUE(client_->Get("/v1/limits", admin_token_)
                  .json()
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(
      FlagsByKey(client_->Get("/v1/tenants/acme/exposure", admin_token_).json())
          .at("checkout")
          .at("reason")
          .as_string(),
      "STATIC");

  HttpReply applied = client_->Post("/v1/limits", admin_token_, body);
  ASSERT_EQ(applied.status, 201) << applied.body;
  json::object previewed = plan.at("report").as_object();
  json::object reported = applied.json().at("report").as_object();
  previewed.erase("timings_us");
  reported.erase("timings_us");
  EXPECT_EQ(json::serialize(previewed), json::serialize(reported));
  EXPECT_EQ(reported.at("tokens_revoked").at("identities").as_int64(), 1);
  EXPECT_EQ(reported.at("tokens_revoked").at("tenants").as_int64(), 1);
  EXPECT_FALSE(Active(token));
}

TEST_F(ConsoleReadApiTest, LimitPreviewRefusals) {
  const json::object body{
      {"scope", "tenant"}, {"values", {"acme"}}, {"reason", "pause"}};
  HttpReply auditor =
      client_->Post("/v1/limits/preview", CreateToken("auditor"), body);
  ExpectProblem(auditor, 403);
  EXPECT_GE(AuditRecordsFor(auditor.header("x-request-id")), 1);
  // An account manager previews only what it may set: its own tenants.
  const std::string bob = CreateUserToken("bob", "account_manager");
  ExpectProblem(client_->Post("/v1/limits/preview", bob, body), 403);
  EXPECT_EQ(client_
                ->Post("/v1/limits/preview",
                       CreateUserToken("alice2", "security"), body)
                .status,
            200);
  ExpectProblem(
      client_->Post("/v1/limits/preview", admin_token_,
                    json::object{{"scope", "tenant"}, {"values", {"acme"}}}),
      400);  // no reason
  ExpectProblem(client_->Post("/v1/limits/preview", admin_token_,
                              json::object{{"scope", "planet"},
                                           {"values", {"x"}},
                                           {"reason", "r"}}),
                400);
  ExpectProblem(
      client_->Send("POST", "/v1/limits/preview", admin_token_, "{not json"),
      400);
  ExpectProblem(client_->Post("/v1/limits/preview", admin_token_,
                              json::object{{"scope", "segment"},
                                           {"values", {"nope"}},
                                           {"reason", "r"}}),
                409);
}

TEST_F(ConsoleReadApiTest, AuditVerifyAnswersTheChainAndFindsATamperedRecord) {
  HttpReply verified = client_->Send("POST", "/v1/audit/verify", admin_token_);
  ASSERT_EQ(verified.status, 200) << verified.body;
  json::value answer = verified.json();
  EXPECT_TRUE(answer.at("ok").as_bool()) << verified.body;
  EXPECT_TRUE(answer.at("first_broken").is_null());
  const int64_t checked = answer.at("records_checked").as_int64();
  EXPECT_GT(checked, 10);
  EXPECT_EQ(answer.at("head").at("sequence").as_int64(), checked);
  EXPECT_EQ(answer.at("head").at("hash").as_string().size(), 64u);
  EXPECT_EQ(AuditRecordsFor(verified.header("x-request-id")), 1);

  // What someone with write access to warden.db could do.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir_ + "/data/warden.db").c_str(), &db),
            SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE audit_log SET actor = 'mallory' "
                         "WHERE sequence = 5",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  verified = client_->Send("POST", "/v1/audit/verify", CreateToken("auditor"));
  ASSERT_EQ(verified.status, 200) << verified.body;
  answer = verified.json();
  EXPECT_FALSE(answer.at("ok").as_bool());
  EXPECT_EQ(answer.at("records_checked").as_int64(), 4);
  EXPECT_EQ(answer.at("first_broken").at("sequence").as_int64(), 5);
  EXPECT_NE(answer.at("first_broken").at("problem").as_string().find("hash"),
            std::string::npos)
      << verified.body;
  EXPECT_GT(answer.at("head").at("sequence").as_int64(), checked);
}

TEST_F(ConsoleReadApiTest, AuditVerifyRefusals) {
  HttpReply owner = client_->Send("POST", "/v1/audit/verify",
                                  CreateToken("app_owner", "payments"));
  ExpectProblem(owner, 403);
  EXPECT_GE(AuditRecordsFor(owner.header("x-request-id")), 1);
  ExpectProblem(
      client_->Send("POST", "/v1/audit/verify", CreateToken("account_manager")),
      403);
  ExpectProblem(client_->Send("POST", "/v1/audit/verify"), 401);
  ExpectProblem(
      client_->Send("POST", "/v1/audit/verify", admin_token_, R"({"from": 1})"),
      400);
  ExpectProblem(
      client_->Send("POST", "/v1/audit/verify?deep=true", admin_token_), 400);
}

}  // namespace
}  // namespace warden::testing_http
