// Tenant-bound tokens: issued only while every gating flag of the identity
// is exposed to the tenant; an exposure limit on the tenant makes its live
// tokens inactive at once and blocks new ones until it is lifted.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

constexpr char kFlags[] = R"({"flags": {
  "checkout": {"state": "ENABLED", "variants": {"on": true, "off": false},
               "defaultVariant": "on"},
  "beta": {"state": "ENABLED", "variants": {"on": true, "off": false},
           "defaultVariant": "off"}}})";

class OAuthTenantTest : public OAuthFixture {
 protected:
  void SetUp() override {
    OAuthFixture::SetUp();
    HttpReply imported =
        client_->Send("POST", "/v1/flags/import?environment=production",
                      admin_token_, kFlags);
    ASSERT_EQ(imported.status, 200) << imported.body;
    for (const char* tenant : {"acme", "globex"}) {
      HttpReply created =
          client_->Post("/v1/tenants", admin_token_,
                        boost::json::object{{"key", tenant}, {"name", tenant}});
      ASSERT_EQ(created.status, 201) << created.body;
    }
    SetGating({"checkout"});
  }

  void SetGating(std::initializer_list<const char*> flags) {
    boost::json::array array;
    for (const char* flag : flags) array.emplace_back(flag);
    HttpReply set = client_->Send(
        "PUT", "/v1/identities/" + id_ + "/gating-flags", admin_token_,
        boost::json::serialize(boost::json::object{{"flags", array}}));
    ASSERT_EQ(set.status, 200) << set.body;
  }
};

TEST_F(OAuthTenantTest, TokenCarriesTenantWhileItsFeatureIsExposed) {
  HttpReply reply = RequestToken(id_, secret_, "&tenant=acme");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("tenant").as_string(), "acme");
  const std::string token(reply.json().at("access_token").as_string());
  HttpReply introspected =
      client_->Send("POST", "/oauth/introspect", admin_token_, "token=" + token,
                    FormHeaders());
  EXPECT_EQ(introspected.json().at("tenant").as_string(), "acme");
  HttpReply gating =
      client_->Get("/v1/identities/" + id_ + "/gating-flags", admin_token_);
  EXPECT_EQ(gating.json().at("flags").as_array().size(), 1u);
}

TEST_F(OAuthTenantTest, FlagNotExposedRefusesTenantToken) {
  SetGating({"checkout", "beta"});
  HttpReply reply = RequestToken(id_, secret_, "&tenant=acme");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json().at("error").as_string(), "invalid_target");
  EXPECT_NE(reply.json().at("error_description").as_string().find("beta"),
            std::string::npos);
}

TEST_F(OAuthTenantTest, ExposureLimitRevokesLiveTokensAndBlocksNewOnes) {
  const std::string acme = Token("&tenant=acme");
  const std::string globex = Token("&tenant=globex");
  ASSERT_TRUE(Active(acme));
  HttpReply limit =
      client_->Post("/v1/limits", admin_token_,
                    boost::json::object{{"scope", "tenant"},
                                        {"values", {"acme"}},
                                        {"reason", "integration misbehaving"}});
  ASSERT_EQ(limit.status, 201) << limit.body;
  EXPECT_FALSE(Active(acme));
  EXPECT_TRUE(Active(globex));
  HttpReply refused = RequestToken(id_, secret_, "&tenant=acme");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.json().at("error").as_string(), "invalid_target");
  EXPECT_EQ(RequestToken(id_, secret_, "&tenant=globex").status, 200);

  const std::string id(limit.json().at("id").as_string());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(client_
                ->Post("/v1/limits/" + id + "/lift", admin_token_,
                       boost::json::object{{"reason", "fixed"}})
                .status,
            200);
  const std::string fresh = Token("&tenant=acme");
  EXPECT_TRUE(Active(fresh));
  EXPECT_FALSE(Active(acme));  // revoked, not merely suspended
}

}  // namespace
}  // namespace warden::testing_http
