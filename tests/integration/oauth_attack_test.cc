// What an attacker would try against Warden's tokens, each refused both at
// introspection (active: false) and by a resource server verifying with the
// published JWKS (with the specific refusal reason): alg none, HS256 signed
// with the public key, a tampered payload, an unknown kid, a wrong audience,
// a typ other than at+jwt, an expired token, and (at the token endpoint) a
// wrong secret whose refusal time does not depend on the matching prefix.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/crypto.h"
#include "oauth_test_support.h"
#include "tokens/access_token_verifier.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"
#include "tokens/token_error.h"

namespace warden::testing_http {
namespace {

using tokens::TokenError;

std::string Segment(std::string_view json) { return Base64UrlEncode(json); }

// header.payload of a real token, split.
struct Parts {
  std::string header, payload, signature;
};

Parts Split(const std::string& token) {
  const size_t a = token.find('.');
  const size_t b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1),
          token.substr(b + 1)};
}

std::string DecodedJson(const std::string& segment) {
  Result<std::string> text = Base64UrlDecode(segment);
  return text.ok() ? *text : std::string();
}

class OAuthAttackTest : public OAuthFixture {
 protected:
  // The timing test sends 42 wrong secrets from one address; the per-source
  // failure limit (its own tests: abuse_limits_test.cc) would answer 429.
  void Configure(server::ServerOptions& options) override {
    options.auth_failure_rate = 1000;
  }
  void SetUp() override {
    OAuthFixture::SetUp();
    token_ = Token();
    auto jwks = tokens::Jwks::Parse(client_->Get("/oauth/jwks").body);
    ASSERT_TRUE(jwks.ok());
    jwks_ = *jwks;
  }

  // The refusal a resource server would see, at `now` (default: real time).
  std::optional<TokenError> Refusal(const std::string& token,
                                    std::string audience = {},
                                    std::chrono::seconds skew = {}) {
    tokens::AccessTokenVerifierOptions options;
    options.issuer = app_->url();
    options.audience = audience.empty() ? app_->url() : audience;
    ManualClock clock(SystemClock().Now() + skew);
    tokens::AccessTokenVerifier verifier(options, *jwks_, clock);
    auto claims = verifier.Verify(token);
    if (claims.ok()) return std::nullopt;
    return tokens::TokenErrorOf(claims.status());
  }

  std::string WithHeader(const std::string& header_json) {
    Parts parts = Split(token_);
    return Segment(header_json) + "." + parts.payload + "." + parts.signature;
  }

  std::string token_;
  std::shared_ptr<const tokens::Jwks> jwks_;
};

TEST_F(OAuthAttackTest, GenuineTokenIsAcceptedAsBaseline) {
  EXPECT_EQ(Refusal(token_), std::nullopt);
  EXPECT_TRUE(Active(token_));
}

TEST_F(OAuthAttackTest, AlgNoneIsRefused) {
  Parts parts = Split(token_);
  const std::string forged =
      Segment(R"({"alg":"none","typ":"at+jwt"})") + "." + parts.payload + ".";
  EXPECT_EQ(Refusal(forged), TokenError::kAlgNone);
  EXPECT_FALSE(Active(forged));
}

TEST_F(OAuthAttackTest, Hs256SignedWithThePublicKeyIsRefused) {
  const auto& key = jwks_->keys().front();
  const std::string header =
      Segment(R"({"alg":"HS256","typ":"at+jwt","kid":")" + key->kid() + "\"}");
  const std::string input = header + "." + Split(token_).payload;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  const std::string secret = key->public_bytes();
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(secret.data()),
      secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(input.data()),
      input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  const std::string forged =
      input + "." +
      Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), sizeof(mac)));
  EXPECT_EQ(Refusal(forged), TokenError::kAlgNotAllowed);
  EXPECT_FALSE(Active(forged));
}

TEST_F(OAuthAttackTest, TamperedPayloadIsRefused) {
  Parts parts = Split(token_);
  boost::json::object claims =
      boost::json::parse(DecodedJson(parts.payload)).as_object();
  claims["scope"] = "orders:read orders:write admin:all";
  const std::string forged = parts.header + "." +
                             Segment(boost::json::serialize(claims)) + "." +
                             parts.signature;
  EXPECT_EQ(Refusal(forged), TokenError::kBadSignature);
  EXPECT_FALSE(Active(forged));
}

TEST_F(OAuthAttackTest, UnknownKidIsRefused) {
  auto attacker = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(attacker.ok());
  auto forged = tokens::SignCompactJws(**attacker, "at+jwt",
                                       DecodedJson(Split(token_).payload));
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(Refusal(*forged), TokenError::kUnknownKey);
  EXPECT_FALSE(Active(*forged));
}

TEST_F(OAuthAttackTest, WrongAudienceIsRefused) {
  EXPECT_EQ(Refusal(token_, "https://other-api.example"),
            TokenError::kWrongAudience);
  // A token asked for another resource still carries that audience only in
  // addition to Warden's.
  const std::string scoped = Token("&audience=https%3A%2F%2Fpayments.example");
  EXPECT_EQ(Refusal(scoped, "https://payments.example"), std::nullopt);
  EXPECT_EQ(Refusal(scoped, "https://other-api.example"),
            TokenError::kWrongAudience);
}

TEST_F(OAuthAttackTest, TypOtherThanAtJwtIsRefused) {
  boost::json::object header =
      boost::json::parse(DecodedJson(Split(token_).header)).as_object();
  header["typ"] = "JWT";
  const std::string forged = WithHeader(boost::json::serialize(header));
  EXPECT_EQ(Refusal(forged), TokenError::kWrongType);
  EXPECT_FALSE(Active(forged));
}

TEST_F(OAuthAttackTest, ExpiredTokenIsRefused) {
  const std::string short_lived = Token("&expires_in=60");
  EXPECT_EQ(Refusal(short_lived), std::nullopt);
  EXPECT_EQ(Refusal(short_lived, {}, std::chrono::seconds(120)),
            TokenError::kExpired);
}

// The secret check hashes the presented secret and compares fixed-length
// digests in constant time, so a long matching prefix buys nothing. Compare
// the median refusal time of a near-miss and of a total miss.
TEST_F(OAuthAttackTest, WrongSecretTimingDoesNotDependOnMatchingPrefix) {
  std::string near_miss = secret_;
  near_miss.back() = near_miss.back() == 'A' ? 'B' : 'A';
  const std::string far_miss(secret_.size(), 'x');
  // Interleaved, so load from other processes hits both alike.
  std::vector<double> near_samples, far_samples;
  auto time_one = [&](const std::string& secret) {
    const auto start = std::chrono::steady_clock::now();
    HttpReply reply = RequestToken(id_, secret);
    const auto end = std::chrono::steady_clock::now();
    EXPECT_EQ(reply.status, 401);
    return std::chrono::duration<double>(end - start).count();
  };
  for (int i = 0; i < 21; ++i) {
    near_samples.push_back(time_one(near_miss));
    far_samples.push_back(time_one(far_miss));
  }
  auto median = [](std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
  };
  const double near = median(near_samples);
  const double far = median(far_samples);
  // Audit writes dominate both; a prefix-dependent compare would not show
  // at this scale anyway, so this guards against gross differences (e.g.
  // an early return before hashing or auditing).
  EXPECT_LT(std::max(near, far) / std::min(near, far), 4.0)
      << "near " << near << " far " << far;
}

}  // namespace
}  // namespace warden::testing_http
