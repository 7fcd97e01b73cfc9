#include "server/oidc_setup.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace warden::server {
namespace {

class OidcSetupTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "warden-oidc-setup-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    return path;
  }

  static signin::OidcOptions Configured() {
    signin::OidcOptions options;
    options.issuer = "https://idp.example.com";
    options.client_id = "warden";
    return options;
  }

  std::string dir_;
};

TEST_F(OidcSetupTest, ReadsTheSecretWithoutItsTrailingNewline) {
  auto secret = ReadOidcClientSecret(Write("secret", "s3cret value\r\n"));
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_EQ(*secret, "s3cret value");
}

TEST_F(OidcSetupTest, RefusesMissingEmptyAndOversizeSecretFiles) {
  EXPECT_FALSE(ReadOidcClientSecret(dir_ + "/absent").ok());
  EXPECT_FALSE(ReadOidcClientSecret(Write("empty", "\n")).ok());
  auto big = ReadOidcClientSecret(Write("big", std::string(5000, 'x')));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("4096"), std::string::npos);
}

TEST_F(OidcSetupTest, DefaultsTheRedirectUriFromTheServerUrl) {
  auto resolved = ResolveOidcOptions(Configured(), Write("secret", "s\n"),
                                     "http://127.0.0.1:8080");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->client_secret, "s");
  EXPECT_EQ(resolved->redirect_uri,
            "http://127.0.0.1:8080/v1/session/oidc/callback");
  signin::OidcOptions behind_proxy = Configured();
  behind_proxy.redirect_uri = "https://warden.example/v1/session/oidc/callback";
  resolved = ResolveOidcOptions(behind_proxy, Write("secret2", "s"),
                                "http://127.0.0.1:8080");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->redirect_uri, behind_proxy.redirect_uri);
}

TEST_F(OidcSetupTest, RefusesAnIncompleteConfiguration) {
  EXPECT_FALSE(ResolveOidcOptions(Configured(), "", "http://127.0.0.1:1").ok());
  signin::OidcOptions no_client = Configured();
  no_client.client_id.clear();
  EXPECT_FALSE(
      ResolveOidcOptions(no_client, Write("secret", "s"), "http://127.0.0.1:1")
          .ok());
  // Off: nothing is read or checked.
  EXPECT_TRUE(
      ResolveOidcOptions(signin::OidcOptions(), "", "http://127.0.0.1:1").ok());
}

}  // namespace
}  // namespace warden::server
