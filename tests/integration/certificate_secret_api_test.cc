// Certificates, secrets and break-glass over HTTP against a real server:
// the CA files in the data dir, openssl verify with the served CA bundle and
// CRL, problem+json for bad input, secret custody and the break-glass
// report.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "server_fixture.h"

namespace warden::testing_http {
namespace {

std::string Ed25519Csr(EVP_PKEY* key) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_pubkey(req, key);
  X509_REQ_sign(req, key, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(bio, req);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  X509_REQ_free(req);
  return pem;
}

class CertificateSecretApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    CreateTeam("payments");
    CreateIdentity("checkout-api", "payments");
  }
  void TearDown() override {
    EVP_PKEY_free(key_);
    ServerFixture::TearDown();
  }
  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(data_dir_ + "/" + name, std::ios::binary) << text;
  }
  int OpensslVerify(const std::string& extra) {
    const std::string command = "openssl verify " + extra + " -CAfile " +
                                data_dir_ + "/bundle.pem " + data_dir_ +
                                "/leaf.pem >/dev/null 2>&1";
    return std::system(command.c_str());
  }
  EVP_PKEY* key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
};

TEST_F(CertificateSecretApiTest, CaFilesAreCreatedPrivately) {
  struct stat info = {};
  ASSERT_EQ(::stat((data_dir_ + "/data/ca.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((data_dir_ + "/data/ca.crt").c_str(), &info), 0);
  std::ifstream in(data_dir_ + "/data/ca.crt");
  const std::string ca((std::istreambuf_iterator<char>(in)), {});
  HttpReply bundle = client_->Get("/pki/ca");  // public
  EXPECT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.body, ca);
}

TEST_F(CertificateSecretApiTest, IssueVerifyRevokeAndCrl) {
  HttpReply issued =
      client_->Post("/v1/certificates", admin_token_,
                    boost::json::object{{"identity", "checkout-api"},
                                        {"csr", Ed25519Csr(key_)}});
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(issued.header("cache-control"), "no-store");
  auto svid = issued.json().as_object();
  EXPECT_EQ(svid.at("spiffe_id").as_string(),
            "spiffe://warden.local/ns/development/sa/checkout-api");
  EXPECT_TRUE(svid.contains("renew_after"));
  WriteFile("bundle.pem", client_->Get("/pki/ca").body);
  WriteFile("leaf.pem", std::string(svid.at("certificate").as_string()));
  EXPECT_EQ(OpensslVerify("-purpose sslclient"), 0);

  HttpReply listed =
      client_->Get("/v1/certificates?identity=checkout-api", admin_token_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json().at("items").as_array().size(), 1u);

  const std::string serial(svid.at("serial").as_string());
  HttpReply revoked =
      client_->Post("/v1/certificates/" + serial + "/revoke", admin_token_,
                    boost::json::object{{"reason", "key compromise"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  HttpReply crl = client_->Get("/pki/crl");  // public
  ASSERT_EQ(crl.status, 200);
  WriteFile("crl.pem", crl.body);
  EXPECT_NE(OpensslVerify("-crl_check -CRLfile " + data_dir_ + "/crl.pem"), 0);
  HttpReply der = client_->Get("/pki/crl?format=der");
  EXPECT_EQ(der.status, 200);
  EXPECT_EQ(der.content_type(), "application/pkix-crl");
}

TEST_F(CertificateSecretApiTest, RenewalOverHttpWithTheCurrentCertificate) {
  HttpReply issued =
      client_->Post("/v1/certificates", admin_token_,
                    boost::json::object{{"identity", "checkout-api"},
                                        {"csr", Ed25519Csr(key_)}});
  ASSERT_EQ(issued.status, 201);
  const std::string pem(issued.json().at("certificate").as_string());
  HttpReply renewed = client_->Post(
      "/v1/certificates/renew", "",
      boost::json::object{{"certificate", pem}, {"csr", Ed25519Csr(key_)}});
  ASSERT_EQ(renewed.status, 201) << renewed.body;
  EXPECT_EQ(renewed.json().at("renewed_from").as_string(),
            issued.json().at("serial").as_string());
  EVP_PKEY* other = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  HttpReply stolen = client_->Post(
      "/v1/certificates/renew", "",
      boost::json::object{{"certificate", pem}, {"csr", Ed25519Csr(other)}});
  EVP_PKEY_free(other);
  EXPECT_EQ(stolen.status, 401);
}

TEST_F(CertificateSecretApiTest, BadInputIsProblemJsonNeverServerError) {
  const std::vector<boost::json::object> bodies = {
      {{"identity", "checkout-api"}, {"csr", "not a csr"}},
      {{"identity", "checkout-api"}},
      {{"identity", "nobody"}, {"csr", Ed25519Csr(key_)}},
      {{"identity", "checkout-api"},
       {"csr", Ed25519Csr(key_)},
       {"ttl_seconds", -5}},
      {{"identity", "checkout-api"}, {"csr", Ed25519Csr(key_)}, {"extra", 1}},
  };
  for (const auto& body : bodies) {
    HttpReply reply = client_->Post("/v1/certificates", admin_token_, body);
    EXPECT_GE(reply.status, 400) << reply.body;
    EXPECT_LT(reply.status, 500) << reply.body;
    EXPECT_EQ(reply.content_type(), "application/problem+json");
  }
  EXPECT_EQ(
      client_->Post("/v1/certificates/renew", "",
                    boost::json::object{{"certificate", "x"}, {"csr", "y"}})
              .status /
          100,
      4);
  EXPECT_EQ(client_->Get("/pki/crl?format=xml").status, 400);
}

TEST_F(CertificateSecretApiTest, SecretsAreEncryptedAndBreakGlassIsReviewed) {
  const std::string value = "sk_live_PLAINTEXT_0123456789";
  HttpReply put = client_->Post(
      "/v1/secrets", admin_token_,
      boost::json::object{
          {"name", "stripe"}, {"identity", "checkout-api"}, {"value", value}});
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.body.find(value), std::string::npos);
  HttpReply read = client_->Get("/v1/secrets/stripe/value", admin_token_);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json().at("value").as_string(), value);
  const std::string auditor = CreateUserToken("carol", "auditor");
  EXPECT_EQ(client_->Get("/v1/secrets/stripe/value", auditor).status, 403);
  HttpReply listed = client_->Get("/v1/secrets", auditor);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(value), std::string::npos);

  std::string db;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(data_dir_ + "/data/warden.db" + suffix, std::ios::binary);
    db.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(db.find("PLAINTEXT"), std::string::npos);

  HttpReply glass =
      client_->Post("/v1/break-glass/secret-read", admin_token_,
                    boost::json::object{
                        {"secret", "stripe"},
                        {"reason", "INC-9 payments down, vendor escalation"}});
  ASSERT_EQ(glass.status, 201) << glass.body;
  const std::string id(glass.json().at("id").as_string());
  HttpReply open = client_->Get("/v1/break-glass?unreviewed=true", auditor);
  ASSERT_EQ(open.status, 200);
  EXPECT_EQ(open.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(client_
                ->Post("/v1/break-glass/" + id + "/review", admin_token_,
                       boost::json::object{{"note", "mine"}})
                .status,
            403);
  HttpReply reviewed =
      client_->Post("/v1/break-glass/" + id + "/review", auditor,
                    boost::json::object{{"note", "justified by INC-9"}});
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_TRUE(client_->Get("/v1/break-glass?unreviewed=true", auditor)
                  .json()
                  .at("items")
                  .as_array()
                  .empty());
}

}  // namespace
}  // namespace warden::testing_http
