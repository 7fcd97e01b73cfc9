// The C++ SDK (include/warden/flag_client.h) against a real in-process
// server: local evaluation from the streamed snapshot, change listeners,
// serving the last snapshot while the server is down, reconnecting and
// catching up after a restart, and a refused token.
#include "warden/flag_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../integration/server_fixture.h"

namespace warden::testing_http {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kFlag[] = R"({"key": "checkout", "variants": {"on": true,
  "off": false}, "default_variant": "off", "off_variant": "off",
  "rules": [{"conditions": [{"attribute": "plan", "op": "equals",
  "value": "enterprise"}], "variant": "on"}]})";

class FlagClientTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    HttpReply flag = client_->Send("POST", "/v1/flags?environment=development",
                                   admin_token_, kFlag);
    ASSERT_EQ(flag.status, 201) << flag.body;
    sdk_token_ = CreateToken("sdk", "", "development");
  }

  std::unique_ptr<FlagClient> StartClient(std::string token = {},
                                          std::string environment = {}) {
    FlagClientOptions options;
    options.url = app_->url();
    options.token = token.empty() ? sdk_token_ : token;
    options.environment = std::move(environment);
    options.initial_backoff = milliseconds(20);
    options.max_backoff = milliseconds(200);
    return FlagClient::Start(options);
  }

  std::string SetTenantLimit(const std::string& tenant) {
    HttpReply limit = client_->Post(
        "/v1/limits", admin_token_,
        json::object{
            {"scope", "tenant"}, {"values", {tenant}}, {"reason", "incident"}});
    EXPECT_EQ(limit.status, 201) << limit.body;
    return std::string(limit.json().at("id").as_string());
  }

  // Polls until `tenant`'s evaluation is LIMITED (or the timeout).
  static bool WaitLimited(const FlagClient& client, const std::string& tenant,
                          milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      FlagContext context{tenant, {}};
      if (client.Evaluate("checkout", context).reason == "LIMITED") return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  std::string sdk_token_;
};

FlagContext Enterprise(const std::string& tenant) {
  return FlagContext{tenant, json::object{{"plan", "enterprise"}}};
}

TEST_F(FlagClientTest, EvaluatesLocallyAndFollowsChanges) {
  auto client = StartClient();
  ASSERT_TRUE(client->WaitForReady(seconds(10))) << client->last_error();
  EXPECT_TRUE(client->GetBoolean("checkout", false, Enterprise("acme")));
  FlagDetails details = client->Evaluate("checkout", Enterprise("acme"));
  EXPECT_EQ(details.reason, "TARGETING_MATCH");
  EXPECT_EQ(details.variant, "on");
  EXPECT_FALSE(client->GetBoolean("checkout", true, {"acme", {}}));
  EXPECT_EQ(client->Evaluate("nope", {}).error_code, "FLAG_NOT_FOUND");

  std::atomic<int> changes{0};
  client->AddChangeListener([&](int64_t) { ++changes; });
  const std::string limit = SetTenantLimit("acme");
  ASSERT_TRUE(WaitLimited(*client, "acme", seconds(10)));
  EXPECT_GE(changes.load(), 1);
  FlagDetails limited = client->Evaluate("checkout", Enterprise("acme"));
  EXPECT_EQ(limited.limit_id, limit);
  EXPECT_EQ(limited.value, json::value(false));
  EXPECT_TRUE(client->GetBoolean("checkout", false, Enterprise("globex")));
}

// The SDK works from a tenant-bound token's view,
// evaluates for that tenant whatever key it is given, and the tenant's
// stored attributes win over claimed ones, as on the server.
TEST_F(FlagClientTest, TenantBoundTokenEvaluatesItsTenantFromItsView) {
  HttpReply tenant =
      client_->Send("POST", "/v1/tenants", admin_token_,
                    R"({"key": "acme", "attributes": {"plan": "free"}})");
  ASSERT_EQ(tenant.status, 201) << tenant.body;
  auto client = StartClient(CreateTenantToken("acme"));
  ASSERT_TRUE(client->WaitForReady(seconds(10))) << client->last_error();
  EXPECT_EQ(client->tenant(), "acme");  // learned from the token's stream
  EXPECT_EQ(client->environment(), "development");
  // The stored plan (free) wins over the claimed one.
  FlagDetails claimed = client->Evaluate("checkout", Enterprise("acme"));
  EXPECT_EQ(claimed.reason, "DEFAULT");
  EXPECT_EQ(claimed.value, json::value(false));
  const std::string limit = SetTenantLimit("acme");
  // Any targeting key is acme's for this client.
  ASSERT_TRUE(WaitLimited(*client, "someone-else", seconds(10)));
  EXPECT_EQ(client->Evaluate("checkout", Enterprise("x")).limit_id, limit);
}

TEST_F(FlagClientTest, KeepsServingWhileDownThenCatchesUpAfterRestart) {
  auto client = StartClient();
  ASSERT_TRUE(client->WaitForReady(seconds(10))) << client->last_error();
  const uint16_t port = app_->port();
  client_.reset();
  app_->Stop();
  app_.reset();
  for (int i = 0; i < 200 && client->connected(); ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_FALSE(client->connected());
  EXPECT_TRUE(client->GetBoolean("checkout", false, Enterprise("acme")));

  server::ServerOptions options;
  options.data_dir = data_dir_ + "/data";
  options.listen = "127.0.0.1:" + std::to_string(port);
  options.io_threads = 2;
  options.worker_threads = 8;
  Result<std::unique_ptr<server::ServerApp>> restarted =
      server::ServerApp::Start(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  app_ = std::move(restarted).value();
  client_ = std::make_unique<HttpClient>(app_->port());
  SetTenantLimit("acme");
  EXPECT_TRUE(WaitLimited(*client, "acme", seconds(15)))
      << client->last_error();
  EXPECT_TRUE(client->connected());
}

// Issue 16: without the environment option the client follows the sdk
// token's own environment (it used to ask for development: a bare 403).
TEST_F(FlagClientTest, LearnsItsEnvironmentFromTheToken) {
  HttpReply flag = client_->Send("POST", "/v1/flags?environment=production",
                                 admin_token_, kFlag);
  ASSERT_EQ(flag.status, 201) << flag.body;
  auto client = StartClient(CreateToken("sdk", "", "production"));
  ASSERT_TRUE(client->WaitForReady(seconds(10))) << client->last_error();
  EXPECT_EQ(client->environment(), "production");
  EXPECT_EQ(client->tenant(), "");
  EXPECT_TRUE(client->GetBoolean("checkout", false, Enterprise("acme")));
}

// Issue 16: an environment option the token is not bound to is refused, and
// the client's error names both sides.
TEST_F(FlagClientTest, EnvironmentMismatchNamesBothSides) {
  auto client =
      StartClient(CreateToken("sdk", "", "staging"), std::string("production"));
  EXPECT_FALSE(client->WaitForReady(milliseconds(500)));
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (client->last_error().empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_NE(client->last_error().find(
                "403): the sdk token is bound to environment staging; the "
                "client asked for production"),
            std::string::npos)
      << client->last_error();
  EXPECT_EQ(client->environment(), "");
}

TEST_F(FlagClientTest, EnvironmentOptionThatIsNotANameNeverConnects) {
  auto client = StartClient({}, "production\r\nX-Injected: 1");
  EXPECT_FALSE(client->WaitForReady(milliseconds(200)));
  EXPECT_NE(client->last_error().find("environment must be a name"),
            std::string::npos)
      << client->last_error();
}

TEST_F(FlagClientTest, RefusedTokenNeverBecomesReady) {
  auto client = StartClient("wdn_not_a_token");
  EXPECT_FALSE(client->WaitForReady(milliseconds(500)));
  EXPECT_NE(client->last_error().find("401"), std::string::npos)
      << client->last_error();
  EXPECT_EQ(client->Evaluate("checkout", {}).error_code, "PROVIDER_NOT_READY");
}

}  // namespace
}  // namespace warden::testing_http
