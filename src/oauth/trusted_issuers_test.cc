// TrustedIssuers key sources: exactly one of jwks/jwks_file/jwks_uri, keys
// loaded through the fetcher, and a refresh that keeps an issuer's last good
// set when its source fails.
#include "oauth/trusted_issuers.h"

#include <gtest/gtest.h>

#include "tokens/signing_key.h"

namespace warden::oauth {
namespace {

// Answers from memory; `fail` makes every read fail like a dead issuer.
class FakeFetcher : public outbound::JwksFetcher {
 public:
  Result<std::string> FetchUri(const std::string& uri) const override {
    ++calls;
    if (fail) return Unavailable("GET " + uri + ": connection refused");
    return document;
  }
  Result<std::string> ReadFile(const std::string& path) const override {
    return FetchUri(path);
  }
  std::string document;
  bool fail = false;
  mutable int calls = 0;
};

std::shared_ptr<const tokens::SigningKey> NewKey() {
  auto key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  EXPECT_TRUE(key.ok());
  return *key;
}

std::string JwksOf(const tokens::SigningKey& key) {
  return tokens::Jwks({key.public_key()}).ToJson();
}

constexpr char kUriConfig[] = R"([{"issuer": "https://ci.example",
  "audience": "warden", "jwks_uri": "https://ci.example/jwks",
  "rules": [{"claims": {"repository": "acme/app"}, "identity": "app"}]}])";

TEST(TrustedIssuersTest, UriKeysAreLoadedThroughTheFetcher) {
  auto parsed = TrustedIssuers::Parse(kUriConfig);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->has_remote_keys());
  EXPECT_EQ(parsed->issuers()[0].jwks, nullptr);
  FakeFetcher fetcher;
  auto key = NewKey();
  fetcher.document = JwksOf(*key);
  ASSERT_TRUE(parsed->LoadKeys(fetcher).ok());
  ASSERT_NE(parsed->issuers()[0].jwks, nullptr);
  EXPECT_NE(parsed->issuers()[0].jwks->FindKey(key->kid()), nullptr);
}

TEST(TrustedIssuersTest, LoadFailureNamesTheIssuer) {
  auto parsed = TrustedIssuers::Parse(kUriConfig);
  ASSERT_TRUE(parsed.ok());
  FakeFetcher fetcher;
  fetcher.fail = true;
  Status loaded = parsed->LoadKeys(fetcher);
  EXPECT_EQ(loaded.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.message().find("https://ci.example"), std::string::npos)
      << loaded.message();
  EXPECT_NE(loaded.message().find("connection refused"), std::string::npos);
}

TEST(TrustedIssuersTest, FailedRefreshKeepsTheLastGoodKeys) {
  auto parsed = TrustedIssuers::Parse(kUriConfig);
  ASSERT_TRUE(parsed.ok());
  FakeFetcher fetcher;
  auto key = NewKey();
  fetcher.document = JwksOf(*key);
  ASSERT_TRUE(parsed->LoadKeys(fetcher).ok());

  fetcher.fail = true;
  std::vector<std::string> failures;
  TrustedIssuers kept = parsed->Refreshed(fetcher, failures);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(kept.issuers()[0].jwks, parsed->issuers()[0].jwks);

  fetcher.fail = false;
  auto rotated = NewKey();
  fetcher.document = JwksOf(*rotated);
  failures.clear();
  TrustedIssuers fresh = parsed->Refreshed(fetcher, failures);
  EXPECT_TRUE(failures.empty());
  EXPECT_NE(fresh.issuers()[0].jwks->FindKey(rotated->kid()), nullptr);
  EXPECT_EQ(fresh.issuers()[0].jwks->FindKey(key->kid()), nullptr);
}

TEST(TrustedIssuersTest, ExactlyOneKeySource) {
  for (const char* sources :
       {R"("jwks_file": "/a", "jwks_uri": "http://127.0.0.1/")",
        R"("jwks": {"keys": []}, "jwks_file": "/a")", R"("other": 1)",
        R"("jwks_file": 7)"}) {
    SCOPED_TRACE(sources);
    const std::string config =
        std::string(R"([{"issuer": "i", "audience": "a", )") + sources +
        R"(, "rules": []}])";
    EXPECT_FALSE(TrustedIssuers::Parse(config).ok());
  }
}

}  // namespace
}  // namespace warden::oauth
