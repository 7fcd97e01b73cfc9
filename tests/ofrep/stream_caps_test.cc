// Open streams are capped per API token (one token cannot
// hold every slot) and per server; over either cap, 503 with Retry-After.
// A closed stream gives its slot back. Both stream routes share the caps.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "../integration/server_fixture.h"
#include "sse_reader.h"

namespace warden::testing_http {
namespace {

constexpr char kTarget[] = "/v1/stream?environment=development";
constexpr char kEvents[] = "/ofrep/v1/events";

class StreamCapsTest : public ServerFixture {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.max_streams_per_token = 2;
    options.max_streams = 3;
  }
  std::unique_ptr<SseReader> Open(const std::string& token,
                                  const char* target = kTarget) {
    return std::make_unique<SseReader>(app_->port(), target, token);
  }
};

TEST_F(StreamCapsTest, OneTokenCannotTakeEverySlot) {
  const std::string greedy = CreateToken("sdk", "", "development");
  const std::string other = CreateToken("sdk", "", "development");
  std::vector<std::unique_ptr<SseReader>> held;
  held.push_back(Open(greedy));
  held.push_back(Open(greedy, kEvents));  // the OFREP stream counts too
  for (auto& reader : held) ASSERT_EQ(reader->status(), 200);

  auto refused = Open(greedy);
  EXPECT_EQ(refused->status(), 503) << refused->header();
  EXPECT_NE(refused->header().find("Retry-After: 10"), std::string::npos)
      << refused->header();
  EXPECT_NE(refused->header().find("application/problem+json"),
            std::string::npos);

  // Another token still gets the server's last slot, and then the server
  // is full for everyone.
  auto third = Open(other);
  EXPECT_EQ(third->status(), 200) << third->header();
  auto full = Open(other);
  EXPECT_EQ(full->status(), 503) << full->header();
  EXPECT_NE(full->header().find("Retry-After"), std::string::npos);

  // A stream that ends frees its slot (noticed when the server sees the
  // connection close).
  held.pop_back();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = Open(greedy)->status();
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace warden::testing_http
