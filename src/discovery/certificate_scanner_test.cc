#include "discovery/certificate_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "discovery/test_certificates.h"
#include "discovery/test_files.h"

namespace warden::discovery {
namespace {

using ::testing::HasSubstr;
using testing::MakeCertificate;
using testing::TestDirectory;
using Spec = testing::TestCertificateSpec;

const Observation* FindByName(const ScanReport& report,
                              const std::string& name) {
  for (const auto& o : report.observations) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

TEST(CertificateScannerTest, ReadsAChainFromOnePemFile) {
  const auto root = MakeCertificate(Spec("Test Root").Ca());
  const auto leaf = MakeCertificate(
      Spec("payments")
          .San("URI:spiffe://prod.example/ns/pay/sa/api,DNS:pay.example")
          .Serial(0x1F2E)
          .IssuedBy(&root));
  TestDirectory dir;
  const auto path = dir.Write("chain.pem", leaf.pem + root.pem);

  const ScanReport report = ScanCertificateFiles(path, nullptr);

  EXPECT_TRUE(report.issues.empty());
  ASSERT_EQ(report.observations.size(), 2u);
  EXPECT_EQ(report.files_scanned, 1);
  const Observation* svid =
      FindByName(report, "spiffe://prod.example/ns/pay/sa/api");
  ASSERT_NE(svid, nullptr);
  EXPECT_EQ(svid->kind, kCertificateKind);
  EXPECT_EQ(svid->source, "certs");
  EXPECT_EQ(svid->location, path.string() + ":1");
  EXPECT_EQ(svid->key.size(), 64u);
  const auto& a = svid->attributes;
  EXPECT_EQ(a.at("subject"), "CN=payments");
  EXPECT_EQ(a.at("issuer"), "CN=Test Root");
  EXPECT_EQ(a.at("serial"), "1F2E");
  EXPECT_EQ(a.at("sans"),
            "URI:spiffe://prod.example/ns/pay/sa/api DNS:pay.example");
  EXPECT_EQ(a.at("spiffe_id"), "spiffe://prod.example/ns/pay/sa/api");
  EXPECT_EQ(a.at("key_algorithm"), "EC");
  EXPECT_EQ(a.at("key_bits"), "256");
  EXPECT_EQ(a.at("self_signed"), "false");
  EXPECT_EQ(a.at("is_ca"), "false");
  EXPECT_THAT(a.at("not_after"),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"));
  EXPECT_LT(a.at("not_before"), a.at("not_after"));

  const Observation* ca = FindByName(report, "Test Root");
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(ca->location,
            path.string() + ":" +
                std::to_string(
                    1 + std::count(leaf.pem.begin(), leaf.pem.end(), '\n')));
  EXPECT_EQ(ca->attributes.at("self_signed"), "true");
  EXPECT_EQ(ca->attributes.at("is_ca"), "true");
  EXPECT_EQ(ca->attributes.at("spiffe_id"), "");
}

TEST(CertificateScannerTest, ReadsDerAndWalksADirectoryTree) {
  const auto rsa = MakeCertificate(Spec("legacy").Rsa());
  const auto ec = MakeCertificate(Spec("edge"));
  TestDirectory dir;
  dir.Write("a/legacy.der", rsa.der);
  dir.Write("a/b/c/edge.crt", ec.pem);
  dir.Write("notes.txt", "not a certificate\n");
  dir.Write("a/dup.pem", ec.pem);  // the same certificate again

  const ScanReport report = ScanCertificateFiles(dir.root(), nullptr);

  EXPECT_TRUE(report.issues.empty());
  EXPECT_EQ(report.files_scanned, 4);
  ASSERT_EQ(report.observations.size(), 2u);
  const Observation* legacy = FindByName(report, "legacy");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->attributes.at("key_algorithm"), "RSA");
  EXPECT_EQ(legacy->attributes.at("key_bits"), "2048");
  EXPECT_EQ(legacy->attributes.at("self_signed"), "true");
  EXPECT_EQ(legacy->location, (dir.root() / "a/legacy.der").string() + ":1");
}

TEST(CertificateScannerTest, TruncatedPemIsAnIssueAtItsBeginLine) {
  const auto good = MakeCertificate(Spec("good"));
  const auto other = MakeCertificate(Spec("other"));
  const std::string truncated = other.pem.substr(0, other.pem.size() / 2);
  TestDirectory dir;
  const auto bad = dir.Write("bad.pem", "# bundle\n\n" + good.pem + truncated);
  dir.Write("ok.pem", other.pem);

  const ScanReport report = ScanCertificateFiles(dir.root(), nullptr);

  ASSERT_EQ(report.issues.size(), 1u);
  const int begin_line =
      3 + static_cast<int>(std::count(good.pem.begin(), good.pem.end(), '\n'));
  EXPECT_EQ(report.issues[0].location,
            bad.string() + ":" + std::to_string(begin_line));
  EXPECT_THAT(report.issues[0].message, HasSubstr("truncated PEM"));
  // The good block before it and the other file still count.
  EXPECT_NE(FindByName(report, "good"), nullptr);
  EXPECT_NE(FindByName(report, "other"), nullptr);
}

TEST(CertificateScannerTest, BadBase64IsAnIssue) {
  TestDirectory dir;
  const auto path = dir.Write("x.pem",
                              "\n-----BEGIN CERTIFICATE-----\nMIIB$$$\n"
                              "-----END CERTIFICATE-----\n");
  const ScanReport report = ScanCertificateFiles(path, nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, path.string() + ":2");
  EXPECT_THAT(report.issues[0].message, HasSubstr("base64"));
}

TEST(CertificateScannerTest, ValidBase64ThatIsNotACertificateIsAnIssue) {
  TestDirectory dir;
  const auto path = dir.Write("x.pem",
                              "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n"
                              "-----END CERTIFICATE-----\n");
  const ScanReport report = ScanCertificateFiles(path, nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, path.string() + ":1");
  EXPECT_THAT(report.issues[0].message, HasSubstr("not a DER X.509"));
}

TEST(CertificateScannerTest, GarbageDerIsAnIssue) {
  const auto good = MakeCertificate(Spec("good"));
  TestDirectory dir;
  std::string garbage = good.der;
  garbage.resize(garbage.size() / 2);
  const auto bad = dir.Write("broken.der", garbage);
  dir.Write("good.der", good.der);

  const ScanReport report = ScanCertificateFiles(dir.root(), nullptr);

  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, bad.string() + ":1");
  EXPECT_NE(FindByName(report, "good"), nullptr);
}

TEST(CertificateScannerTest, PrivateKeysAndOtherBlocksAreSkipped) {
  const auto cert = MakeCertificate(Spec("svc"));
  TestDirectory dir;
  const auto path = dir.Write("both.pem", cert.key_pem + cert.pem);
  const ScanReport report = ScanCertificateFiles(path, nullptr);
  EXPECT_TRUE(report.issues.empty());
  ASSERT_EQ(report.observations.size(), 1u);
  EXPECT_EQ(report.observations[0].name, "svc");
}

TEST(CertificateScannerTest, FilesOverTheLimitAreSkippedWithAnIssue) {
  const auto cert = MakeCertificate(Spec("svc"));
  TestDirectory dir;
  dir.Write("big.pem", cert.pem + std::string(2048, '\n'));
  dir.Write("small.pem", cert.pem);
  const ScanReport report = ScanCertificateFiles(
      dir.root(), nullptr, {.max_file_bytes = cert.pem.size() + 1});
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_THAT(report.issues[0].location, HasSubstr("big.pem:0"));
  EXPECT_THAT(report.issues[0].message, HasSubstr("over the limit"));
  EXPECT_EQ(report.observations.size(), 1u);
}

TEST(CertificateScannerTest, MissingPathIsAnIssue) {
  const ScanReport report =
      ScanCertificateFiles("/nonexistent/warden/certs", nullptr);
  ASSERT_EQ(report.issues.size(), 1u);
  EXPECT_EQ(report.issues[0].location, "/nonexistent/warden/certs:0");
}

TEST(CertificateScannerTest, ReportsProgressPerFile) {
  const auto cert = MakeCertificate(Spec("svc"));
  TestDirectory dir;
  dir.Write("a.pem", cert.pem);
  dir.Write("b.txt", "hello");
  std::vector<ScanProgress> seen;
  ScanCertificateFiles(dir.root(),
                       [&seen](const ScanProgress& p) { seen.push_back(p); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].files_done, 2);
  EXPECT_EQ(seen[1].bytes_done, static_cast<int64_t>(cert.pem.size() + 5));
}

}  // namespace
}  // namespace warden::discovery
