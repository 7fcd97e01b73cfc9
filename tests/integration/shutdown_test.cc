// Graceful shutdown: a request in flight when Stop() is called completes
// (and its write is durable); new connections are refused meanwhile.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "handler_gate.h"
#include "server_fixture.h"

namespace warden::testing_http {
namespace {

class ShutdownTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.before_handler_for_test = [this] { gate_.Pass(); };
    options_ = options;
  }
  HandlerGate gate_;
  server::ServerOptions options_;
};

TEST_F(ShutdownTest, InFlightRequestCompletesAcrossStop) {
  const uint16_t port = app_->port();
  gate_.Arm();
  std::string token = admin_token_;
  auto in_flight = std::async(std::launch::async, [port, token] {
    HttpClient client(port);
    return client.Post("/v1/teams", token,
                       boost::json::object{{"name", "late-team"}});
  });
  ASSERT_TRUE(gate_.WaitEntered());

  auto stopped = std::async(std::launch::async, [this] { app_->Stop(); });
  // Stop() must wait for the held request.
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(300)),
            std::future_status::timeout);
  // The listener is closed: a new connection gets no answer.
  HttpClient newcomer(port);
  EXPECT_EQ(newcomer.Get("/healthz").status, 0);

  gate_.Open();
  HttpReply reply = in_flight.get();
  EXPECT_EQ(reply.status, 201) << reply.error << reply.body;
  EXPECT_EQ(reply.header("connection"), "close");
  stopped.get();

  // The write was committed before the store closed: restart and read it.
  gate_.armed = false;
  app_.reset();
  Result<std::unique_ptr<server::ServerApp>> again =
      server::ServerApp::Start(options_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  app_ = std::move(again).value();
  HttpClient client(app_->port());
  EXPECT_EQ(client.Get("/v1/teams/late-team", admin_token_).status, 200);
}

TEST_F(ShutdownTest, StopIsIdempotentAndIdleConnectionsDoNotBlockIt) {
  HttpClient idle(app_->port());
  ASSERT_EQ(idle.Get("/healthz").status, 200);  // connection stays open
  auto start = std::chrono::steady_clock::now();
  app_->Stop();
  app_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace warden::testing_http
