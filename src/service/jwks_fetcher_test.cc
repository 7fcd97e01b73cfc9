// JwksFetcher bounds: a peer that accepts but never answers costs at most
// the timeout; bad URLs and files are refused with the reason.
#include "service/jwks_fetcher.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>

namespace warden {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST(JwksFetcherTest, SilentPeerTimesOut) {
  asio::io_context ioc;
  // Listening but never accepting: the kernel completes the handshake and
  // queues the request; no answer ever comes.
  tcp::acceptor silent(ioc,
                       tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  JwksFetchLimits limits;
  limits.timeout = std::chrono::milliseconds(300);
  JwksFetcher fetcher(limits);
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> fetched = fetcher.FetchUri(
      "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) +
      "/jwks");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(fetched.status().message().find("timed out"), std::string::npos)
      << fetched.status().message();
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(JwksFetcherTest, RefusesBadUrls) {
  JwksFetcher fetcher;
  for (const char* uri : {"", "not a url", "ftp://127.0.0.1/x", "/relative"}) {
    SCOPED_TRACE(uri);
    Result<std::string> fetched = fetcher.FetchUri(uri);
    ASSERT_FALSE(fetched.ok());
    EXPECT_EQ(fetched.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(JwksFetcherTest, RefusesRelativeAndMissingFiles) {
  JwksFetcher fetcher;
  EXPECT_FALSE(fetcher.ReadFile("jwks.json").ok());
  EXPECT_FALSE(fetcher.ReadFile("/nonexistent/warden/jwks.json").ok());
}

}  // namespace
}  // namespace warden
