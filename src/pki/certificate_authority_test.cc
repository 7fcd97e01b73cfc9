// The CA against the real `openssl` command line: chains verify, revoked
// and expired leaves do not.
#include "pki/certificate_authority.h"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "pki/openssl_handles.h"

namespace warden::pki {
namespace {

const Timestamp kNow = FromMicros(1'790'000'000'000'000);  // 2026-09

PkeyPtr MakeKey(const std::string& type) {
  if (type == "ed25519") {
    return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  if (type == "rsa1024") {
    return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024}));
  }
  if (type == "rsa2048") {
    return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  }
  return PkeyPtr(EVP_EC_gen(type.c_str()));
}

std::string MakeCsr(EVP_PKEY* key, EVP_PKEY* signer = nullptr) {
  X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_pubkey(req.get(), key);
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("w"), -1,
                             -1, 0);
  EVP_PKEY* sign_key = signer ? signer : key;
  const bool ed = EVP_PKEY_get_base_id(sign_key) == EVP_PKEY_ED25519;
  X509_REQ_sign(req.get(), sign_key, ed ? nullptr : EVP_sha256());
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return DrainBio(bio.get());
}

class CertificateAuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("pki_ca_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto ca = CertificateAuthority::Generate("example.org", kNow);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = std::move(ca).value();
    Write("ca.pem", ca_->certificate_pem());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  // Exit status of `openssl verify` on leaf.pem with `extra` options.
  int Verify(const std::string& extra) {
    const std::string command =
        "openssl verify " + extra + " -CAfile '" + (dir_ / "ca.pem").string() +
        "' '" + (dir_ / "leaf.pem").string() + "' >/dev/null 2>&1";
    return std::system(command.c_str());
  }

  std::string AtTime(Timestamp t) {
    return "-attime " + std::to_string(ToUnixSeconds(t));
  }

  IssuedCertificate Issue(
      const std::string& key_type,
      std::chrono::seconds lifetime = std::chrono::hours(1)) {
    PkeyPtr key = MakeKey(key_type);
    auto request = CertificateRequest::Parse(MakeCsr(key.get()));
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    auto issued = ca_->Sign(*request, "spiffe://example.org/ns/pay/sa/api",
                            kNow, lifetime);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    Write("leaf.pem", issued->pem);
    return *issued;
  }

  std::filesystem::path dir_;
  std::unique_ptr<CertificateAuthority> ca_;
};

TEST_F(CertificateAuthorityTest, OpensslVerifiesLeavesOfEveryKeyType) {
  for (const char* type : {"ed25519", "P-256", "rsa2048"}) {
    IssuedCertificate issued = Issue(type);
    EXPECT_EQ(Verify(AtTime(kNow) + " -purpose sslclient"), 0) << type;
    EXPECT_EQ(Verify(AtTime(kNow) + " -purpose sslserver"), 0) << type;
    EXPECT_EQ(issued.not_after - kNow, std::chrono::hours(1));
  }
}

TEST_F(CertificateAuthorityTest, LeafCarriesTheSvidProfile) {
  Issue("P-256");
  const std::string out = (dir_ / "text.txt").string();
  const std::string command = "openssl x509 -noout -text -in '" +
                              (dir_ / "leaf.pem").string() + "' > '" + out +
                              "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("URI:spiffe://example.org/ns/pay/sa/api"),
            std::string::npos);
  EXPECT_NE(text.find("CA:FALSE"), std::string::npos);
  EXPECT_NE(
      text.find("Key Usage: critical\n                Digital Signature\n"),
      std::string::npos);
  EXPECT_NE(
      text.find("TLS Web Server Authentication, TLS Web Client Authentication"),
      std::string::npos);
  EXPECT_NE(text.find("Subject Key Identifier"), std::string::npos);
  EXPECT_NE(text.find("Authority Key Identifier"), std::string::npos);
}

TEST_F(CertificateAuthorityTest, RevokedLeafFailsWithCrl) {
  IssuedCertificate issued = Issue("ed25519");
  IssuedCertificate other = Issue("P-256");  // leaf.pem now holds `other`
  auto crl =
      ca_->CrlPem({{issued.serial, kNow}}, 1, kNow, std::chrono::hours(24));
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  Write("crl.pem", *crl);
  const std::string crl_options = AtTime(kNow + std::chrono::minutes(1)) +
                                  " -crl_check -CRLfile '" +
                                  (dir_ / "crl.pem").string() + "'";
  EXPECT_EQ(Verify(crl_options), 0);  // `other` is not revoked
  Write("leaf.pem", issued.pem);
  EXPECT_NE(Verify(crl_options), 0);
  EXPECT_EQ(Verify(AtTime(kNow + std::chrono::minutes(1))), 0);  // without CRL
}

TEST_F(CertificateAuthorityTest, ExpiredLeafFails) {
  Issue("ed25519", std::chrono::seconds(120));
  EXPECT_EQ(Verify(AtTime(kNow + std::chrono::seconds(60))), 0);
  EXPECT_NE(Verify(AtTime(kNow + std::chrono::seconds(180))), 0);
}

TEST_F(CertificateAuthorityTest, InspectLeafReadsOwnLeavesOnly) {
  IssuedCertificate issued = Issue("ed25519");
  auto facts = ca_->InspectLeaf(issued.pem);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->serial, issued.serial);
  EXPECT_EQ(facts->spiffe_id, "spiffe://example.org/ns/pay/sa/api");
  EXPECT_EQ(facts->not_after, issued.not_after);
  auto stranger = CertificateAuthority::Generate("example.org", kNow);
  ASSERT_TRUE(stranger.ok());
  auto foreign = (*stranger)->InspectLeaf(issued.pem);
  EXPECT_EQ(foreign.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(CertificateAuthorityTest, CsrParserRefusesWeakKeysAndBadSignatures) {
  PkeyPtr weak = MakeKey("rsa1024");
  EXPECT_EQ(CertificateRequest::Parse(MakeCsr(weak.get())).status().problem(),
            "invalid-csr");
  PkeyPtr p384 = MakeKey("P-384");
  EXPECT_FALSE(CertificateRequest::Parse(MakeCsr(p384.get())).ok());
  PkeyPtr key = MakeKey("P-256");
  PkeyPtr other = MakeKey("P-256");
  auto forged = CertificateRequest::Parse(MakeCsr(key.get(), other.get()));
  EXPECT_FALSE(forged.ok());
  EXPECT_NE(forged.status().message().find("signature"), std::string::npos);
  EXPECT_FALSE(CertificateRequest::Parse("garbage").ok());
  std::string twice = MakeCsr(key.get());
  EXPECT_FALSE(CertificateRequest::Parse(twice + twice).ok());
}

TEST_F(CertificateAuthorityTest, ReloadsFromPemAndRefusesMismatchedKey) {
  auto key_pem = ca_->PrivateKeyPem();
  ASSERT_TRUE(key_pem.ok());
  auto loaded = CertificateAuthority::Load(ca_->certificate_pem(), *key_pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->certificate_pem(), ca_->certificate_pem());
  auto other = CertificateAuthority::Generate("example.org", kNow);
  auto other_key = (*other)->PrivateKeyPem();
  EXPECT_EQ(CertificateAuthority::Load(ca_->certificate_pem(), *other_key)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  Issue("P-256");
  auto leaf_as_ca = CertificateAuthority::Load(
      std::string(std::istreambuf_iterator<char>(
                      *std::make_unique<std::ifstream>(dir_ / "leaf.pem")),
                  {}),
      *key_pem);
  EXPECT_FALSE(leaf_as_ca.ok());
}

TEST_F(CertificateAuthorityTest, ImportedIntermediateSignsVerifiableLeaves) {
  const std::string d = dir_.string() + "/";
  const std::string ext = d + "ext.cnf";
  std::ofstream(ext) << "basicConstraints=critical,CA:TRUE,pathlen:0\n"
                        "keyUsage=critical,keyCertSign,cRLSign\n"
                        "subjectKeyIdentifier=hash\n"
                        "authorityKeyIdentifier=keyid:always\n";
  const std::string script =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-subj /CN=root -days 30 -keyout " +
      d + "root.key -out " + d +
      "root.pem && openssl req -new -newkey ec -pkeyopt "
      "ec_paramgen_curve:P-256 -nodes -subj /CN=inter -keyout " +
      d + "inter.key -out " + d + "inter.csr && openssl x509 -req -in " + d +
      "inter.csr -CA " + d + "root.pem -CAkey " + d +
      "root.key "
      "-CAcreateserial -days 30 -extfile " +
      ext + " -out " + d + "inter.pem >/dev/null 2>&1";
  ASSERT_EQ(std::system(script.c_str()), 0);
  auto read = [&](const std::string& name) {
    std::ifstream in(d + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto inter = CertificateAuthority::Load(read("inter.pem"), read("inter.key"));
  ASSERT_TRUE(inter.ok()) << inter.status().ToString();
  PkeyPtr key = MakeKey("P-256");
  auto request = CertificateRequest::Parse(MakeCsr(key.get()));
  ASSERT_TRUE(request.ok());
  const Timestamp now = SystemClock().Now();
  auto leaf = (*inter)->Sign(*request, "spiffe://example.org/w", now,
                             std::chrono::hours(1));
  ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
  Write("leaf.pem", leaf->pem);
  const std::string verify = "openssl verify -CAfile " + d + "root.pem " +
                             "-untrusted " + d + "inter.pem " + d +
                             "leaf.pem >/dev/null 2>&1";
  EXPECT_EQ(std::system(verify.c_str()), 0);
  // The root's key does not match the intermediate certificate.
  EXPECT_FALSE(
      CertificateAuthority::Load(read("inter.pem"), read("root.key")).ok());
}

}  // namespace
}  // namespace warden::pki
