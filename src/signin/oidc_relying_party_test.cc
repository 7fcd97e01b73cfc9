// OidcRelyingParty against an in-process provider (a substituted
// outbound::OidcClient serving metadata, keys and code exchanges) and the
// real SQLite store.
#include "signin/oidc_relying_party.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "service/service_test_env.h"
#include "tokens/jws.h"
#include "tokens/pkce.h"
#include "tokens/signing_key.h"

namespace warden::signin {
namespace {

constexpr char kIssuer[] = "https://idp.example.com";
constexpr char kRedirect[] = "https://warden.example/v1/session/oidc/callback";

std::string QueryValue(std::string_view url, std::string_view name) {
  const std::string key = "&" + std::string(name) + "=";
  std::string query = "&" + std::string(url.substr(url.find('?') + 1));
  const size_t at = query.find(key);
  if (at == std::string::npos) return {};
  const size_t start = at + key.size();
  return query.substr(start, query.find('&', start) - start);
}

// The provider: metadata, a key set, and a token endpoint that answers the
// next exchange with `claims` signed by `key`.
class FakeProvider : public outbound::OidcClient {
 public:
  explicit FakeProvider(const Clock& clock) : clock_(clock) { Rotate(); }

  void Rotate() {
    key_ = *tokens::SigningKey::Generate(tokens::JwsAlgorithm::kES256);
  }

  Result<std::string> FetchDocument(const std::string& url,
                                    std::string_view) const override {
    ++fetches_;
    if (url == std::string(kIssuer) + "/.well-known/openid-configuration") {
      return boost::json::serialize(boost::json::object{
          {"issuer", kIssuer},
          {"authorization_endpoint", std::string(kIssuer) + "/auth?tenant=1"},
          {"token_endpoint", std::string(kIssuer) + "/token"},
          {"jwks_uri", std::string(kIssuer) + "/jwks"},
          {"code_challenge_methods_supported", boost::json::array{"S256"}},
          {"token_endpoint_auth_methods_supported",
           boost::json::array{"client_secret_post"}}});
    }
    if (url == std::string(kIssuer) + "/jwks") {
      return boost::json::serialize(boost::json::object{
          {"keys", boost::json::array{key_->public_key()->ToJwk()}}});
    }
    return Unavailable("no such document");
  }

  Result<outbound::HttpAnswer> ExchangeCode(
      const outbound::CodeExchange& exchange) const override {
    last_exchange_ = exchange;
    if (!error_.empty()) {
      return outbound::HttpAnswer{400, R"({"error":")" + error_ + R"("})"};
    }
    boost::json::object claims = claims_;
    claims.emplace("iss", kIssuer);
    claims.emplace("aud", "warden");
    claims.emplace("sub", "u-1");
    claims.emplace("nonce", nonce_);
    const int64_t now = ToUnixSeconds(clock_.Now());
    claims.emplace("iat", now);
    claims.emplace("exp", now + 300);
    auto token =
        tokens::SignCompactJws(*signer_, "JWT", boost::json::serialize(claims));
    return outbound::HttpAnswer{
        200, R"({"token_type":"Bearer","id_token":")" + *token + R"("})"};
  }

  // The next exchange answers for a login whose URL was `url`.
  void AnswerFor(const std::string& url, boost::json::object claims) {
    nonce_ = QueryValue(url, "nonce");
    claims_ = std::move(claims);
    signer_ = key_;
  }

  const Clock& clock_;
  std::shared_ptr<const tokens::SigningKey> key_;     // published
  std::shared_ptr<const tokens::SigningKey> signer_;  // signs id_tokens
  std::string nonce_;
  boost::json::object claims_;
  std::string error_;
  mutable outbound::CodeExchange last_exchange_;
  mutable int fetches_ = 0;
};

class OidcRelyingPartyTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    provider_ = std::make_unique<FakeProvider>(clock_);
    OidcOptions options;
    options.issuer = kIssuer;
    options.client_id = "warden";
    options.client_secret = "s3cret";
    options.redirect_uri = kRedirect;
    options.extra_scopes = {"profile", "email"};
    options.role_claim = "groups";
    options.role_map = *OidcRoleMap::Parse("wardens=admin, sec = security");
    ASSERT_TRUE(ValidateOidcOptions(options).ok());
    rp_ = std::make_unique<OidcRelyingParty>(options, *store_, *provider_,
                                             clock_);
  }
  void TearDown() override {
    rp_.reset();
    ServiceTestEnv::TearDown();
  }

  std::string Begin(std::string_view return_to = "/ui/#/inventory") {
    auto url = rp_->Begin(return_to);
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    return url.ok() ? *url : std::string();
  }
  static std::string ProblemOf(const Status& status) {
    return status.problem();
  }

  std::unique_ptr<FakeProvider> provider_;
  std::unique_ptr<OidcRelyingParty> rp_;
};

TEST_F(OidcRelyingPartyTest, BeginBuildsAnAuthorizationRequestWithPkce) {
  const std::string url = Begin();
  EXPECT_EQ(url.rfind(std::string(kIssuer) + "/auth?tenant=1&response_type="
                                             "code&client_id=warden&",
                      0),
            0u)
      << url;
  EXPECT_EQ(QueryValue(url, "scope"), "openid+profile+email");
  EXPECT_EQ(QueryValue(url, "redirect_uri"),
            "https%3A%2F%2Fwarden.example%2Fv1%2Fsession%2Foidc%2Fcallback");
  EXPECT_EQ(QueryValue(url, "code_challenge_method"), "S256");
  EXPECT_EQ(QueryValue(url, "state").size(), 43u);
  EXPECT_EQ(QueryValue(url, "nonce").size(), 43u);
  EXPECT_NE(QueryValue(url, "state"), QueryValue(url, "nonce"));

  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  auto identity = rp_->Finish("the-code", QueryValue(url, "state"));
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  const outbound::CodeExchange& sent = provider_->last_exchange_;
  EXPECT_EQ(tokens::PkceS256Challenge(sent.code_verifier),
            QueryValue(url, "code_challenge"));
  EXPECT_EQ(sent.code, "the-code");
  EXPECT_EQ(sent.redirect_uri, kRedirect);
  EXPECT_FALSE(sent.client_secret_basic);  // the metadata lists post only
  EXPECT_EQ(sent.client_secret, "s3cret");
}

TEST_F(OidcRelyingPartyTest, FinishMapsUserEmailAndRole) {
  const std::string url = Begin();
  provider_->AnswerFor(
      url, {{"preferred_username", "alice"},
            {"email", "alice@example.com"},
            {"groups", boost::json::array{"staff", "sec", "wardens"}}});
  auto identity = rp_->Finish("c", QueryValue(url, "state"));
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->user, "alice");
  EXPECT_EQ(identity->email, "alice@example.com");
  EXPECT_EQ(identity->issuer, kIssuer);
  EXPECT_EQ(identity->subject, "u-1");
  EXPECT_EQ(identity->role, Role::kAdmin);  // first map entry wins
  EXPECT_EQ(identity->return_to, "/ui/#/inventory");
}

TEST_F(OidcRelyingPartyTest, UnmappedGroupsGiveNoRole) {
  const std::string url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "bob"},
                             {"groups", boost::json::array{"staff"}}});
  auto identity = rp_->Finish("c", QueryValue(url, "state"));
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->role, std::nullopt);
}

TEST_F(OidcRelyingPartyTest, AStateIsUsableOnce) {
  const std::string url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  ASSERT_TRUE(rp_->Finish("c", QueryValue(url, "state")).ok());
  auto again = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(ProblemOf(again.status()), "oidc-login-unknown");
  auto forged = rp_->Finish("c", "forged-state");
  EXPECT_EQ(ProblemOf(forged.status()), "oidc-login-unknown");
  EXPECT_EQ(ProblemOf(rp_->Finish("", "x").status()), "oidc-callback-invalid");
  EXPECT_EQ(ProblemOf(rp_->Finish("c", std::string(300, 'a')).status()),
            "oidc-callback-invalid");
}

TEST_F(OidcRelyingPartyTest, ALoginExpiresAfterItsLifetime) {
  const std::string url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  clock_.Advance(std::chrono::minutes(11));
  auto late = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(ProblemOf(late.status()), "oidc-login-expired");
}

TEST_F(OidcRelyingPartyTest, RefusesOffSiteReturnTo) {
  for (const char* bad : {"//evil.example/", "/\\evil.example", "https://e.x/",
                          "ui/", "", "/ui/\nSet-Cookie:x"}) {
    auto url = rp_->Begin(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(ProblemOf(url.status()), "oidc-return-to-invalid") << bad;
  }
}

TEST_F(OidcRelyingPartyTest, ProviderRefusalsAndBadTokensAreRefusals) {
  std::string url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  provider_->error_ = "invalid_grant";
  auto refused = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(ProblemOf(refused.status()), "oidc-code-exchange");
  provider_->error_.clear();

  url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  provider_->nonce_ = "another-login";
  auto replayed = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(replayed.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ProblemOf(replayed.status()), "token-invalid-claim");

  url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice root"}});
  auto bad_user = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(ProblemOf(bad_user.status()), "oidc-user-claim-invalid");
}

TEST_F(OidcRelyingPartyTest, ARotatedProviderKeyIsFetchedOnce) {
  std::string url = Begin();
  const int fetches = provider_->fetches_;
  provider_->Rotate();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  // Within the refresh interval the cached set stands.
  auto early = rp_->Finish("c", QueryValue(url, "state"));
  EXPECT_EQ(ProblemOf(early.status()), "token-unknown-key");
  clock_.Advance(std::chrono::seconds(61));
  url = Begin();
  provider_->AnswerFor(url, {{"preferred_username", "alice"}});
  auto later = rp_->Finish("c", QueryValue(url, "state"));
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(provider_->fetches_, fetches + 1);
}

TEST(OidcOptionsTest, ConfigurationChecks) {
  OidcOptions options;
  EXPECT_TRUE(ValidateOidcOptions(options).ok());  // off
  options.issuer = "http://idp.example.com";
  EXPECT_FALSE(ValidateOidcOptions(options).ok());  // plain http off loopback
  options.issuer = kIssuer;
  options.redirect_uri = kRedirect;
  EXPECT_FALSE(ValidateOidcOptions(options).ok());  // no client id
  options.client_id = "warden";
  EXPECT_FALSE(ValidateOidcOptions(options).ok());  // no secret
  options.client_secret = "s";
  EXPECT_TRUE(ValidateOidcOptions(options).ok());
  options.role_map = *OidcRoleMap::Parse("g=auditor");
  EXPECT_FALSE(ValidateOidcOptions(options).ok());  // map without claim
  options.role_claim = "groups";
  EXPECT_TRUE(ValidateOidcOptions(options).ok());
}

TEST(OidcRoleMapTest, ParsesAndRefusesMachineRoles) {
  auto map = OidcRoleMap::Parse(" a=auditor ,b=account_manager,");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->entries().size(), 2u);
  EXPECT_EQ(map->RoleFor({"x", "b"}), Role::kAccountManager);
  EXPECT_EQ(map->RoleFor({"x"}), std::nullopt);
  for (const char* bad :
       {"a=sdk", "a=deploy", "a=app_owner", "a", "=admin", "a=root"}) {
    EXPECT_FALSE(OidcRoleMap::Parse(bad).ok()) << bad;
  }
  EXPECT_TRUE(OidcRoleMap::Parse("").ok());
}

}  // namespace
}  // namespace warden::signin
