// The token endpoint completes asynchronously (RouteCost::kAsync: the
// response leaves from the store's writer once the issuance's audit record
// is durable). A token request in flight when Stop() begins must still be
// answered, with its record on disk, and Stop() must wait for it.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "handler_gate.h"
#include "oauth_test_support.h"

namespace warden::testing_http {
namespace {

class OAuthAsyncShutdownTest : public OAuthFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.before_handler_for_test = [this] { gate_.Pass(); };
    options_ = options;
  }
  // The "oauth.token.issue" records with outcome ok, after a restart.
  size_t IssuedRecordsAfterRestart() {
    app_.reset();
    Result<std::unique_ptr<server::ServerApp>> again =
        server::ServerApp::Start(options_);
    EXPECT_TRUE(again.ok()) << again.status().ToString();
    if (!again.ok()) return 0;
    app_ = std::move(again).value();
    HttpClient client(app_->port());
    HttpReply reply = client.Get("/v1/audit?action=oauth.token.issue&limit=100",
                                 admin_token_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return 0;
    size_t ok = 0;
    const boost::json::value body = reply.json();
    for (const auto& item : body.at("items").as_array()) {
      ok += item.at("outcome").as_string() == "ok";
    }
    return ok;
  }

  HandlerGate gate_;
  server::ServerOptions options_;
};

TEST_F(OAuthAsyncShutdownTest, TokensAreIssuedAndAuditedThroughTheAsyncRoute) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Token().empty());
  HttpReply refused = RequestToken(id_, "wrong-secret");
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(IssuedRecordsAfterRestart(), 3u);
}

TEST_F(OAuthAsyncShutdownTest, TokenRequestInFlightAtStopIsAnsweredAndDurable) {
  const uint16_t port = app_->port();
  gate_.Arm();
  auto in_flight = std::async(std::launch::async, [&, port] {
    HttpClient client(port);
    return client.Send("POST", "/oauth/token", {},
                       "grant_type=client_credentials",
                       BasicHeaders(id_, secret_));
  });
  ASSERT_TRUE(gate_.WaitEntered());
  auto stopped = std::async(std::launch::async, [this] { app_->Stop(); });
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(300)),
            std::future_status::timeout)
      << "Stop() did not wait for the asynchronous request";
  gate_.Open();
  HttpReply reply = in_flight.get();
  ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
  EXPECT_FALSE(reply.json().at("access_token").as_string().empty());
  EXPECT_EQ(reply.header("connection"), "close");
  stopped.get();
  gate_.armed = false;
  EXPECT_EQ(IssuedRecordsAfterRestart(), 1u);
}

}  // namespace
}  // namespace warden::testing_http
