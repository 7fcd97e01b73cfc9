// End-to-end: `warden cert`, `warden secret` and `warden break-glass`
// against a real `warden serve`, with `openssl` making the CSR and
// verifying the chain, and offline `secret rotate-kek` after the server
// stops.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Field(const std::string& json, const char* key) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return {};
  const auto* member = value.get_object().if_contains(key);
  return member && member->is_string() ? std::string(member->get_string())
                                       : std::string();
}

class CredentialCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = tmp_.path() + "/data";
    std::string error;
    server_ = ServerProcess::Start(data_dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    ASSERT_EQ(Warden({"team", "add", "payments"}).exit_code, 0);
    CommandResult r = Warden(
        {"identity", "add", "--name", "api", "--kind", "workload", "--owner",
         "payments", "--application", "checkout", "--environment",
         "development", "--expires-in", "30d", "--scope", "orders:read"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    if (server_) EXPECT_EQ(server_->Stop(), 0) << server_->Output();
  }
  CommandResult Warden(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->url(), "--token",
                               server_->admin_token()});
    return RunWarden(args);
  }
  std::string File(const std::string& name) { return tmp_.path() + "/" + name; }
  int Shell(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
  }

  TempDir tmp_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CredentialCliTest, CertSignListRevokeWithOpenssl) {
  ASSERT_EQ(Shell("openssl req -new -newkey ed25519 -nodes -subj /CN=api "
                  "-keyout " +
                  File("key.pem") + " -out " + File("csr.pem")),
            0);
  CommandResult signed_cert =
      Warden({"cert", "sign", "--identity", "api", "--csr", File("csr.pem")});
  ASSERT_EQ(signed_cert.exit_code, 0) << signed_cert.err;
  EXPECT_THAT(signed_cert.out, StartsWith("-----BEGIN CERTIFICATE-----"));
  EXPECT_THAT(signed_cert.err, HasSubstr("renew after"));
  std::ofstream(File("leaf.pem")) << signed_cert.out;
  const std::string verify =
      "openssl verify -CAfile " + data_dir_ + "/ca.crt " + File("leaf.pem");
  EXPECT_EQ(Shell(verify), 0);

  CommandResult renewed = Warden({"-o", "json", "cert", "renew", "--cert",
                                  File("leaf.pem"), "--csr", File("csr.pem")});
  ASSERT_EQ(renewed.exit_code, 0) << renewed.err;

  CommandResult list = Warden({"-o", "json", "cert", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  boost::json::value items = boost::json::parse(list.out);
  ASSERT_EQ(items.at("items").as_array().size(), 2u);
  std::string serial;
  for (const auto& item : items.at("items").as_array()) {
    if (item.at("renewed_from").as_string().empty()) {
      serial = std::string(item.at("serial").as_string());
    }
  }
  CommandResult revoke =
      Warden({"cert", "revoke", serial, "--reason", "key compromise"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  ASSERT_EQ(Shell("curl -sf -o " + File("crl.pem") + " " + server_->url() +
                  "/pki/crl"),
            0);
  EXPECT_NE(Shell(verify + " -crl_check -CRLfile " + File("crl.pem")), 0);
}

TEST_F(CredentialCliTest, SecretsBreakGlassAndOfflineKekRotation) {
  std::ofstream(File("value.txt")) << "legacy-password-123\n";
  CommandResult put = Warden({"secret", "put", "db", "--identity", "api",
                              "--value-file", File("value.txt")});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  CommandResult get = Warden({"secret", "get", "db"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(get.out, "legacy-password-123\n");
  CommandResult list = Warden({"secret", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, StartsWith("NAME"));
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr("legacy-password")));

  CommandResult glass = Warden({"-o", "json", "break-glass", "read-secret",
                                "db", "--reason", "INC-77 database outage"});
  ASSERT_EQ(glass.exit_code, 0) << glass.err;
  const std::string id = Field(glass.out, "id");
  CommandResult open = Warden({"break-glass", "list", "--unreviewed"});
  EXPECT_THAT(open.out, HasSubstr(id));
  EXPECT_NE(Warden({"break-glass", "review", id}).exit_code, 0);  // own use

  ASSERT_EQ(server_->Stop(), 0);
  server_.reset();
  CommandResult rotated =
      RunWarden({"secret", "rotate-kek", "--data-dir", data_dir_});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_THAT(rotated.out, HasSubstr("re-wrapped 1 secret versions"));
  std::string error;
  server_ = ServerProcess::Start(data_dir_, &error);
  ASSERT_NE(server_, nullptr) << error;
  CommandResult again = Warden({"secret", "get", "db"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "legacy-password-123\n");
}

}  // namespace
}  // namespace warden::testing_cli
