// Abuse limits over HTTP: caller strings capped before use at the
// OAuth endpoints (item 6), failed client authentication limited per source
// address (item 6), private_key_jwt requests without client_id limited by
// the assertion's issuer (item 6), successful introspection and
// GET /v1/environments audited (item 10).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "core/clock.h"
#include "oauth_test_support.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"

namespace warden::testing_http {
namespace {

class AbuseLimitsTest : public OAuthFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.auth_failure_rate = 1;  // burst 10
    options.audit_summary_period = std::chrono::milliseconds(50);
  }

  // Audit items (newest first) with this action.
  std::vector<boost::json::object> AuditOf(const std::string& action) {
    HttpReply reply = client_->Get(
        "/v1/audit?order=desc&limit=200&action=" + action, admin_token_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<boost::json::object> items;
    if (reply.status != 200) return items;
    const boost::json::value json = reply.json();
    for (const auto& item : json.at("items").as_array()) {
      items.push_back(item.as_object());
    }
    return items;
  }

  // The summary records of `action` flushed so far.
  std::vector<boost::json::object> SummariesNow(const std::string& action) {
    std::vector<boost::json::object> summaries;
    for (auto& item : AuditOf(action)) {
      const auto& details = item.at("details").as_object();
      if (details.contains("summary")) summaries.push_back(item);
    }
    return summaries;
  }
  // Waits (at most 5 s) for a summary record of `action` to be flushed.
  std::vector<boost::json::object> SummariesOf(const std::string& action) {
    std::vector<boost::json::object> summaries = SummariesNow(action);
    for (int i = 0; i < 100 && summaries.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      summaries = SummariesNow(action);
    }
    return summaries;
  }

  HttpReply Form(const std::string& path, const std::string& body,
                 const Headers& headers = FormHeaders()) {
    return client_->Send("POST", path, {}, body, headers);
  }
};

TEST_F(AbuseLimitsTest, OverlongClientIdIsRefusedBeforeItIsUsed) {
  const std::string huge(10'000, 'x');
  const size_t records_before = AuditOf("oauth.token.issue").size();
  HttpReply form =
      Form("/oauth/token", "grant_type=client_credentials&client_id=" + huge +
                               "&client_secret=s");
  EXPECT_EQ(form.status, 400) << form.body;
  EXPECT_EQ(form.json().at("error").as_string(), "invalid_request");
  HttpReply basic =
      client_->Send("POST", "/oauth/token", {}, "grant_type=client_credentials",
                    BasicHeaders(std::string(2'000, 'y'), "s"));
  EXPECT_EQ(basic.status, 400) << basic.body;
  EXPECT_EQ(basic.json().at("error").as_string(), "invalid_request");
  HttpReply introspect =
      Form("/oauth/introspect", "token=t&client_secret=s&client_id=" + huge);
  EXPECT_EQ(introspect.status, 400) << introspect.body;
  // Nothing became an audit actor or target.
  EXPECT_EQ(AuditOf("oauth.token.issue").size(), records_before);
  HttpReply audit = client_->Get("/v1/audit?order=desc&limit=50", admin_token_);
  EXPECT_EQ(
      audit.body.find("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
      std::string::npos);
}

TEST_F(AbuseLimitsTest, OverlongParametersAreRefusedWithInvalidRequest) {
  for (const std::string& parameter :
       {"scope=" + std::string(2'000, 's'), "tenant=" + std::string(300, 't'),
        "audience=" + std::string(600, 'a'),
        "grant_type=" + std::string(500, 'g')}) {
    SCOPED_TRACE(parameter.substr(0, 12));
    HttpReply reply =
        client_->Send("POST", "/oauth/token", {},
                      (parameter.starts_with("grant_type")
                           ? parameter
                           : "grant_type=client_credentials&" + parameter),
                      BasicHeaders(id_, secret_));
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.json().at("error").as_string(), "invalid_request");
    EXPECT_LT(reply.body.size(), 300u);  // the value is not echoed
  }
  // An over-long {id} on the OAuth admin routes is refused before it
  // becomes an audit target.
  HttpReply admin = client_->Send(
      "PUT", "/v1/identities/" + std::string(500, 'i') + "/gating-flags",
      admin_token_, R"({"flags": []})");
  EXPECT_EQ(admin.status, 400) << admin.body;
}

TEST_F(AbuseLimitsTest, FailedClientAuthenticationIsLimitedPerSourceAddress) {
  // The burst (ten failures) answers 401 as before.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(RequestToken(id_, "wrong").status, 401) << i;
  }
  // Then the address is refused before the store is asked, even with the
  // right secret, until its budget refills.
  HttpReply refused = RequestToken(id_, secret_);
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.json().at("error").as_string(), "rate_limited");
  EXPECT_GE(std::stoi(refused.header("retry-after")), 1);
  // Introspection and revocation share the budget.
  EXPECT_EQ(
      Form("/oauth/introspect", "token=t", BasicHeaders(id_, "wrong")).status,
      429);
  // The refusals are audited, summarised per source.
  std::vector<boost::json::object> summaries =
      SummariesOf("oauth.client.authenticate");
  ASSERT_FALSE(summaries.empty());
  EXPECT_EQ(summaries[0].at("target").as_string(), "source:127.0.0.1");
  EXPECT_EQ(summaries[0].at("outcome").as_string(), "resource_exhausted");
  EXPECT_GE(summaries[0].at("details").at("count").to_number<int>(), 1);
  // After a refill the right secret works again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(RequestToken(id_, secret_).status, 200);
}

class IssuerLimitTest : public AbuseLimitsTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    AbuseLimitsTest::Configure(options);
    options.oauth_client_rate = 1;  // burst 2
  }
};

TEST_F(IssuerLimitTest, PrivateKeyJwtWithoutClientIdIsLimitedByItsIssuer) {
  auto key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(key.ok());
  tokens::Jwks jwks({(*key)->public_key()});
  ASSERT_EQ(client_
                ->Post("/v1/identities/" + id_ + "/credentials", admin_token_,
                       boost::json::object{
                           {"method", "private_key_jwt"},
                           {"jwks", boost::json::parse(jwks.ToJson())}})
                .status,
            201);
  const int64_t now = ToMicros(SystemClock().Now()) / 1'000'000;
  HttpReply last;
  int granted = 0;
  for (int i = 0; i < 4 && last.status != 429; ++i) {
    boost::json::object claims{{"iss", id_},
                               {"sub", id_},
                               {"aud", app_->url() + "/oauth/token"},
                               {"exp", now + 60},
                               {"jti", "a-" + std::to_string(i)}};
    auto assertion =
        tokens::SignCompactJws(**key, "", boost::json::serialize(claims));
    ASSERT_TRUE(assertion.ok());
    last = Form("/oauth/token",
                "grant_type=client_credentials&client_assertion_type=urn%3A"
                "ietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&"
                "client_assertion=" +
                    *assertion);
    if (last.status == 200) ++granted;
  }
  EXPECT_EQ(granted, 2);  // the burst of a client rate of 1/s
  ASSERT_EQ(last.status, 429) << last.body;
  EXPECT_EQ(last.json().at("error").as_string(), "rate_limited");
  EXPECT_FALSE(last.header("retry-after").empty());
}

TEST_F(AbuseLimitsTest, SuccessfulIntrospectionIsAuditedAsASummary) {
  const std::string token = Token();
  for (int i = 0; i < 3; ++i) {
    HttpReply reply =
        Form("/oauth/introspect", "token=" + token, BasicHeaders(id_, secret_));
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(reply.json().at("active").as_bool());
  }
  ASSERT_EQ(
      Form("/oauth/introspect", "token=not-a-token", BasicHeaders(id_, secret_))
          .status,
      200);
  // Flushed every 50 ms: the four may be split over several summaries.
  int total = 0, active = 0, inactive = 0;
  for (int i = 0; i < 100 && total < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    total = active = inactive = 0;
    for (const auto& record : SummariesNow("oauth.token.introspect")) {
      EXPECT_EQ(record.at("actor").as_string(), "client:" + id_);
      EXPECT_EQ(record.at("outcome").as_string(), "ok");
      const auto& details = record.at("details").as_object();
      total += details.at("count").to_number<int>();
      const auto& counts = details.at("counts").as_object();
      if (const auto* n = counts.if_contains("active")) {
        active += n->to_number<int>();
      }
      if (const auto* n = counts.if_contains("inactive")) {
        inactive += n->to_number<int>();
      }
    }
  }
  EXPECT_EQ(total, 4);
  EXPECT_EQ(active, 3);
  EXPECT_EQ(inactive, 1);
}

TEST_F(AbuseLimitsTest, ListingEnvironmentsIsAuditedLikeEveryRead) {
  HttpReply listed = client_->Get("/v1/environments", admin_token_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const std::string sdk = CreateToken("sdk", "", "production");
  EXPECT_EQ(client_->Get("/v1/environments", sdk).status, 403);
  std::vector<boost::json::object> records = AuditOf("environment.list");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("outcome").as_string(), "deny");  // newest first
  EXPECT_EQ(records[1].at("outcome").as_string(), "ok");
}

}  // namespace
}  // namespace warden::testing_http
