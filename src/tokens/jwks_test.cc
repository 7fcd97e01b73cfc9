#include "tokens/jwks.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/signing_key.h"

namespace warden::tokens {
namespace {

std::shared_ptr<const SigningKey> NewKey(JwsAlgorithm alg) {
  auto key = SigningKey::Generate(alg);
  EXPECT_TRUE(key.ok());
  return *key;
}

TEST(Jwks, ExportThenImportRoundTrips) {
  auto ed = NewKey(JwsAlgorithm::kEdDSA);
  auto ec = NewKey(JwsAlgorithm::kES256);
  Jwks jwks({ed->public_key(), ec->public_key()});
  const std::string json = jwks.ToJson();
  auto parsed = Jwks::Parse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ((*parsed)->keys().size(), 2u);
  auto found = (*parsed)->FindKey(ec->kid());
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->public_bytes(), ec->public_key()->public_bytes());
  EXPECT_EQ((*parsed)->FindKey("nope"), nullptr);

  const auto doc = boost::json::parse(json).as_object();
  const auto& first = doc.at("keys").as_array()[0].as_object();
  EXPECT_EQ(first.at("kty"), "OKP");
  EXPECT_EQ(first.at("crv"), "Ed25519");
  EXPECT_EQ(first.at("alg"), "EdDSA");
  EXPECT_EQ(first.at("use"), "sig");
  EXPECT_EQ(first.at("kid").as_string(), ed->kid());
  const auto& second = doc.at("keys").as_array()[1].as_object();
  EXPECT_EQ(second.at("kty"), "EC");
  EXPECT_EQ(second.at("crv"), "P-256");
  EXPECT_TRUE(second.contains("y"));
}

// RFC 8037 appendix A.1/A.3: the thumbprint of the example Ed25519 key.
TEST(Jwks, Rfc8037ThumbprintVector) {
  auto x = Base64UrlDecode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  ASSERT_TRUE(x.ok());
  auto key = VerificationKey::FromEd25519(*x);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*key)->kid(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

// RFC 7638 section 3.1 uses RSA; this checks an EC key against its own
// canonical form computed independently.
TEST(Jwks, EcThumbprintMatchesCanonicalForm) {
  auto ec = NewKey(JwsAlgorithm::kES256);
  const auto jwk = ec->public_key()->ToJwk();
  const std::string canonical =
      std::string(R"({"crv":"P-256","kty":"EC","x":")") +
      std::string(jwk.at("x").as_string()) + R"(","y":")" +
      std::string(jwk.at("y").as_string()) + R"("})";
  const Sha256Digest d = Sha256(canonical);
  EXPECT_EQ(ec->kid(), Base64UrlEncode(std::string_view(
                           reinterpret_cast<const char*>(d.data()), d.size())));
}

TEST(Jwks, SkipsKeyTypesItDoesNotUse) {
  auto ed = NewKey(JwsAlgorithm::kEdDSA);
  auto jwk = ed->public_key()->ToJwk();
  boost::json::object rsa{{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}};
  boost::json::object doc{{"keys", boost::json::array{rsa, jwk}}};
  auto parsed = Jwks::Parse(boost::json::serialize(doc));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ((*parsed)->keys().size(), 1u);
  EXPECT_EQ((*parsed)->skipped_keys(), 1u);
}

TEST(Jwks, RefusesInvalidSets) {
  auto ed = NewKey(JwsAlgorithm::kEdDSA);
  auto ec = NewKey(JwsAlgorithm::kES256);
  const boost::json::object good = ed->public_key()->ToJwk();
  auto with = [&](const boost::json::object& base, std::string_view key,
                  std::string_view value) {
    boost::json::object o = base;
    o[key] = value;
    return boost::json::serialize(
        boost::json::object{{"keys", boost::json::array{o}}});
  };
  auto without = [&](std::string_view key) {
    boost::json::object o = good;
    o.erase(key);
    return boost::json::serialize(
        boost::json::object{{"keys", boost::json::array{o}}});
  };
  const std::vector<std::string> bad = {
      "",
      "[]",
      "{}",
      R"({"keys":{}})",
      R"({"keys":[1]})",
      with(good, "use", "enc"),
      with(good, "alg", "ES256"),
      with(good, "crv", "X25519"),
      with(good, "x", "AAAA"),
      with(good, "x", Base64UrlEncode(std::string(32, '\0'))),  // small order
      with(good, "d", "secret"),
      with(good, "kid", ""),
      without("kid"),
      without("crv"),
      with(ec->public_key()->ToJwk(), "y",
           Base64UrlEncode(std::string(32, '\x01'))),  // not on the curve
      boost::json::serialize(
          boost::json::object{{"keys", boost::json::array{good, good}}}),
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    auto parsed = Jwks::Parse(bad[i]);
    EXPECT_FALSE(parsed.ok()) << "case " << i;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(Jwks, RefusesTooManyKeys) {
  auto ed = NewKey(JwsAlgorithm::kEdDSA);
  JwksLimits limits;
  limits.max_keys = 1;
  auto other = NewKey(JwsAlgorithm::kEdDSA);
  Jwks two({ed->public_key(), other->public_key()});
  EXPECT_TRUE(Jwks::Parse(two.ToJson()).ok());
  EXPECT_FALSE(Jwks::Parse(two.ToJson(), limits).ok());
}

}  // namespace
}  // namespace warden::tokens
