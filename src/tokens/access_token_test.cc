#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/access_token_issuer.h"
#include "tokens/access_token_verifier.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kIssuer[] = "https://warden.example";
constexpr char kAudience[] = "https://api.example";
const Timestamp kStart = FromMicros(int64_t{1'800'000'000} * 1'000'000);

std::string B64(std::string_view s) { return Base64UrlEncode(s); }

class AccessTokenTest : public testing::Test {
 protected:
  AccessTokenTest()
      : clock_(kStart),
        ring_(SigningKeyRing::Create({}, {}, kStart).value()),
        issuer_(kIssuer, *ring_, lifetimes_, clock_),
        verifier_(Options(), *ring_, clock_) {}

  static AccessTokenVerifierOptions Options() {
    AccessTokenVerifierOptions o;
    o.issuer = kIssuer;
    o.audience = kAudience;
    o.leeway = seconds(10);
    return o;
  }

  AccessTokenRequest Request() {
    AccessTokenRequest r;
    r.subject = "0192f6a4-0000-7000-8000-000000000001";
    r.client_id = "billing-sync";
    r.audience = {kAudience};
    r.scopes = {"invoices:read", "invoices:write"};
    r.tenant = "acme";
    r.lifetime.environment = Environment::kProduction;
    r.lifetime.risk_tier = RiskTier::kHigh;
    return r;
  }

  std::string Issue() {
    auto issued = issuer_.Issue(Request());
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued->token;
  }

  std::optional<TokenError> Refusal(std::string_view token) {
    auto claims = verifier_.Verify(token);
    EXPECT_FALSE(claims.ok());
    return claims.ok() ? std::nullopt : TokenErrorOf(claims.status());
  }

  // Signs arbitrary header and claims JSON with the ring's current key.
  std::string Forge(const boost::json::object& header,
                    const boost::json::object& claims) {
    const std::string input = B64(boost::json::serialize(header)) + "." +
                              B64(boost::json::serialize(claims));
    auto sig = ring_->Published()->current->Sign(input);
    return input + "." + B64(*sig);
  }

  boost::json::object Header() {
    return {{"alg", "EdDSA"},
            {"typ", "at+jwt"},
            {"kid", ring_->Published()->current->kid()}};
  }

  boost::json::object Claims() {
    auto token = Issue();
    auto payload = Base64UrlDecode(token.substr(
        token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
    return boost::json::parse(*payload).as_object();
  }

  ManualClock clock_;
  LifetimePolicy lifetimes_;
  std::unique_ptr<SigningKeyRing> ring_;
  AccessTokenIssuer issuer_;
  AccessTokenVerifier verifier_;
};

TEST_F(AccessTokenTest, IssuedTokenVerifiesWithRfc9068Claims) {
  auto issued = issuer_.Issue(Request());
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->expires_in, minutes(10));  // production high
  auto parsed = ParseCompactJws(issued->token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.typ, "at+jwt");
  EXPECT_EQ(parsed->header.kid, issued->kid);
  const auto payload = boost::json::parse(parsed->payload).as_object();
  for (const char* claim :
       {"iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"}) {
    EXPECT_TRUE(payload.contains(claim)) << claim;
  }
  EXPECT_EQ(payload.at("scope").as_string(), "invoices:read invoices:write");
  EXPECT_EQ(payload.at("tenant").as_string(), "acme");

  auto claims = verifier_.Verify(issued->token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, Request().subject);
  EXPECT_EQ(claims->client_id, "billing-sync");
  EXPECT_EQ(claims->scopes, Request().scopes);
  EXPECT_EQ(claims->tenant, "acme");
  EXPECT_EQ(claims->jwt_id, issued->claims.jwt_id);
  EXPECT_EQ(claims->expires_at, kStart + minutes(10));
}

TEST_F(AccessTokenTest, JwtIdsAreUnique) {
  auto a = issuer_.Issue(Request());
  auto b = issuer_.Issue(Request());
  EXPECT_NE(a->claims.jwt_id, b->claims.jwt_id);
}

TEST_F(AccessTokenTest, Es256TokensVerify) {
  KeyRotationPolicy p;
  p.algorithm = JwsAlgorithm::kES256;
  auto ring = SigningKeyRing::Create(p, {}, kStart).value();
  AccessTokenIssuer issuer(kIssuer, *ring, lifetimes_, clock_);
  AccessTokenVerifier verifier(Options(), *ring, clock_);
  auto issued = issuer.Issue(Request());
  ASSERT_TRUE(issued.ok());
  EXPECT_TRUE(verifier.Verify(issued->token).ok());
  EXPECT_EQ(TokenErrorOf(verifier_.Verify(issued->token).status()),
            TokenError::kUnknownKey);
}

TEST_F(AccessTokenTest, RefusesAlgNone) {
  auto header = Header();
  header["alg"] = "none";
  const std::string token = B64(boost::json::serialize(header)) + "." +
                            B64(boost::json::serialize(Claims())) + ".";
  EXPECT_EQ(Refusal(token), TokenError::kAlgNone);
}

TEST_F(AccessTokenTest, RefusesHs256SignedWithThePublicKey) {
  auto header = Header();
  header["alg"] = "HS256";
  const std::string input = B64(boost::json::serialize(header)) + "." +
                            B64(boost::json::serialize(Claims()));
  const std::string& secret =
      ring_->Published()->current->public_key()->public_bytes();
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &len);
  EXPECT_EQ(Refusal(input + "." +
                    B64(std::string_view(reinterpret_cast<char*>(mac), len))),
            TokenError::kAlgNotAllowed);
}

TEST_F(AccessTokenTest, RefusesTamperedPayload) {
  const std::string token = Issue();
  auto claims = Claims();
  claims["scope"] = "admin";
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  const std::string forged = token.substr(0, dot1 + 1) +
                             B64(boost::json::serialize(claims)) +
                             token.substr(dot2);
  EXPECT_EQ(Refusal(forged), TokenError::kBadSignature);
}

TEST_F(AccessTokenTest, RefusesUnknownKid) {
  auto header = Header();
  header["kid"] = "not-a-published-kid";
  EXPECT_EQ(Refusal(Forge(header, Claims())), TokenError::kUnknownKey);
  header.erase("kid");
  EXPECT_EQ(Refusal(Forge(header, Claims())), TokenError::kUnknownKey);
}

TEST_F(AccessTokenTest, RefusesWrongAudience) {
  auto claims = Claims();
  claims["aud"] = "https://other.example";
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kWrongAudience);
  claims["aud"] = boost::json::array{"https://other.example", kAudience};
  EXPECT_TRUE(verifier_.Verify(Forge(Header(), claims)).ok());
}

TEST_F(AccessTokenTest, RefusesWrongIssuer) {
  auto claims = Claims();
  claims["iss"] = "https://evil.example";
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kWrongIssuer);
}

TEST_F(AccessTokenTest, RefusesOtherTyp) {
  auto header = Header();
  header["typ"] = "JWT";
  EXPECT_EQ(Refusal(Forge(header, Claims())), TokenError::kWrongType);
  header.erase("typ");
  EXPECT_EQ(Refusal(Forge(header, Claims())), TokenError::kWrongType);
  header["typ"] = "application/AT+JWT";
  EXPECT_TRUE(verifier_.Verify(Forge(header, Claims())).ok());
}

TEST_F(AccessTokenTest, RefusesExpiredWithLeeway) {
  const std::string token = Issue();
  clock_.Advance(minutes(10) + seconds(9));
  EXPECT_TRUE(verifier_.Verify(token).ok());  // within 10 s leeway
  clock_.Advance(seconds(1));
  EXPECT_EQ(Refusal(token), TokenError::kExpired);
}

TEST_F(AccessTokenTest, RefusesNotYetValid) {
  auto claims = Claims();
  claims["nbf"] = ToUnixSeconds(kStart + minutes(1));
  const std::string token = Forge(Header(), claims);
  EXPECT_EQ(Refusal(token), TokenError::kNotYetValid);
  clock_.Advance(minutes(1) - seconds(10));
  EXPECT_TRUE(verifier_.Verify(token).ok());
  claims = Claims();
  claims["iat"] = ToUnixSeconds(clock_.Now() + minutes(5));
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kNotYetValid);
}

TEST_F(AccessTokenTest, RefusesMalformedAndMissingClaims) {
  EXPECT_EQ(Refusal("not a token"), TokenError::kMalformed);
  EXPECT_EQ(Refusal(Issue() + "x"), TokenError::kMalformed);
  boost::json::object header = Header();
  const std::string input =
      B64(boost::json::serialize(header)) + "." + B64("not json");
  auto sig = ring_->Published()->current->Sign(input);
  EXPECT_EQ(Refusal(input + "." + B64(*sig)), TokenError::kMalformed);
  for (const char* claim :
       {"iss", "sub", "aud", "exp", "iat", "jti", "client_id"}) {
    auto claims = Claims();
    claims.erase(claim);
    EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMissingClaim)
        << claim;
  }
  auto claims = Claims();
  claims["exp"] = "tomorrow";
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMalformed);
  claims = Claims();
  claims["scope"] = "a  b";
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kInvalidClaim);
}

// RFC 8705 section 3.1: cnf.x5t#S256 round-trips; other confirmation
// methods are ignored; a cnf of the wrong shape is malformed.
TEST_F(AccessTokenTest, CertificateBindingRoundTrips) {
  AccessTokenRequest request = Request();
  request.certificate_thumbprint =
      "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2";
  auto issued = issuer_.Issue(request);
  ASSERT_TRUE(issued.ok());
  auto claims = verifier_.Verify(issued->token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->certificate_thumbprint, request.certificate_thumbprint);
  EXPECT_FALSE(verifier_.Verify(Issue())->certificate_thumbprint.has_value());

  auto other = Claims();
  other["cnf"] = boost::json::object{{"jkt", "abc"}};  // DPoP: not ours
  auto verified = verifier_.Verify(Forge(Header(), other));
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->certificate_thumbprint.has_value());
  for (boost::json::value bad :
       {boost::json::value("x5t"),
        boost::json::value(boost::json::object{{"x5t#S256", 7}}),
        boost::json::value(boost::json::object{{"x5t#S256", ""}})}) {
    auto claims = Claims();
    claims["cnf"] = bad;
    EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMalformed);
  }
}

// Found by tokens_jwt_fuzzer (fuzz/regressions/tokens_jwt_fuzzer/
// numeric_date_overflow): an exp of 18000003000000 seconds overflowed the
// microsecond Timestamp (UBSan: signed integer overflow).
TEST_F(AccessTokenTest, NumericDateBeyondYear9999IsMalformed) {
  auto claims = Claims();
  claims["exp"] = int64_t{18000003000000};
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMalformed);
  claims["exp"] = 253402300800.0;
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMalformed);
  claims = Claims();
  claims["iat"] = -1;
  EXPECT_EQ(Refusal(Forge(Header(), claims)), TokenError::kMalformed);
}

TEST_F(AccessTokenTest, IssuerRefusesBadRequests) {
  auto r = Request();
  r.subject.clear();
  EXPECT_FALSE(issuer_.Issue(r).ok());
  r = Request();
  r.scopes.push_back("has space");
  EXPECT_FALSE(issuer_.Issue(r).ok());
  r = Request();
  r.lifetime.identity_expires_at = kStart - seconds(1);
  EXPECT_EQ(issuer_.Issue(r).status().problem(), "identity-expired");
}

}  // namespace
}  // namespace warden::tokens
