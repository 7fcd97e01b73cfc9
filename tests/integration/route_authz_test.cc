// Walks EVERY authenticated route with EVERY caller kind and asserts the
// allow/deny decision against the explicit table below (the documented role
// table of authz/authorizer.h, seen from HTTP). Every decision, allowed or
// denied, must leave an audit record carrying the request id.
//
// Allowed calls act on fresh resources, so they must succeed (2xx); denied
// ones must answer 403 (401 without a valid token).
#include <gtest/gtest.h>

#include <array>
#include <boost/json/serialize.hpp>
#include <functional>
#include <set>

#include "core/clock.h"
#include "core/time_format.h"
#include "credential_test_csr.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

// Callers, in table column order. "owner_a@b" is the app_owner of team A
// acting on resources of team B.
enum Caller {
  kAdmin,
  kSecurity,
  kAccountManager,
  kOwnerOnOwnTeam,
  kOwnerOnOtherTeam,
  kAuditor,
  kSdk,
  kNoToken,
  kBadToken,
  // A workload's own OAuth access token (identity of team A, with scopes
  // secrets:read and certificates:renew). Last, so that every Allow below
  // that does not name it denies it: only the routes that opt in accept
  // one, and none of this table's calls acts on that identity's own
  // credentials (tests/integration/workload_access_test.cc does).
  kWorkload,
  // A CI token of role deploy: it records releases and nothing else, so
  // every row here denies it (its release route has the releases table).
  kDeploy,
  kCallerCount
};
constexpr std::array<const char*, kCallerCount> kCallerNames = {
    "admin", "security", "account_manager", "owner_a@a", "owner_a@b", "auditor",
    "sdk",   "no_token", "bad_token",       "workload",  "deploy"};

struct Call {
  std::string path;
  std::string body;
};

using Allow = std::array<int, kCallerCount>;  // 1 allowed, 0 denied
// Column order: admin security acct_mgr owner@own owner@other auditor sdk
//               none bad [workload, deploy: omitted, so 0]
constexpr Allow kAdminOnly = {1, 0, 0, 0, 0, 0, 0, 0, 0};
constexpr Allow kEveryReader = {1, 1, 1, 1, 1, 1, 0, 0, 0};
constexpr Allow kPrivilegedReader = {1, 1, 0, 0, 0, 1, 0, 0, 0};
constexpr Allow kIdentityWriter = {1, 1, 0, 1, 0, 0, 0, 0, 0};
constexpr Allow kExceptionRequester = {1, 0, 0, 1, 0, 0, 0, 0, 0};
constexpr Allow kExceptionDecider = {1, 1, 0, 0, 0, 0, 0, 0, 0};

class RouteAuthzTest : public ServerFixture {
 protected:
  struct Row {
    std::string method;
    std::string pattern;
    Allow allow;
    // Builds the request for one caller; `team` is the team whose resources
    // the call acts on.
    std::function<Call(const std::string& team)> setup;
  };

  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    CreateTeam("team-a");
    CreateTeam("team-b");
    // Users' own tokens where a role takes four-eyes decisions: the
    // requests below are made through user-less tokens the bootstrap token
    // created, whose accountable human would be the deciders' too.
    tokens_[kAdmin] = CreateUserToken("walk-admin", "admin");
    tokens_[kSecurity] = CreateUserToken("walk-security", "security");
    tokens_[kAccountManager] = CreateToken("account_manager");
    tokens_[kOwnerOnOwnTeam] = CreateToken("app_owner", "team-a");
    tokens_[kOwnerOnOtherTeam] = tokens_[kOwnerOnOwnTeam];
    tokens_[kAuditor] = CreateUserToken("walk-auditor", "auditor");
    tokens_[kSdk] = CreateToken("sdk", "", "development");
    tokens_[kNoToken] = "";
    tokens_[kBadToken] = "wdn_this-token-was-never-issued";
    owner_b_token_ = CreateToken("app_owner", "team-b");
    tokens_[kWorkload] = WorkloadToken();
    tokens_[kDeploy] = CreateToken("deploy");
    standing_identity_ = Id(CreateIdentity("standing", "team-a"));
    standing_exception_ =
        RequestException("standing", tokens_[kOwnerOnOwnTeam]);
  }

  // An access token of a team-a identity from /oauth/token.
  std::string WorkloadToken() {
    boost::json::object body =
        IdentityBody("workload-caller", "team-a", "development");
    body["scopes"] = boost::json::array{"secrets:read", "certificates:renew"};
    HttpReply created = client_->Post("/v1/identities", admin_token_, body);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Id(created.json().as_object());
    HttpReply credential =
        client_->Post("/v1/identities/" + id + "/credentials", admin_token_,
                      boost::json::object{{"method", "client_secret"}});
    EXPECT_EQ(credential.status, 201) << credential.body;
    const std::string secret(credential.json().at("client_secret").as_string());
    HttpReply token =
        client_->Send("POST", "/oauth/token", {},
                      "grant_type=client_credentials&client_id=" + id +
                          "&client_secret=" + secret,
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(token.status, 200) << token.body;
    return std::string(token.json().at("access_token").as_string());
  }

  std::string Fresh(const std::string& prefix) {
    return prefix + "-" + std::to_string(++counter_);
  }
  static std::string Id(const boost::json::object& json) {
    const auto* id = json.if_contains("id");
    return id && id->is_string() ? std::string(id->as_string()) : "";
  }
  static std::string CertificateBody(const std::string& identity_id) {
    return boost::json::serialize(
        boost::json::object{{"identity", identity_id}, {"csr", FreshCsrPem()}});
  }
  static std::string SecretBody(const std::string& name,
                                const std::string& identity_id) {
    return boost::json::serialize(boost::json::object{
        {"name", name}, {"identity", identity_id}, {"value", "v1"}});
  }
  // A secret of a fresh identity of `team`, created as admin.
  std::string FreshSecret(const std::string& team) {
    std::string name = Fresh("secret");
    HttpReply r = client_->Send("POST", "/v1/secrets", admin_token_,
                                SecretBody(name, FreshIdentity(team)));
    EXPECT_EQ(r.status, 201) << r.body;
    return name;
  }
  std::string FreshIdentity(const std::string& team) {
    return Id(CreateIdentity(Fresh("nhi"), team));
  }
  // Requested by the owning team's app_owner, so no caller in the table is
  // the requester (approving one's own request is refused separately).
  std::string RequestException(const std::string& identity_name,
                               const std::string& token) {
    Timestamp expires = SystemClock().Now() + std::chrono::hours(24 * 10);
    HttpReply reply = client_->Post(
        "/v1/exceptions", token,
        boost::json::object{{"identity_name", identity_name},
                            {"rule", "expiry_beyond_policy"},
                            {"justification", "legacy vendor key"},
                            {"expires_at", FormatRfc3339(expires)}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Id(reply.json().is_object() ? reply.json().as_object()
                                       : boost::json::object{});
  }
  std::string FreshException(const std::string& team) {
    std::string name = Fresh("nhi");
    CreateIdentity(name, team);
    return RequestException(
        name, team == "team-a" ? tokens_[kOwnerOnOwnTeam] : owner_b_token_);
  }
  std::string FreshUser() {
    std::string name = Fresh("user");
    HttpReply reply =
        client_->Post("/v1/users", admin_token_,
                      boost::json::object{{"name", name}, {"role", "auditor"}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return name;
  }
  std::string FreshTokenId() {
    HttpReply reply = client_->Post("/v1/tokens", admin_token_,
                                    boost::json::object{{"role", "auditor"}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Id(reply.json().as_object());
  }
  std::string FreshTeam() {
    std::string name = Fresh("team");
    CreateTeam(name);
    return name;
  }

  std::vector<Row> Table();

  std::array<std::string, kCallerCount> tokens_;
  std::string owner_b_token_;
  std::string standing_identity_;
  std::string standing_exception_;
  int counter_ = 0;
};

std::vector<RouteAuthzTest::Row> RouteAuthzTest::Table() {
  auto fixed = [](std::string path, std::string body = {}) {
    return [path, body](const std::string&) { return Call{path, body}; };
  };
  const std::string identity = "/v1/identities/";
  const std::string exception = "/v1/exceptions/";
  const std::string approval = "/v1/approvals/";
  const std::string reason = R"({"reason": "route authz test"})";
  return {
      {"GET", "/v1/teams", kEveryReader, fixed("/v1/teams")},
      {"POST", "/v1/teams", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/teams", "{\"name\": \"" + Fresh("new") + "\"}"};
       }},
      {"GET", "/v1/teams/{name}", kEveryReader, fixed("/v1/teams/team-a")},
      {"PUT", "/v1/teams/{name}", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/teams/" + FreshTeam(), R"({"members": []})"};
       }},
      {"DELETE", "/v1/teams/{name}", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/teams/" + FreshTeam(), ""};
       }},
      {"GET", "/v1/identities", kEveryReader, fixed("/v1/identities")},
      {"POST", "/v1/identities", kIdentityWriter,
       [this](const std::string& team) {
         return Call{"/v1/identities", boost::json::serialize(IdentityBody(
                                           Fresh("nhi"), team, "development"))};
       }},
      {"GET", "/v1/identities/{id}", kEveryReader,
       [this, identity](const std::string&) {
         return Call{identity + standing_identity_, ""};
       }},
      {"PATCH", "/v1/identities/{id}", kIdentityWriter,
       [this, identity](const std::string& team) {
         return Call{identity + FreshIdentity(team),
                     R"({"business_function": "payments"})"};
       }},
      {"POST", "/v1/identities/{id}/suspend", kIdentityWriter,
       [this, identity, reason](const std::string& team) {
         return Call{identity + FreshIdentity(team) + "/suspend", reason};
       }},
      {"POST", "/v1/identities/{id}/resume", kIdentityWriter,
       [this, identity, reason](const std::string& team) {
         std::string id = FreshIdentity(team);
         HttpReply r = client_->Send("POST", identity + id + "/suspend",
                                     admin_token_, reason);
         EXPECT_EQ(r.status, 200) << r.body;
         return Call{identity + id + "/resume", "{}"};
       }},
      {"POST", "/v1/identities/{id}/revoke", kIdentityWriter,
       [this, identity, reason](const std::string& team) {
         return Call{identity + FreshIdentity(team) + "/revoke", reason};
       }},
      {"GET", "/v1/exceptions", kEveryReader, fixed("/v1/exceptions")},
      {"POST", "/v1/exceptions", kExceptionRequester,
       [this](const std::string& team) {
         std::string name = Fresh("nhi");
         CreateIdentity(name, team);
         Timestamp expires = SystemClock().Now() + std::chrono::hours(240);
         return Call{"/v1/exceptions",
                     boost::json::serialize(boost::json::object{
                         {"identity_name", name},
                         {"rule", "expiry_beyond_policy"},
                         {"justification", "legacy"},
                         {"expires_at", FormatRfc3339(expires)}})};
       }},
      {"GET", "/v1/exceptions/{id}", kEveryReader,
       [this, exception](const std::string&) {
         return Call{exception + standing_exception_, ""};
       }},
      {"POST", "/v1/exceptions/{id}/approve", kExceptionDecider,
       [this, exception](const std::string& team) {
         return Call{exception + FreshException(team) + "/approve", ""};
       }},
      {"POST", "/v1/exceptions/{id}/reject", kExceptionDecider,
       [this, exception](const std::string& team) {
         return Call{exception + FreshException(team) + "/reject", ""};
       }},
      {"POST", "/v1/exceptions/{id}/revoke", kExceptionDecider,
       [this, exception](const std::string& team) {
         return Call{exception + FreshException(team) + "/revoke", ""};
       }},
      // Approvals: an exception's request has the exception's id and is
      // decided by security (account_manager holds approval.decide but is
      // not this request's approver).
      {"GET", "/v1/approvals", kEveryReader,
       fixed("/v1/approvals?mine=true&state=pending")},
      {"GET", "/v1/approvals/{id}", kEveryReader,
       [this, approval](const std::string&) {
         return Call{approval + standing_exception_, ""};
       }},
      {"POST", "/v1/approvals/{id}/approve", kExceptionDecider,
       [this, approval, reason](const std::string& team) {
         return Call{approval + FreshException(team) + "/approve", reason};
       }},
      {"POST", "/v1/approvals/{id}/decline", kExceptionDecider,
       [this, approval, reason](const std::string& team) {
         return Call{approval + FreshException(team) + "/decline", reason};
       }},
      {"GET", "/v1/users", kPrivilegedReader, fixed("/v1/users")},
      {"POST", "/v1/users", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users", "{\"name\": \"" + Fresh("person") +
                                      "\", \"role\": \"auditor\"}"};
       }},
      {"GET", "/v1/users/{name}", kPrivilegedReader,
       fixed("/v1/users/bootstrap")},
      {"POST", "/v1/users/{name}/disable", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users/" + FreshUser() + "/disable", ""};
       }},
      {"PUT", "/v1/users/{name}/password", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users/" + FreshUser() + "/password",
                     R"({"password":"a long enough password"})"};
       }},
      {"POST", "/v1/users/{name}/totp", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users/" + FreshUser() + "/totp", "{}"};
       }},
      {"DELETE", "/v1/users/{name}/totp", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users/" + FreshUser() + "/totp", ""};
       }},
      {"POST", "/v1/users/{name}/enable", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/users/" + FreshUser() + "/enable", ""};
       }},
      {"GET", "/v1/tokens", kPrivilegedReader, fixed("/v1/tokens")},
      {"POST", "/v1/tokens", kAdminOnly,
       fixed("/v1/tokens", R"({"role": "auditor"})")},
      {"POST", "/v1/tokens/{id}/revoke", kAdminOnly,
       [this](const std::string&) {
         return Call{"/v1/tokens/" + FreshTokenId() + "/revoke", ""};
       }},
      {"GET", "/v1/audit", kPrivilegedReader, fixed("/v1/audit")},
      {"GET", "/v1/audit/export", kPrivilegedReader,
       fixed("/v1/audit/export?after=1000000")},
      {"POST", "/v1/audit/verify", kPrivilegedReader,
       fixed("/v1/audit/verify")},
      // Certificates, secrets and break-glass.
      {"GET", "/v1/certificates", Allow{1, 1, 0, 1, 1, 1, 0, 0, 0},
       fixed("/v1/certificates")},
      {"POST", "/v1/certificates", kIdentityWriter,
       [this](const std::string& team) {
         return Call{"/v1/certificates", CertificateBody(FreshIdentity(team))};
       }},
      {"POST", "/v1/certificates/{serial}/revoke", kIdentityWriter,
       [this, reason](const std::string& team) {
         HttpReply r = client_->Send("POST", "/v1/certificates", admin_token_,
                                     CertificateBody(FreshIdentity(team)));
         EXPECT_EQ(r.status, 201) << r.body;
         return Call{"/v1/certificates/" +
                         std::string(r.json().at("serial").as_string()) +
                         "/revoke",
                     reason};
       }},
      {"GET", "/v1/secrets", kEveryReader, fixed("/v1/secrets")},
      {"POST", "/v1/secrets", kIdentityWriter,
       [this](const std::string& team) {
         return Call{"/v1/secrets",
                     SecretBody(Fresh("secret"), FreshIdentity(team))};
       }},
      {"POST", "/v1/secrets/{name}/rotate", kIdentityWriter,
       [this](const std::string& team) {
         return Call{"/v1/secrets/" + FreshSecret(team) + "/rotate",
                     R"({"value": "rotated"})"};
       }},
      {"GET", "/v1/secrets/{name}/value", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       [this](const std::string& team) {
         return Call{"/v1/secrets/" + FreshSecret(team) + "/value", ""};
       }},
      {"GET", "/v1/break-glass", kPrivilegedReader, fixed("/v1/break-glass")},
      {"POST", "/v1/break-glass/secret-read", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       [this](const std::string& team) {
         return Call{"/v1/break-glass/secret-read",
                     R"({"secret": ")" + FreshSecret(team) +
                         R"(", "reason": "route authz test incident"})"};
       }},
      {"POST", "/v1/break-glass/reactivate", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       [this, identity, reason](const std::string& team) {
         std::string id = FreshIdentity(team);
         HttpReply r = client_->Send("POST", identity + id + "/suspend",
                                     admin_token_, reason);
         EXPECT_EQ(r.status, 200) << r.body;
         return Call{"/v1/break-glass/reactivate",
                     R"({"identity": ")" + id +
                         R"(", "reason": "route authz test incident"})"};
       }},
      {"POST", "/v1/break-glass/{id}/review", kPrivilegedReader,
       [this](const std::string& team) {
         // Used by a token of its own, so no caller reviews its own use.
         HttpReply r = client_->Send(
             "POST", "/v1/break-glass/secret-read", CreateToken("security"),
             R"({"secret": ")" + FreshSecret(team) +
                 R"(", "reason": "route authz test incident"})");
         EXPECT_EQ(r.status, 201) << r.body;
         return Call{"/v1/break-glass/" +
                         std::string(r.json().at("id").as_string()) + "/review",
                     R"({"note": "ok"})"};
       }},
      // OAuth client credentials, gating flags and signing keys.
      {"POST", "/v1/identities/{id}/credentials", kIdentityWriter,
       [this, identity](const std::string& team) {
         return Call{identity + FreshIdentity(team) + "/credentials",
                     R"({"method": "client_secret"})"};
       }},
      {"PUT", "/v1/identities/{id}/gating-flags", kIdentityWriter,
       [this, identity](const std::string& team) {
         return Call{identity + FreshIdentity(team) + "/gating-flags",
                     R"({"flags": ["checkout"]})"};
       }},
      {"GET", "/v1/identities/{id}/scopes-used", kEveryReader,
       [this, identity](const std::string&) {
         return Call{identity + standing_identity_ + "/scopes-used", ""};
       }},
      {"GET", "/v1/identities/{id}/gating-flags", kEveryReader,
       [this, identity](const std::string&) {
         return Call{identity + standing_identity_ + "/gating-flags", ""};
       }},
      {"POST", "/v1/oauth/keys/rotate", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       fixed("/v1/oauth/keys/rotate")},
      {"PUT", "/v1/oauth/trusted-issuers", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       fixed("/v1/oauth/trusted-issuers", "[]")},
      {"GET", "/v1/oauth/trusted-issuers", Allow{1, 1, 0, 0, 0, 0, 0, 0, 0},
       fixed("/v1/oauth/trusted-issuers")},
  };
}

// Release-exposure routes have their own table in
// tests/exposure/exposure_route_authz_test.cc, release governance in
// release_route_authz_test.cc, posture and discovery in
// posture_route_authz_test.cc, access policies and AuthZEN in
// access_route_authz_test.cc; console sessions (whose callers are
// cookies, not tokens) in console_session_test.cc and the console's event
// stream (an endless answer) in tests/ofrep/console_events_test.cc; every
// other authenticated route, including any new area, must have a row here.
bool CoveredByExposureTable(const std::string& pattern) {
  for (const char* prefix :
       {"/v1/environments", "/v1/flags", "/v1/tenants", "/v1/segments",
        "/v1/limits", "/v1/releases", "/v1/findings", "/v1/posture",
        "/v1/maturity", "/v1/reviews", "/v1/scans", "/v1/observations",
        "/v1/drift", "/v1/session", "/v1/events", "/v1/access/",
        "/access/v1/"}) {
    if (pattern.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST_F(RouteAuthzTest, TableCoversEveryAuthenticatedRoute) {
  std::set<std::string> served;
  for (const server::RouteDescription& route : app_->routes()) {
    if (route.authenticated && !CoveredByExposureTable(route.pattern)) {
      served.insert(route.method + " " + route.pattern);
    }
  }
  std::set<std::string> tabled;
  for (const Row& row : Table()) tabled.insert(row.method + " " + row.pattern);
  EXPECT_EQ(served, tabled);
}

TEST_F(RouteAuthzTest, EveryRouteWithEveryCaller) {
  for (const Row& row : Table()) {
    for (int caller = 0; caller < kCallerCount; ++caller) {
      SCOPED_TRACE(row.method + " " + row.pattern + " as " +
                   kCallerNames[caller]);
      const std::string team =
          caller == kOwnerOnOtherTeam ? "team-b" : "team-a";
      Call call = row.setup(team);
      HttpReply reply =
          client_->Send(row.method, call.path, tokens_[caller], call.body);
      if (row.allow[caller]) {
        EXPECT_GE(reply.status, 200) << reply.body;
        EXPECT_LT(reply.status, 300) << reply.body;
      } else if (caller == kNoToken || caller == kBadToken) {
        EXPECT_EQ(reply.status, 401) << reply.body;
      } else {
        EXPECT_EQ(reply.status, 403) << reply.body;
      }
      const std::string request_id = reply.header("x-request-id");
      ASSERT_FALSE(request_id.empty());
      EXPECT_GE(AuditRecordsFor(request_id), 1)
          << "no audit record for request " << request_id;
    }
  }
}

}  // namespace
}  // namespace warden::testing_http
