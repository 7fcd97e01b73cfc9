// Console sessions over HTTP: sign-in with a password, the cookie's
// attributes, cookie-authenticated reads and changes with and without the
// CSRF token, roles exactly as for API tokens, sign-out, and the problem
// types of every refusal.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "http_client.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "a console password";

struct Session {
  std::string cookie;  // "warden_session=..."
  std::string csrf;
};

class ConsoleSessionTest : public ServerFixture {
 protected:
  void SetUpUser(const std::string& name, const std::string& role) {
    CreateUserToken(name, role);
    HttpReply set =
        client_->Send("PUT", "/v1/users/" + name + "/password", admin_token_,
                      json::serialize(json::object{{"password", kPassword}}));
    ASSERT_EQ(set.status, 204) << set.body;
  }

  HttpReply SignIn(const std::string& user, const std::string& password) {
    return client_->Send(
        "POST", "/v1/session", {},
        json::serialize(json::object{{"user", user}, {"password", password}}));
  }

  Session SignedIn(const std::string& user) {
    HttpReply reply = SignIn(user, kPassword);
    EXPECT_EQ(reply.status, 201) << reply.body;
    const std::string set_cookie = reply.header("set-cookie");
    Session session;
    session.cookie = set_cookie.substr(0, set_cookie.find(';'));
    session.csrf = std::string(reply.json().at("csrf_token").as_string());
    return session;
  }

  HttpReply As(const Session& session, std::string_view method,
               std::string_view target, std::string_view body = {},
               bool with_csrf = true) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Cookie", "theme=dark; " + session.cookie}};
    if (with_csrf) headers.emplace_back("X-CSRF-Token", session.csrf);
    return client_->Send(method, target, {}, body, headers);
  }
};

TEST_F(ConsoleSessionTest, SignInSetsAStrictHttpOnlyCookie) {
  SetUpUser("ann", "security");
  HttpReply reply = SignIn("ann", kPassword);
  ASSERT_EQ(reply.status, 201) << reply.body;
  const std::string cookie = reply.header("set-cookie");
  EXPECT_TRUE(cookie.starts_with("warden_session=wss_")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  // Plain http on loopback: a Secure cookie would never come back.
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  const json::object body = reply.json().as_object();
  EXPECT_EQ(body.at("user"), "ann");
  EXPECT_EQ(body.at("role"), "security");
  EXPECT_EQ(body.at("method"), "password");
  EXPECT_FALSE(body.at("csrf_token").as_string().empty());
  EXPECT_EQ(AuditRecordsFor(reply.header("x-request-id")), 1);
}

TEST_F(ConsoleSessionTest, RefusalsCarryTheirProblemTypes) {
  SetUpUser("ann", "security");
  HttpReply wrong = SignIn("ann", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.problem_type(), "urn:warden:problem:invalid-credentials");
  EXPECT_EQ(wrong.body.find("not the password"), std::string::npos);
  EXPECT_EQ(AuditRecordsFor(wrong.header("x-request-id")), 1);
  EXPECT_EQ(SignIn("nobody", kPassword).problem_type(),
            "urn:warden:problem:invalid-credentials");
  HttpReply malformed =
      client_->Send("POST", "/v1/session", {}, R"({"user":"ann"})");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(client_->Send("POST", "/v1/session", {}, "not json").status, 400);
  EXPECT_EQ(client_
                ->Send("POST", "/v1/session", {},
                       R"({"user":"ann","password":"x","extra":1})")
                .status,
            400);
  // Without any credential, a protected route is 401.
  EXPECT_EQ(client_->Get("/v1/session").status, 401);
}

TEST_F(ConsoleSessionTest, RepeatedFailuresLockTheUserOut) {
  SetUpUser("ann", "security");
  for (int i = 0; i < 5; ++i) SignIn("ann", "not the password at all");
  HttpReply locked = SignIn("ann", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.problem_type(), "urn:warden:problem:locked-out");
  EXPECT_EQ(locked.header("retry-after"), "30");
}

TEST_F(ConsoleSessionTest, CookieReadsWorkAndChangesNeedTheCsrfToken) {
  SetUpUser("ann", "admin");
  const Session session = SignedIn("ann");
  HttpReply me = As(session, "GET", "/v1/session", {}, false);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("csrf_token").as_string(), session.csrf);
  EXPECT_EQ(As(session, "GET", "/v1/teams", {}, false).status, 200);

  const std::string team = R"({"name":"payments","members":[]})";
  HttpReply no_token = As(session, "POST", "/v1/teams", team, false);
  EXPECT_EQ(no_token.status, 403);
  EXPECT_EQ(no_token.problem_type(), "urn:warden:problem:csrf-token-invalid");
  EXPECT_EQ(AuditRecordsFor(no_token.header("x-request-id")), 1);
  HttpReply wrong_token =
      client_->Send("POST", "/v1/teams", {}, team,
                    {{"Cookie", session.cookie}, {"X-CSRF-Token", "forged"}});
  EXPECT_EQ(wrong_token.status, 403);
  HttpReply created = As(session, "POST", "/v1/teams", team);
  EXPECT_EQ(created.status, 201) << created.body;
}

TEST_F(ConsoleSessionTest, RolesAreTheApisRoles) {
  SetUpUser("aud", "auditor");
  const Session session = SignedIn("aud");
  EXPECT_EQ(As(session, "GET", "/v1/audit?limit=1").status, 200);
  HttpReply refused =
      As(session, "POST", "/v1/teams", R"({"name":"x","members":[]})");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.problem_type(), "urn:warden:problem:permission-denied");
  // Nor may it set another user's password.
  SetUpUser("ann", "security");
  EXPECT_EQ(As(session, "PUT", "/v1/users/ann/password",
               R"({"password":"a takeover password"})")
                .status,
            403);
}

TEST_F(ConsoleSessionTest, SignOutEndsTheSessionEverywhere) {
  SetUpUser("ann", "security");
  const Session session = SignedIn("ann");
  HttpReply without_token = As(session, "DELETE", "/v1/session", {}, false);
  EXPECT_EQ(without_token.status, 403);
  HttpReply out = As(session, "DELETE", "/v1/session");
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  HttpReply after = As(session, "GET", "/v1/session");
  EXPECT_EQ(after.status, 401);
  // A bearer caller has no session to end.
  EXPECT_EQ(client_->Send("DELETE", "/v1/session", admin_token_).status, 400);
}

TEST_F(ConsoleSessionTest, TotpEnrollmentThenSignInAsksForTheCode) {
  SetUpUser("ann", "security");
  const Session session = SignedIn("ann");
  HttpReply enrolled = As(session, "POST", "/v1/users/ann/totp", "{}");
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  EXPECT_TRUE(enrolled.json()
                  .at("otpauth_uri")
                  .as_string()
                  .starts_with("otpauth://totp/Warden:ann?secret="));
  HttpReply needs_code = SignIn("ann", kPassword);
  EXPECT_EQ(needs_code.status, 401);
  EXPECT_EQ(needs_code.problem_type(), "urn:warden:problem:totp-required");
  EXPECT_EQ(As(session, "DELETE", "/v1/users/ann/totp").status, 204);
  EXPECT_EQ(SignIn("ann", kPassword).status, 201);
}

// Issue 16: a bearer token learns its own binding from GET /v1/session
// (an sdk token's environment and tenant; null for unbound tokens).
TEST_F(ConsoleSessionTest, BearerTokenLearnsItsBinding) {
  HttpReply tenant = client_->Send("POST", "/v1/tenants", admin_token_,
                                   R"({"key": "acme", "attributes": {}})");
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  HttpReply sdk =
      client_->Send("GET", "/v1/session", CreateTenantToken("acme", "staging"));
  ASSERT_EQ(sdk.status, 200) << sdk.body;
  EXPECT_EQ(sdk.json().at("role").as_string(), "sdk");
  EXPECT_EQ(sdk.json().at("environment").as_string(), "staging");
  EXPECT_EQ(sdk.json().at("tenant").as_string(), "acme");
  EXPECT_EQ(sdk.json().at("method").as_string(), "token");

  HttpReply admin = client_->Send("GET", "/v1/session", admin_token_);
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.json().at("role").as_string(), "admin");
  EXPECT_TRUE(admin.json().at("environment").is_null());
  EXPECT_TRUE(admin.json().at("tenant").is_null());
}

}  // namespace
}  // namespace warden::testing_http
