// `warden serve` as operators run it: options from a YAML --config file
// (with the command line and WARDEN_* variables over it), HTTPS with the
// certificate reloaded on SIGHUP, the CLI over HTTPS, and start-time
// validation that names the key and the problem.
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "../integration/tls_test_files.h"
#include "warden_process.h"

namespace warden::testing_cli {
namespace {

using testing_http::MakeTlsTestFiles;
using testing_http::ReissueServerCertificate;
using testing_http::TlsTestFiles;

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> chunk{};
  while (fgets(chunk.data(), chunk.size(), pipe) != nullptr)
    out += chunk.data();
  pclose(pipe);
  return out;
}

std::string Fingerprint(const std::string& pem_file) {
  return Shell("openssl x509 -noout -fingerprint -sha256 -in " + pem_file);
}

// The fingerprint of the certificate the server at `url` presents.
std::string PresentedFingerprint(const std::string& url) {
  const std::string host_port = url.substr(url.find("//") + 2);
  return Shell("openssl s_client -connect " + host_port +
               " < /dev/null | openssl x509 -noout -fingerprint -sha256");
}

class ServeTlsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(MakeTlsTestFiles(dir_.path(), &tls_), ""); }

  void WriteConfig(const std::string& text) { std::ofstream(config_) << text; }

  TempDir dir_;
  TlsTestFiles tls_;
  std::string config_ = dir_.path() + "/warden.yaml";
};

TEST_F(ServeTlsConfigTest, ServesHttpsFromTheConfigFileAndReloadsOnSighup) {
  WriteConfig("tls:\n  cert: " + tls_.server_cert +
              "\n  key: " + tls_.server_key + "\nmax_connections: 500\n");
  std::string error;
  auto server = ServerProcess::Start(dir_.path() + "/data", &error,
                                     {"--config", config_});
  ASSERT_NE(server, nullptr) << error;
  ASSERT_EQ(server->url().rfind("https://", 0), 0u) << server->url();

  // The CLI speaks HTTPS, trusting the operator's CA file.
  CommandResult list =
      RunWarden({"--server", server->url(), "--token", server->admin_token(),
                 "--ca-file", tls_.ca_cert, "identity", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.out << list.err;
  // ... and refuses a server its CA does not vouch for.
  CommandResult untrusted =
      RunWarden({"--server", server->url(), "--token", server->admin_token(),
                 "identity", "list"});
  EXPECT_EQ(untrusted.exit_code, 6) << untrusted.out << untrusted.err;
  EXPECT_NE(untrusted.err.find("certificate"), std::string::npos)
      << untrusted.err;

  const std::string before = Fingerprint(tls_.server_cert);
  EXPECT_EQ(PresentedFingerprint(server->url()), before);
  ASSERT_EQ(ReissueServerCertificate(tls_), "");
  const std::string after = Fingerprint(tls_.server_cert);
  ASSERT_NE(after, before);
  server->Signal(SIGHUP);
  std::string presented;
  for (int i = 0; i < 100 && presented != after; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    presented = PresentedFingerprint(server->url());
  }
  EXPECT_EQ(presented, after);
  EXPECT_NE(server->Output().find("TLS certificate and key reloaded"),
            std::string::npos)
      << server->Output();
  EXPECT_EQ(server->Stop(), 0);
}

TEST_F(ServeTlsConfigTest, ValuesAreValidatedAndTheDataDirIsRequired) {
  WriteConfig("data-dir: " + dir_.path() +
              "/from-file\nlisten: 127.0.0.1:0\n"
              "max-connections: 7\n");
  CommandResult bad = RunWarden({"serve", "--config", config_});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("config " + config_ + ": line 3: max-connections:"),
            std::string::npos)
      << bad.err;

  WriteConfig("listen: 127.0.0.1:0\n");
  CommandResult missing = RunWarden({"serve", "--config", config_});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--data-dir"), std::string::npos) << missing.err;
}

TEST_F(ServeTlsConfigTest, StartRefusesBadTlsAndUnknownKeys) {
  WriteConfig("tls:\n  cert: " + tls_.server_cert +
              "\n  key: " + tls_.client_key + "\n");
  CommandResult mismatch =
      RunWarden({"serve", "--data-dir", dir_.path() + "/d1", "--listen",
                 "127.0.0.1:0", "--config", config_});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.err.find("--tls-key " + tls_.client_key + ": "),
            std::string::npos)
      << mismatch.err;

  WriteConfig("tls:\n  certificate: x\n");
  CommandResult unknown = RunWarden(
      {"serve", "--data-dir", dir_.path() + "/d2", "--config", config_});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("line 2: tls-certificate: unknown key"),
            std::string::npos)
      << unknown.err;

  CommandResult half =
      RunWarden({"serve", "--data-dir", dir_.path() + "/d3", "--listen",
                 "127.0.0.1:0", "--tls-cert", tls_.server_cert});
  EXPECT_EQ(half.exit_code, 1);
  EXPECT_NE(half.err.find("--tls-cert and --tls-key go together"),
            std::string::npos)
      << half.err;

  // Client certificates need TLS: a plain listener never sees one.
  CommandResult self_signed =
      RunWarden({"serve", "--data-dir", dir_.path() + "/d4", "--listen",
                 "127.0.0.1:0", "--tls-client-self-signed"});
  EXPECT_EQ(self_signed.exit_code, 1);
  EXPECT_NE(self_signed.err.find("need --tls-cert and --tls-key"),
            std::string::npos)
      << self_signed.err;
}

}  // namespace
}  // namespace warden::testing_cli
