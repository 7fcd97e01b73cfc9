#include "http/api_request_parser.h"

#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>
#include <string>
#include <string_view>

namespace warden {
namespace {

namespace http = boost::beast::http;

// Feeds `wire` in pieces of `step` bytes, as reads from a socket would
// deliver it; returns the error of the first failing put (or none).
boost::beast::error_code Feed(ApiRequestParser& parser, std::string_view wire,
                              size_t step) {
  boost::beast::error_code ec;
  std::string pending;
  for (size_t at = 0; at < wire.size() && !parser.is_done(); at += step) {
    pending.append(wire.substr(at, step));
    // Beast consumes a header and its body in separate calls.
    size_t used = 0;
    do {
      used =
          parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
      pending.erase(0, used);
      if (ec == http::error::need_more) ec = {};
      if (ec) return ec;
    } while (used > 0 && !pending.empty() && !parser.is_done());
  }
  return ec;
}

constexpr std::string_view kOfrepRequest =
    "POST /ofrep/v1/evaluate/flags/new-checkout HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "X-API-Key: sdk-key\r\n"
    "x-api-key: second-key\r\n"
    "Content-Type: application/json\r\n"
    "User-Agent: wrk\r\n"
    "Content-Length: 14\r\n"
    "\r\n"
    "{\"context\":{}}";

TEST(ApiRequestParserTest, StoresTheRequestLineTheApiFieldsAndTheBody) {
  for (size_t step : {size_t{1}, size_t{7}, kOfrepRequest.size()}) {
    ApiRequestParser parser;
    ASSERT_FALSE(Feed(parser, kOfrepRequest, step)) << "step " << step;
    ASSERT_TRUE(parser.is_done());
    EXPECT_TRUE(parser.keep_alive());
    ApiRequest request = parser.Release();
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/ofrep/v1/evaluate/flags/new-checkout");
    EXPECT_EQ(request.api_key, "sdk-key");  // the first of repeated fields
    EXPECT_EQ(request.user_agent, "wrk");
    EXPECT_EQ(request.body, "{\"context\":{}}");
    EXPECT_TRUE(request.authorization.empty());
  }
}

TEST(ApiRequestParserTest, ReadsEveryHeaderTheApiUses) {
  ApiRequestParser parser;
  ASSERT_FALSE(Feed(parser,
                    "GET /v1/stream HTTP/1.1\r\nAuthorization: Bearer t\r\n"
                    "If-Match: \"a\"\r\nIf-None-Match: \"b\"\r\n"
                    "LAST-EVENT-ID: 42\r\nConnection: close\r\n\r\n",
                    1000));
  ASSERT_TRUE(parser.is_done());
  EXPECT_FALSE(parser.keep_alive());
  ApiRequest request = parser.Release();
  EXPECT_EQ(request.authorization, "Bearer t");
  EXPECT_EQ(request.if_match, "\"a\"");
  EXPECT_EQ(request.if_none_match, "\"b\"");
  EXPECT_EQ(request.last_event_id, "42");
  EXPECT_TRUE(request.body.empty());
}

TEST(ApiRequestParserTest, DecodesAChunkedBody) {
  ApiRequestParser parser;
  ASSERT_FALSE(Feed(parser,
                    "POST /v1/teams HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                    "\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                    5));
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(parser.Release().body, "abcde");
}

TEST(ApiRequestParserTest, RefusesABodyOverTheLimit) {
  ApiRequestParser parser;
  parser.body_limit(4);
  EXPECT_EQ(
      Feed(parser, "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde", 64),
      http::error::body_limit);
  ApiRequestParser chunked;
  chunked.body_limit(4);
  EXPECT_EQ(Feed(chunked,
                 "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                 64),
            http::error::body_limit);
}

TEST(ApiRequestParserTest, RefusesAHeaderOverTheLimit) {
  ApiRequestParser parser;
  parser.header_limit(32);
  EXPECT_EQ(
      Feed(parser,
           "GET / HTTP/1.1\r\nUser-Agent: " + std::string(64, 'a') + "\r\n\r\n",
           1000),
      http::error::header_limit);
}

TEST(ApiRequestParserTest, RefusesAMalformedRequestLine) {
  ApiRequestParser parser;
  EXPECT_TRUE(Feed(parser, "GET\r\n\r\n", 100));
  EXPECT_FALSE(parser.is_done());
}

TEST(BearerCredentialTest, ReadsTheSchemeOrABareWardenToken) {
  EXPECT_EQ(BearerCredential("Bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("bEaReR  abc"), "abc");
  EXPECT_EQ(BearerCredential("wdn_abc"), "wdn_abc");
  EXPECT_EQ(BearerCredential("Basic abc"), "");
  EXPECT_EQ(BearerCredential("abc"), "");
  EXPECT_EQ(BearerCredential("wdn_a b"), "");
}

}  // namespace
}  // namespace warden
