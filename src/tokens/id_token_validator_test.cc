#include "tokens/id_token_validator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/jwks.h"
#include "tokens/pkce.h"
#include "tokens/rsa_pkcs1.h"
#include "tokens/signing_key.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

constexpr char kIssuer[] = "https://idp.example.com";
constexpr char kClientId[] = "warden-console";
constexpr char kNonce[] = "n-0S6_WzA2Mj";
const Timestamp kNow = Timestamp{} + std::chrono::seconds(1'800'000'000);

int64_t Seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch())
      .count();
}

// A test RSA key pair: the provider's usual RS256 signer.
class RsaSigner {
 public:
  explicit RsaSigner(std::string kid, int bits = 2048) : kid_(std::move(kid)) {
    key_.reset(
        EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  }
  std::shared_ptr<const VerificationKey> PublicKey() const {
    std::string n, e;
    EXPECT_TRUE(rsa::PublicComponents(*key_, &n, &e).ok());
    auto key = VerificationKey::FromRsa(n, e, kid_);
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return *key;
  }
  // The public JWK, built without VerificationKey's checks.
  boost::json::object Jwk() const {
    std::string n, e;
    EXPECT_TRUE(rsa::PublicComponents(*key_, &n, &e).ok());
    return {{"kty", "RSA"},
            {"kid", kid_},
            {"use", "sig"},
            {"n", Base64UrlEncode(n)},
            {"e", Base64UrlEncode(e)}};
  }
  std::string Sign(const boost::json::object& header,
                   const boost::json::object& claims) const {
    std::string input = Base64UrlEncode(boost::json::serialize(header)) + "." +
                        Base64UrlEncode(boost::json::serialize(claims));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t size = 0;
    EXPECT_EQ(
        EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get()), 1);
    EVP_DigestSign(ctx, nullptr, &size,
                   reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string signature(size, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()),
                   &size, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    EVP_MD_CTX_free(ctx);
    return input + "." + Base64UrlEncode(signature);
  }
  std::string Sign(const boost::json::object& claims) const {
    return Sign({{"alg", "RS256"}, {"kid", kid_}, {"typ", "JWT"}}, claims);
  }

 private:
  std::string kid_;
  p256::KeyPtr key_;
};

boost::json::object GoodClaims() {
  return {{"iss", kIssuer},
          {"sub", "248289761001"},
          {"aud", kClientId},
          {"nonce", kNonce},
          {"iat", Seconds(kNow) - 5},
          {"exp", Seconds(kNow) + 300},
          {"preferred_username", "alice"},
          {"groups", boost::json::array{"warden-admins", 7, "staff"}}};
}

IdTokenExpectations Expected() {
  IdTokenExpectations expected;
  expected.issuer = kIssuer;
  expected.client_id = kClientId;
  expected.nonce = kNonce;
  return expected;
}

class IdTokenValidatorTest : public testing::Test {
 protected:
  IdTokenValidatorTest()
      : signer_("rsa-1"), jwks_(Jwks({signer_.PublicKey()})) {}

  std::optional<TokenError> ErrorOf(
      const std::string& token,
      const IdTokenExpectations& expected = Expected()) {
    auto claims = ValidateIdToken(token, jwks_, expected, kNow);
    EXPECT_FALSE(claims.ok()) << "accepted";
    return claims.ok() ? std::nullopt : TokenErrorOf(claims.status());
  }
  std::optional<TokenError> ErrorOfClaims(const boost::json::object& claims) {
    return ErrorOf(signer_.Sign(claims));
  }

  RsaSigner signer_;
  Jwks jwks_;
};

TEST_F(IdTokenValidatorTest, AcceptsAValidRs256Token) {
  auto claims =
      ValidateIdToken(signer_.Sign(GoodClaims()), jwks_, Expected(), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, "248289761001");
  EXPECT_EQ(claims->issuer, kIssuer);
  EXPECT_EQ(claims->kid, "rsa-1");
  EXPECT_EQ(claims->StringClaim("preferred_username"), "alice");
  EXPECT_EQ(claims->StringClaim("groups"), std::nullopt);
  EXPECT_EQ(claims->StringListClaim("groups"),
            (std::vector<std::string>{"warden-admins", "staff"}));
  EXPECT_EQ(claims->StringListClaim("preferred_username"),
            std::vector<std::string>{"alice"});
  EXPECT_TRUE(claims->StringListClaim("roles").empty());
}

TEST_F(IdTokenValidatorTest, AcceptsEs256AndEdDsaWithoutKid) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA}) {
    auto key = SigningKey::Generate(alg);
    ASSERT_TRUE(key.ok());
    auto token =
        SignCompactJws(**key, "JWT", boost::json::serialize(GoodClaims()));
    ASSERT_TRUE(token.ok());
    Jwks by_kid({(*key)->public_key()});
    EXPECT_TRUE(ValidateIdToken(*token, by_kid, Expected(), kNow).ok());
    // The same key under another kid: a header without kid still finds it.
    boost::json::object header{{"alg", Name(alg)}};
    std::string input = Base64UrlEncode(boost::json::serialize(header)) + "." +
                        Base64UrlEncode(boost::json::serialize(GoodClaims()));
    auto signature = (*key)->Sign(input);
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE(ValidateIdToken(input + "." + Base64UrlEncode(*signature),
                                by_kid, Expected(), kNow)
                    .ok());
  }
}

TEST_F(IdTokenValidatorTest, RefusesABadSignature) {
  const std::string token = signer_.Sign(GoodClaims());
  boost::json::object forged_claims = GoodClaims();
  forged_claims["preferred_username"] = "root";
  const std::string forged =
      token.substr(0, token.find('.') + 1) +
      Base64UrlEncode(boost::json::serialize(forged_claims)) +
      token.substr(token.rfind('.'));
  EXPECT_EQ(ErrorOf(forged), TokenError::kBadSignature);
}

TEST_F(IdTokenValidatorTest, RefusesAnotherKeyUnderAPublishedKid) {
  RsaSigner impostor("rsa-1");
  EXPECT_EQ(ErrorOf(impostor.Sign(GoodClaims())), TokenError::kBadSignature);
}

TEST_F(IdTokenValidatorTest, RefusesAnUnknownKid) {
  RsaSigner rotated("rsa-2");
  EXPECT_EQ(ErrorOf(rotated.Sign(GoodClaims())), TokenError::kUnknownKey);
}

TEST_F(IdTokenValidatorTest, RefusesAlgNone) {
  const std::string token =
      Base64UrlEncode(R"({"alg":"none"})") + "." +
      Base64UrlEncode(boost::json::serialize(GoodClaims())) + ".";
  EXPECT_EQ(ErrorOf(token), TokenError::kAlgNone);
}

TEST_F(IdTokenValidatorTest, RefusesHmacAndAlgKeyMismatch) {
  // HS256 "signed" with the public key: the classic confusion.
  EXPECT_EQ(
      ErrorOf(signer_.Sign({{"alg", "HS256"}, {"kid", "rsa-1"}}, GoodClaims())),
      TokenError::kAlgNotAllowed);
  // An RSA signature labelled ES256 is over ES256's 64 bytes: refused
  // before the RSA key is looked up.
  EXPECT_EQ(
      ErrorOf(signer_.Sign({{"alg", "ES256"}, {"kid", "rsa-1"}}, GoodClaims())),
      TokenError::kMalformed);
  // An ES256 signature under the RSA key's kid: the key refuses the alg.
  auto ec = SigningKey::Generate(JwsAlgorithm::kES256);
  ASSERT_TRUE(ec.ok());
  std::string input = Base64UrlEncode(R"({"alg":"ES256","kid":"rsa-1"})") +
                      "." +
                      Base64UrlEncode(boost::json::serialize(GoodClaims()));
  auto signature = (*ec)->Sign(input);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(ErrorOf(input + "." + Base64UrlEncode(*signature)),
            TokenError::kAlgNotAllowed);
}

TEST_F(IdTokenValidatorTest, RefusesAWrongIssuer) {
  auto claims = GoodClaims();
  claims["iss"] = "https://idp.example.com/";  // exact match only
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kWrongIssuer);
  claims.erase("iss");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kMissingClaim);
}

TEST_F(IdTokenValidatorTest, RefusesAWrongAudience) {
  auto claims = GoodClaims();
  claims["aud"] = "another-client";
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kWrongAudience);
  claims["aud"] = boost::json::array{kClientId, "another-client"};
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kWrongAudience);  // no azp
  claims["azp"] = "another-client";
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kWrongAudience);
  claims["azp"] = kClientId;
  EXPECT_TRUE(
      ValidateIdToken(signer_.Sign(claims), jwks_, Expected(), kNow).ok());
  claims.erase("aud");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kWrongAudience);
}

TEST_F(IdTokenValidatorTest, RefusesAnExpiredToken) {
  auto claims = GoodClaims();
  claims["exp"] = Seconds(kNow) - 61;  // past the 60 s leeway
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kExpired);
  claims["exp"] = Seconds(kNow) - 30;  // within it
  EXPECT_TRUE(
      ValidateIdToken(signer_.Sign(claims), jwks_, Expected(), kNow).ok());
  claims.erase("exp");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kMissingClaim);
}

TEST_F(IdTokenValidatorTest, RefusesAStaleOrFutureIat) {
  auto claims = GoodClaims();
  claims["iat"] = Seconds(kNow) - 3600;
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kExpired);
  claims["iat"] = Seconds(kNow) + 120;
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kNotYetValid);
  claims.erase("iat");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kMissingClaim);
}

TEST_F(IdTokenValidatorTest, RefusesANonceMismatch) {
  auto claims = GoodClaims();
  claims["nonce"] = "another-login";
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kInvalidClaim);
  claims.erase("nonce");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kMissingClaim);
  IdTokenExpectations no_nonce = Expected();
  no_nonce.nonce.clear();  // never "matches" an empty expectation
  EXPECT_EQ(ErrorOf(signer_.Sign(GoodClaims()), no_nonce),
            TokenError::kInvalidClaim);
}

TEST_F(IdTokenValidatorTest, RefusesAMissingOrLongSubject) {
  auto claims = GoodClaims();
  claims["sub"] = std::string(256, 'a');
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kInvalidClaim);
  claims.erase("sub");
  EXPECT_EQ(ErrorOfClaims(claims), TokenError::kMissingClaim);
}

TEST_F(IdTokenValidatorTest, RefusesAnEncryptedToken) {
  EXPECT_EQ(ErrorOf("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"),
            TokenError::kMalformed);
}

TEST(Rs256Policy, RefusedWhereNotAllowed) {
  RsaSigner signer("rsa-1");
  auto parsed = ParseCompactJws(signer.Sign(GoodClaims()));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(TokenErrorOf(parsed.status()), TokenError::kAlgNotAllowed);
  EXPECT_FALSE(ParseJwsAlgorithmName("RS256").ok());
  EXPECT_FALSE(SigningKey::Generate(JwsAlgorithm::kRS256).ok());
}

TEST(RsaKeys, ProviderSetsImportRsaAndSkipWhatTheyCannotUse) {
  RsaSigner signer("rsa-1");
  boost::json::object jwk = signer.PublicKey()->ToJwk();
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["alg"], "RS256");
  const std::string set = boost::json::serialize(
      boost::json::object{{"keys", boost::json::array{jwk,
                                                      {{"kty", "RSA"},
                                                       {"kid", "enc-1"},
                                                       {"use", "enc"},
                                                       {"n", "AQAB"},
                                                       {"e", "AQAB"}},
                                                      {{"kty", "RSA"},
                                                       {"kid", "ps-1"},
                                                       {"alg", "PS256"},
                                                       {"n", "AQAB"},
                                                       {"e", "AQAB"}}}}});
  JwksLimits provider;
  provider.openid_provider = true;
  auto parsed = Jwks::Parse(set, provider);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ((*parsed)->keys().size(), 1u);
  EXPECT_EQ((*parsed)->skipped_keys(), 2u);
  EXPECT_NE((*parsed)->FindKey("rsa-1"), nullptr);
  // Outside provider sets RSA keys stay skipped.
  auto plain = Jwks::Parse(set);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE((*plain)->keys().empty());
}

TEST(RsaKeys, RefusesAModulusUnder2048Bits) {
  RsaSigner weak("weak", 1024);
  const std::string set = boost::json::serialize(
      boost::json::object{{"keys", boost::json::array{weak.Jwk()}}});
  JwksLimits provider;
  provider.openid_provider = true;
  auto parsed = Jwks::Parse(set, provider);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("1024 bits"), std::string::npos);
}

TEST(RsaKeys, JwkRoundTripAndThumbprint) {
  RsaSigner signer("");
  JwksLimits provider;
  provider.openid_provider = true;
  boost::json::object jwk = signer.Jwk();
  jwk["kid"] = "k";
  auto parsed = Jwks::Parse(boost::json::serialize(boost::json::object{
                                {"keys", boost::json::array{jwk}}}),
                            provider);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& key = *(*parsed)->keys().front();
  EXPECT_EQ(key.ToJwk().at("n"), jwk.at("n"));
  EXPECT_EQ(key.Thumbprint().size(), 43u);
}

TEST(Pkce, MatchesRfc7636AppendixB) {
  EXPECT_EQ(PkceS256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const std::string verifier = NewPkceCodeVerifier();
  EXPECT_EQ(verifier.size(), 43u);
  EXPECT_NE(verifier, NewPkceCodeVerifier());
}

}  // namespace
}  // namespace warden::tokens
