// The SDK's TokenSource against a real server: fetches once, serves the
// cached token, refreshes before expiry, keeps serving the cached token
// while a refresh fails, and reports the server's error.
#include <gtest/gtest.h>

#include <atomic>

#include "oauth_test_support.h"
#include "tokens/access_token_claims.h"
#include "tokens/jws.h"
#include "warden/token_source.h"

namespace warden::testing_http {
namespace {

class TokenSourceTest : public OAuthFixture {
 protected:
  TokenSourceOptions Options() {
    TokenSourceOptions options;
    options.url = app_->url();
    options.client_id = id_;
    options.client_secret = secret_;
    options.scope = "orders:read";
    options.refresh_before = std::chrono::seconds(30);
    options.now = [this] { return now_.load(); };
    return options;
  }

  std::atomic<std::chrono::system_clock::time_point> now_{
      std::chrono::system_clock::now()};
};

TEST_F(TokenSourceTest, CachesThenRefreshesBeforeExpiry) {
  auto source = TokenSource::Create(Options());
  const std::string first = source->Token();
  ASSERT_FALSE(first.empty()) << source->last_error();
  EXPECT_TRUE(Active(first));
  EXPECT_EQ(source->Token(), first);
  EXPECT_EQ(source->fetches(), 1);
  // Production tokens live minutes; 29 minutes later the margin is reached.
  now_ = now_.load() + std::chrono::minutes(29);
  const std::string second = source->Token();
  EXPECT_EQ(source->fetches(), 2);
  EXPECT_NE(second, first);
}

TEST_F(TokenSourceTest, ReportsRefusalAndKeepsUnexpiredToken) {
  TokenSourceOptions options = Options();
  options.client_secret = "wrong";
  auto bad = TokenSource::Create(options);
  EXPECT_EQ(bad->Token(), "");
  EXPECT_NE(bad->last_error().find("invalid_client"), std::string::npos);

  auto source = TokenSource::Create(Options());
  const std::string token = source->Token();
  ASSERT_FALSE(token.empty());
  auto jws = tokens::ParseCompactJws(token);
  ASSERT_TRUE(jws.ok());
  auto claims = tokens::DecodeAccessTokenClaims(jws->payload);
  ASSERT_TRUE(claims.ok());
  const auto lifetime = claims->expires_at - claims->issued_at;
  // Rotate the secret away; inside the refresh margin the refresh fails but
  // the cached, unexpired token is still served.
  RegisterSecret(id_, 0);
  now_ = now_.load() + lifetime - std::chrono::seconds(10);
  EXPECT_EQ(source->Token(), token);
  EXPECT_EQ(source->fetches(), 2);
  EXPECT_NE(source->last_error().find("invalid_client"), std::string::npos);
  // Once it has expired, nothing is served.
  now_ = now_.load() + std::chrono::seconds(20);
  EXPECT_EQ(source->Token(), "");
}

}  // namespace
}  // namespace warden::testing_http
