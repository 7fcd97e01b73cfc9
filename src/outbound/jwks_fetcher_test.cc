// JwksFetcher bounds: a peer that accepts but never answers costs at most
// the timeout; bad URLs and files are refused with the reason.
#include "outbound/jwks_fetcher.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>

namespace warden::outbound {
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

// Plain http lets anyone on the path swap the keys: loopback only. Refused
// before any connection is attempted.
TEST(JwksFetcherTest, PlainHttpOnlyOnLoopback) {
  JwksFetcher fetcher;
  for (const char* uri : {"http://ci.example/jwks", "http://10.0.0.7/jwks",
                          "http://[fe80::1]/jwks"}) {
    SCOPED_TRACE(uri);
    Result<std::string> fetched = fetcher.FetchUri(uri);
    ASSERT_FALSE(fetched.ok());
    EXPECT_EQ(fetched.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(fetched.status().message().find("use https"), std::string::npos)
        << fetched.status().message();
  }
}

// Credentials in a URI (userinfo, query) never reach messages, which end up
// in problem bodies, audit details and logs.
TEST(JwksFetcherTest, MessagesLeaveOutUserinfoAndQuery) {
  asio::io_context ioc;
  tcp::acceptor closed(ioc,
                       tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::string port = std::to_string(closed.local_endpoint().port());
  closed.close();  // nothing listens: the connection is refused
  JwksFetcher fetcher;
  const std::string uris[] = {
      "http://user:s3cret@127.0.0.1:" + port + "/jwks?api_key=s3cret",
      "http://user:s3cret@ci.example/jwks?api_key=s3cret"};
  for (const std::string& uri : uris) {
    SCOPED_TRACE(uri);
    Result<std::string> fetched = fetcher.FetchUri(uri);
    ASSERT_FALSE(fetched.ok());
    EXPECT_EQ(fetched.status().message().find("s3cret"), std::string::npos)
        << fetched.status().message();
  }
}

TEST(JwksFetcherTest, RefusesRelativeAndMissingFiles) {
  JwksFetcher fetcher;
  EXPECT_FALSE(fetcher.ReadFile("jwks.json").ok());
  EXPECT_FALSE(fetcher.ReadFile("/nonexistent/warden/jwks.json").ok());
}

}  // namespace
}  // namespace warden::outbound
