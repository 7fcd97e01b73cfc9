#include "tokens/jws.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include "core/crypto.h"
#include "tokens/jwks.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

std::shared_ptr<const SigningKey> NewKey(JwsAlgorithm alg) {
  auto key = SigningKey::Generate(alg);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return *key;
}

std::optional<TokenError> ErrorOfParse(std::string_view token) {
  auto parsed = ParseCompactJws(token);
  return parsed.ok() ? std::nullopt : TokenErrorOf(parsed.status());
}

std::string B64(std::string_view s) { return Base64UrlEncode(s); }

class JwsAlgorithmTest : public testing::TestWithParam<JwsAlgorithm> {};

TEST_P(JwsAlgorithmTest, SignParseVerifyRoundTrip) {
  auto key = NewKey(GetParam());
  auto token = SignCompactJws(*key, "at+jwt", R"({"sub":"a"})");
  ASSERT_TRUE(token.ok());
  auto parsed = ParseCompactJws(*token);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->header.alg, GetParam());
  EXPECT_EQ(parsed->header.kid, key->kid());
  EXPECT_EQ(parsed->header.typ, "at+jwt");
  EXPECT_EQ(parsed->payload, R"({"sub":"a"})");
  EXPECT_EQ(parsed->signature.size(), 64u);  // raw, not DER, for ES256 too
  EXPECT_TRUE(VerifyJwsSignature(*parsed, *key->public_key()).ok());
}

TEST_P(JwsAlgorithmTest, TamperedPayloadFailsSignature) {
  auto key = NewKey(GetParam());
  auto token = SignCompactJws(*key, "", R"({"scope":"read"})");
  ASSERT_TRUE(token.ok());
  const size_t dot1 = token->find('.');
  const size_t dot2 = token->find('.', dot1 + 1);
  std::string forged = token->substr(0, dot1 + 1) +
                       B64(R"({"scope":"admin"})") + token->substr(dot2);
  auto parsed = ParseCompactJws(forged);
  ASSERT_TRUE(parsed.ok());
  Status status = VerifyJwsSignature(*parsed, *key->public_key());
  EXPECT_EQ(TokenErrorOf(status), TokenError::kBadSignature);
}

TEST_P(JwsAlgorithmTest, OtherKeyFailsSignature) {
  auto key = NewKey(GetParam());
  auto other = NewKey(GetParam());
  auto token = SignCompactJws(*key, "", "{}");
  ASSERT_TRUE(token.ok());
  auto parsed = ParseCompactJws(*token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(TokenErrorOf(VerifyJwsSignature(*parsed, *other->public_key())),
            TokenError::kBadSignature);
}

TEST_P(JwsAlgorithmTest, PrivateBlobRoundTripKeepsKid) {
  auto key = NewKey(GetParam());
  auto blob = key->PrivateBlob();
  ASSERT_TRUE(blob.ok());
  auto restored = SigningKey::FromPrivateBlob(GetParam(), *blob);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ((*restored)->kid(), key->kid());
  auto token = SignCompactJws(**restored, "", "{}");
  ASSERT_TRUE(token.ok());
  auto parsed = ParseCompactJws(*token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(VerifyJwsSignature(*parsed, *key->public_key()).ok());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, JwsAlgorithmTest,
                         testing::Values(JwsAlgorithm::kEdDSA,
                                         JwsAlgorithm::kES256));

TEST(Jws, FullySpecifiedEd25519NameVerifies) {
  auto key = NewKey(JwsAlgorithm::kEdDSA);
  const std::string input =
      B64(R"({"alg":"Ed25519","kid":")" + key->kid() + R"("})") + "." +
      B64("{}");
  auto sig = key->Sign(input);
  ASSERT_TRUE(sig.ok());
  auto parsed = ParseCompactJws(input + "." + B64(*sig));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.alg, JwsAlgorithm::kEdDSA);
  Status verified = VerifyJwsSignature(*parsed, *key->public_key());
  EXPECT_TRUE(verified.ok()) << verified.ToString();
}

TEST(Jws, AlgNoneIsRefused) {
  EXPECT_EQ(ErrorOfParse(B64(R"({"alg":"none"})") + "." + B64("{}") + "."),
            TokenError::kAlgNone);
  EXPECT_EQ(ErrorOfParse(B64(R"({"alg":"nOnE"})") + "." + B64("{}") + "."),
            TokenError::kAlgNone);
}

TEST(Jws, Hs256SignedWithPublicKeyIsRefused) {
  auto key = NewKey(JwsAlgorithm::kEdDSA);
  const std::string input =
      B64(R"({"alg":"HS256","kid":")" + key->kid() + R"("})") + "." + B64("{}");
  // The classic confusion: HMAC keyed with the verifier's public key.
  for (const std::string& secret :
       {key->public_key()->public_bytes(),
        std::string(Jwks({key->public_key()}).ToJson())}) {
    unsigned char mac[32];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         mac, &mac_len);
    const std::string token =
        input + "." +
        B64(std::string_view(reinterpret_cast<char*>(mac), mac_len));
    EXPECT_EQ(ErrorOfParse(token), TokenError::kAlgNotAllowed);
  }
}

TEST(Jws, AlgOfOtherKeyTypeIsRefused) {
  auto ed = NewKey(JwsAlgorithm::kEdDSA);
  auto ec = NewKey(JwsAlgorithm::kES256);
  auto token = SignCompactJws(*ec, "", "{}");
  ASSERT_TRUE(token.ok());
  auto parsed = ParseCompactJws(*token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(TokenErrorOf(VerifyJwsSignature(*parsed, *ed->public_key())),
            TokenError::kAlgNotAllowed);
}

TEST(Jws, MalformedInputsAreRefused) {
  const std::string header = B64(R"({"alg":"EdDSA"})");
  const std::string sig = B64(std::string(64, 'x'));
  const std::vector<std::string> bad = {
      "",
      "abc",
      header + "." + B64("{}"),                             // two segments
      header + "." + B64("{}") + "." + sig + ".x",          // four
      header + "=." + B64("{}") + "." + sig,                // padding
      header + "." + B64("{}") + " ." + sig,                // whitespace
      B64("[1]") + "." + B64("{}") + "." + sig,             // not an object
      B64(R"({"kid":"a"})") + "." + B64("{}") + "." + sig,  // no alg
      B64(R"({"alg":7})") + "." + B64("{}") + "." + sig,
      B64(R"({"alg":"EdDSA","crit":["exp"]})") + "." + B64("{}") + "." + sig,
      B64(R"({"alg":"EdDSA",)") + "." + B64("{}") + "." + sig,
      header + "." + B64("{}") + "." + B64(std::string(65, 'x')),
      B64(std::string(20, '[') + std::string(20, ']')) + "." + B64("{}") + "." +
          sig,
      std::string(20000, 'a') + "." + B64("{}") + "." + sig,
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(ErrorOfParse(bad[i]), TokenError::kMalformed) << "case " << i;
  }
}

TEST(Jws, LimitsAreConfigurable) {
  JwsLimits limits;
  limits.max_payload_bytes = 8;
  auto key = NewKey(JwsAlgorithm::kEdDSA);
  auto token = SignCompactJws(*key, "", R"({"a":"0123456789"})");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(ParseCompactJws(*token).ok());
  auto parsed = ParseCompactJws(*token, limits);
  EXPECT_EQ(TokenErrorOf(parsed.status()), TokenError::kMalformed);
}

TEST(Jws, UnknownKidIsRefused) {
  auto key = NewKey(JwsAlgorithm::kEdDSA);
  auto other = NewKey(JwsAlgorithm::kEdDSA);
  Jwks keys({other->public_key()});
  auto token = SignCompactJws(*key, "", "{}");
  ASSERT_TRUE(token.ok());
  auto parsed = ParseCompactJws(*token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(TokenErrorOf(VerifyJwsWithResolver(*parsed, keys)),
            TokenError::kUnknownKey);
  Jwks right({key->public_key()});
  EXPECT_TRUE(VerifyJwsWithResolver(*parsed, right).ok());
}

}  // namespace
}  // namespace warden::tokens
