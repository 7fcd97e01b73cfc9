// Failed authentication on OFREP and the streams must not
// wait on an fsync on an I/O thread. A flood of bad API keys (each a store
// read and an audit write) is in flight while the store's writer is held
// inside its fsync (FaultInjector::HoldSyncs); a client whose key is cached
// must still be answered meanwhile, by the one I/O thread. Before the fix the
// first bad key held that thread until the disk came back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "server_fixture.h"
#include "store/sqlite/fault_injector.h"

namespace warden::testing_http {
namespace {

constexpr char kBulk[] = "/ofrep/v1/evaluate/flags";

class OfrepAuthFloodTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.store_faults = &faults_;
    options.io_threads = 1;            // one thread to block: deterministic
    options.auth_failure_rate = 1000;  // every bad key reaches the store
  }
  void TearDown() override {
    faults_.ReleaseSyncs();
    ServerFixture::TearDown();
  }

  static HttpReply Evaluate(uint16_t port, const std::string& key) {
    HttpClient client(port);
    return client.Send("POST", kBulk, {}, R"({"context": {}})",
                       {{"X-API-Key", key}});
  }

  FaultInjector faults_;  // outlives the server (TearDown stops it first)
};

TEST_F(OfrepAuthFloodTest, CachedClientIsServedWhileBadKeysWaitOnTheWriter) {
  const std::string good = CreateToken("sdk", "", "development");
  const uint16_t port = app_->port();
  // The good key is authenticated (and its access audited) once: cached.
  ASSERT_EQ(Evaluate(port, good).status, 200);

  faults_.HoldSyncs();
  // A watchdog so that a regression fails instead of hanging: it lets the
  // disk go after 15 s and says so.
  std::atomic<bool> released_by_watchdog{false};
  std::promise<void> done;
  std::thread watchdog([&, finished = done.get_future()]() mutable {
    if (finished.wait_for(std::chrono::seconds(15)) ==
        std::future_status::timeout) {
      released_by_watchdog = true;
      faults_.ReleaseSyncs();
    }
  });

  std::vector<std::future<HttpReply>> bad;
  for (int i = 0; i < 50; ++i) {
    bad.push_back(std::async(std::launch::async, [port, i] {
      return Evaluate(port, "wdn_not-a-real-token-" + std::to_string(i));
    }));
  }
  // A bad key's audit record is waiting in the held fsync.
  ASSERT_TRUE(faults_.WaitUntilSyncHeld(std::chrono::seconds(10)));

  HttpReply served = Evaluate(port, good);
  EXPECT_EQ(served.status, 200) << served.error << served.body;
  EXPECT_FALSE(released_by_watchdog.load())
      << "the cached client waited for the held fsync";

  faults_.ReleaseSyncs();
  done.set_value();
  watchdog.join();
  for (auto& reply : bad) {
    const int status = reply.get().status;
    EXPECT_TRUE(status == 401 || status == 429) << status;
  }
}

}  // namespace
}  // namespace warden::testing_http
