#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/client_assertion_validator.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kClient[] = "billing-sync";
constexpr char kEndpoint[] = "https://warden.example/oauth/token";
constexpr char kIssuer[] = "https://warden.example";
const Timestamp kNow = FromMicros(int64_t{1'800'000'000} * 1'000'000);

std::string B64(std::string_view s) { return Base64UrlEncode(s); }

class ClientAssertionTest : public testing::Test {
 protected:
  ClientAssertionTest()
      : clock_(kNow),
        ed_(SigningKey::Generate(JwsAlgorithm::kEdDSA).value()),
        ec_(SigningKey::Generate(JwsAlgorithm::kES256).value()),
        keys_({ed_->public_key(), ec_->public_key()}),
        validator_(Options(), cache_, clock_) {}

  static ClientAssertionOptions Options() {
    ClientAssertionOptions o;
    o.token_endpoint = kEndpoint;
    o.issuer = kIssuer;
    o.leeway = seconds(5);
    return o;
  }

  boost::json::object Claims() {
    return {{"iss", kClient},
            {"sub", kClient},
            {"aud", kEndpoint},
            {"exp", ToUnixSeconds(kNow + minutes(2))},
            {"iat", ToUnixSeconds(kNow)},
            {"jti", "jti-" + std::to_string(next_jti_++)}};
  }

  std::string Sign(const SigningKey& key, const boost::json::object& claims,
                   std::string_view alg = {}, bool with_kid = true) {
    boost::json::object header{
        {"alg", alg.empty() ? Name(key.algorithm()) : alg}};
    if (with_kid) header["kid"] = key.kid();
    const std::string input = B64(boost::json::serialize(header)) + "." +
                              B64(boost::json::serialize(claims));
    return input + "." + B64(key.Sign(input).value());
  }

  std::optional<TokenError> Refusal(std::string_view assertion) {
    auto result = validator_.Validate(assertion, kClient, keys_);
    EXPECT_FALSE(result.ok());
    return result.ok() ? std::nullopt : TokenErrorOf(result.status());
  }

  ManualClock clock_;
  ReplayCache cache_;
  std::shared_ptr<const SigningKey> ed_;
  std::shared_ptr<const SigningKey> ec_;
  Jwks keys_;
  ClientAssertionValidator validator_;
  int next_jti_ = 0;
};

TEST_F(ClientAssertionTest, AcceptsEdDsaEd25519AndEs256) {
  for (auto assertion :
       {Sign(*ed_, Claims()), Sign(*ed_, Claims(), "Ed25519"),
        Sign(*ec_, Claims()), Sign(*ed_, Claims(), {}, /*with_kid=*/false)}) {
    auto result = validator_.Validate(assertion, kClient, keys_);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->client_id, kClient);
  }
}

TEST_F(ClientAssertionTest, AcceptsIssuerUrlAsAudience) {
  auto claims = Claims();
  claims["aud"] = boost::json::array{kIssuer};
  EXPECT_TRUE(validator_.Validate(Sign(*ed_, claims), kClient, keys_).ok());
}

TEST_F(ClientAssertionTest, PeekReadsTheClientId) {
  auto id = PeekClientAssertionClientId(Sign(*ed_, Claims()));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, kClient);
  auto claims = Claims();
  claims["sub"] = "someone-else";
  EXPECT_EQ(
      TokenErrorOf(PeekClientAssertionClientId(Sign(*ed_, claims)).status()),
      TokenError::kInvalidClaim);
}

TEST_F(ClientAssertionTest, RefusesReplayedAssertion) {
  const std::string assertion = Sign(*ed_, Claims());
  ASSERT_TRUE(validator_.Validate(assertion, kClient, keys_).ok());
  EXPECT_EQ(Refusal(assertion), TokenError::kReplayed);
}

TEST_F(ClientAssertionTest, RefusesWrongIssuerOrSubject) {
  auto claims = Claims();
  claims["iss"] = "other";
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kWrongIssuer);
  claims = Claims();
  claims["sub"] = "other";
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kInvalidClaim);
}

TEST_F(ClientAssertionTest, RefusesWrongAudience) {
  auto claims = Claims();
  claims["aud"] = "https://warden.example/other";
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kWrongAudience);
  claims.erase("aud");
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kWrongAudience);
}

TEST_F(ClientAssertionTest, RequiresBoundedExpAndJti) {
  auto claims = Claims();
  claims.erase("exp");
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kMissingClaim);
  claims = Claims();
  claims["exp"] = ToUnixSeconds(kNow + minutes(60));
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kInvalidClaim);
  claims = Claims();
  claims["exp"] = ToUnixSeconds(kNow - seconds(5));
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kExpired);
  claims = Claims();
  claims["nbf"] = ToUnixSeconds(kNow + minutes(1));
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kNotYetValid);
  claims = Claims();
  claims.erase("jti");
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kMissingClaim);
  claims = Claims();
  claims["jti"] = std::string(300, 'j');
  EXPECT_EQ(Refusal(Sign(*ed_, claims)), TokenError::kInvalidClaim);
  EXPECT_EQ(cache_.size(), 0u);  // refused assertions occupy no entry
}

TEST_F(ClientAssertionTest, RefusesUnregisteredKeysAndForgeries) {
  auto stranger = SigningKey::Generate(JwsAlgorithm::kEdDSA).value();
  EXPECT_EQ(Refusal(Sign(*stranger, Claims())), TokenError::kUnknownKey);
  EXPECT_EQ(Refusal(Sign(*stranger, Claims(), {}, false)),
            TokenError::kBadSignature);
  // Claims the Ed25519 key's kid but signs with ES256.
  boost::json::object header{{"alg", "ES256"}, {"kid", ed_->kid()}};
  const std::string input = B64(boost::json::serialize(header)) + "." +
                            B64(boost::json::serialize(Claims()));
  EXPECT_EQ(Refusal(input + "." + B64(ec_->Sign(input).value())),
            TokenError::kAlgNotAllowed);
  EXPECT_EQ(Refusal(B64(R"({"alg":"none"})") + "." +
                    B64(boost::json::serialize(Claims())) + "."),
            TokenError::kAlgNone);
}

TEST_F(ClientAssertionTest, RefusesAnAccessTokenAsAssertion) {
  boost::json::object header{
      {"alg", "EdDSA"}, {"kid", ed_->kid()}, {"typ", "at+jwt"}};
  const std::string input = B64(boost::json::serialize(header)) + "." +
                            B64(boost::json::serialize(Claims()));
  EXPECT_EQ(Refusal(input + "." + B64(ed_->Sign(input).value())),
            TokenError::kWrongType);
}

}  // namespace
}  // namespace warden::tokens
