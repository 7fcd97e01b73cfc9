// Mutual TLS with workloads, spoken with OpenSSL's TLS client (through
// Boost.Asio): Warden's CA is the listener's client CA and self-signed
// client certificates are accepted too.
//  - SVID renewal where the handshake is the credential.
//  - RFC 8705: client authentication at the token endpoint by an SVID
//    (tls_client_auth, matched by its SPIFFE ID) or by a registered
//    self-signed certificate (self_signed_tls_client_auth), and
//    certificate-bound access tokens (cnf.x5t#S256) that Warden's own
//    routes accept only over a connection presenting that certificate.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base64.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "http_client.h"
#include "server_fixture.h"
#include "tls_connection.h"
#include "tls_test_files.h"
#include "tokens/jwks.h"
#include "tokens/jws.h"
#include "tokens/signing_key.h"

namespace warden::testing_http {
namespace {

// A fresh P-256 key (PEM) and a CSR signed by it.
struct KeyAndCsr {
  std::string key_pem;
  std::string csr_pem;
};

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  std::string text(data, static_cast<size_t>(size));
  BIO_free(bio);
  return text;
}

KeyAndCsr NewKeyAndCsr() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509_REQ* request = X509_REQ_new();
  X509_REQ_set_pubkey(request, key);
  X509_REQ_sign(request, key, EVP_sha256());
  BIO* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  BIO* csr_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_REQ(csr_bio, request);
  X509_REQ_free(request);
  EVP_PKEY_free(key);
  return {BioText(key_bio), BioText(csr_bio)};
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A workload renews its X509-SVID over mutual TLS: Warden's own CA is the
// client CA, the handshake presents the current SVID and proves its key,
// and the body holds only a CSR, which may carry a new key.
class MutualTlsTest : public ServerFixture {
 protected:
  // Issues an SVID to a workload over plain HTTP, then restarts the server
  // on the same data dir with TLS and Warden's CA as the client CA.
  void SetUp() override {
    ServerFixture::SetUp();
    CreateTeam("payments");
    identity_id_ = std::string(
        CreateIdentity("checkout-api", "payments").at("id").as_string());
    HttpReply scoped =
        client_->Send("PATCH", "/v1/identities/" + identity_id_, admin_token_,
                      R"({"scopes": ["secrets:read"]})");
    ASSERT_EQ(scoped.status, 200) << scoped.body;
    HttpReply secret =
        client_->Post("/v1/secrets", admin_token_,
                      boost::json::object{{"name", "checkout-db"},
                                          {"identity", identity_id_},
                                          {"value", "s3cr3t-value"}});
    ASSERT_EQ(secret.status, 201) << secret.body;
    const KeyAndCsr first = NewKeyAndCsr();
    HttpReply issued =
        client_->Post("/v1/certificates", admin_token_,
                      boost::json::object{{"identity", "checkout-api"},
                                          {"csr", first.csr_pem}});
    ASSERT_EQ(issued.status, 201) << issued.body;
    serial_ = std::string(issued.json().at("serial").as_string());
    spiffe_id_ = std::string(issued.json().at("spiffe_id").as_string());
    HttpReply ca = client_->Get("/pki/ca");
    ASSERT_EQ(ca.status, 200);

    tls_dir_ = data_dir_ + "/tls";
    std::filesystem::create_directories(tls_dir_);
    ASSERT_EQ(MakeTlsTestFiles(tls_dir_, &files_), "");
    ASSERT_EQ(MakeSelfSignedClient(tls_dir_, "self"), "");
    ASSERT_EQ(MakeSelfSignedClient(tls_dir_, "impostor"), "");
    WriteFile(tls_dir_ + "/warden-ca.pem", ca.body);
    WriteFile(tls_dir_ + "/svid.pem",
              std::string(issued.json().at("certificate").as_string()));
    WriteFile(tls_dir_ + "/svid.key", first.key_pem);

    client_.reset();
    app_->Stop();
    server::ServerOptions options;
    options.data_dir = data_dir_ + "/data";
    options.listen = "127.0.0.1:0";
    options.tls_certificate_file = files_.server_cert;
    options.tls_key_file = files_.server_key;
    options.tls_client_ca_file = tls_dir_ + "/warden-ca.pem";
    options.tls_client_self_signed = true;
    Result<std::unique_ptr<server::ServerApp>> app =
        server::ServerApp::Start(options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
  }

  TlsConnection WithSvid() {
    return TlsConnection(
        app_->port(), files_.ca_cert,
        {.certificate = tls_dir_ + "/svid.pem", .key = tls_dir_ + "/svid.key"});
  }

  TlsConnection With(const std::string& name) {
    return TlsConnection(app_->port(), files_.ca_cert,
                         {.certificate = tls_dir_ + "/" + name + ".pem",
                          .key = tls_dir_ + "/" + name + ".key"});
  }

  // Registers the identity's OAuth client credential, as admin.
  int Register(boost::json::object body) {
    TlsConnection admin(app_->port(), files_.ca_cert);
    return admin.Post("/v1/identities/" + identity_id_ + "/credentials",
                      admin_token_, body);
  }

  // A client_credentials grant authenticated by the connection's
  // certificate alone (RFC 8705: client_id in the body, no secret).
  int RequestToken(TlsConnection& connection) {
    return connection.PostForm(
        "/oauth/token",
        "grant_type=client_credentials&scope=secrets%3Aread&client_id=" +
            identity_id_);
  }

  std::string tls_dir_;
  TlsTestFiles files_;
  std::string identity_id_;
  std::string serial_;
  std::string spiffe_id_;
};

TEST_F(MutualTlsTest, TheHandshakeIsTheCredentialAndTheKeyMayRotate) {
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  const KeyAndCsr next = NewKeyAndCsr();  // a new key: rotation
  ASSERT_EQ(workload.Post("/v1/certificates/renew", "",
                          boost::json::object{{"csr", next.csr_pem}}),
            201)
      << workload.body();
  const boost::json::value renewed = boost::json::parse(workload.body());
  EXPECT_EQ(renewed.at("renewed_from").as_string(), serial_);
  EXPECT_EQ(renewed.at("spiffe_id").as_string(), spiffe_id_);
}

TEST_F(MutualTlsTest, WithoutACertificateTheBodyMustCarryOne) {
  TlsConnection anonymous(app_->port(), files_.ca_cert);
  ASSERT_TRUE(anonymous.connected()) << anonymous.error();
  EXPECT_EQ(
      anonymous.Post("/v1/certificates/renew", "",
                     boost::json::object{{"csr", NewKeyAndCsr().csr_pem}}),
      400)
      << anonymous.body();
}

TEST_F(MutualTlsTest, ARevokedSvidStillHandshakesButRenewsNothing) {
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_TRUE(admin.connected()) << admin.error();
  ASSERT_EQ(admin.Post("/v1/certificates/" + serial_ + "/revoke", admin_token_,
                       boost::json::object{{"reason", "key compromise"}}),
            200)
      << admin.body();
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  EXPECT_EQ(workload.Post("/v1/certificates/renew", "",
                          boost::json::object{{"csr", NewKeyAndCsr().csr_pem}}),
            401)
      << workload.body();
}

// The DER of the first certificate in a PEM file.
std::string CertificateDer(const std::string& pem_file) {
  FILE* file = std::fopen(pem_file.c_str(), "r");
  if (file == nullptr) return "";
  X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  unsigned char* der = nullptr;
  const int size = certificate ? i2d_X509(certificate, &der) : 0;
  X509_free(certificate);
  if (size <= 0) return "";
  std::string out(reinterpret_cast<const char*>(der), size);
  OPENSSL_free(der);
  return out;
}

// x5t#S256 of the certificate in a PEM file (RFC 8705 section 3.1).
std::string Thumbprint(const std::string& pem_file) {
  const Sha256Digest digest = Sha256(CertificateDer(pem_file));
  return Base64UrlEncode(std::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// A JWKS whose one key carries the certificate (base64 DER in "x5c").
boost::json::object JwksWith(const std::string& pem_file) {
  const std::string base64 = Base64Encode(CertificateDer(pem_file));
  return {{"keys", boost::json::array{boost::json::object{
                       {"kty", "EC"}, {"x5c", boost::json::array{base64}}}}}};
}

// The claims of a compact JWS (unverified: the test reads what was issued).
boost::json::object Claims(const std::string& token) {
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  Result<std::string> payload =
      Base64UrlDecode(token.substr(first + 1, second - first - 1));
  return payload.ok() ? boost::json::parse(*payload).as_object()
                      : boost::json::object();
}

std::string AccessToken(const TlsConnection& connection) {
  return std::string(
      boost::json::parse(connection.body()).at("access_token").as_string());
}

TEST_F(MutualTlsTest, TlsClientAuthBySpiffeIdIssuesACertificateBoundToken) {
  ASSERT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_san_uri", spiffe_id_}}),
            201);
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  ASSERT_EQ(RequestToken(workload), 200) << workload.body();
  const std::string token = AccessToken(workload);
  const boost::json::object claims = Claims(token);
  ASSERT_TRUE(claims.contains("cnf")) << boost::json::serialize(claims);
  EXPECT_EQ(claims.at("cnf").at("x5t#S256").as_string(),
            Thumbprint(tls_dir_ + "/svid.pem"));

  // Warden's own route takes it over the same certificate...
  EXPECT_EQ(workload.Get("/v1/secrets/checkout-db/value", token), 200)
      << workload.body();
  // ...and from nobody else: a stolen bound token is useless.
  TlsConnection thief(app_->port(), files_.ca_cert);
  ASSERT_TRUE(thief.connected()) << thief.error();
  EXPECT_EQ(thief.Get("/v1/secrets/checkout-db/value", token), 401);
  EXPECT_NE(thief.body().find("RFC 8705"), std::string::npos) << thief.body();
  TlsConnection other = With("self");
  ASSERT_TRUE(other.connected()) << other.error();
  EXPECT_EQ(other.Get("/v1/secrets/checkout-db/value", token), 401);

  // Introspection tells a resource server what to check (RFC 8705 3.2).
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_EQ(admin.Send(boost::beast::http::verb::post, "/oauth/introspect",
                       admin_token_, "token=" + token,
                       "application/x-www-form-urlencoded"),
            200)
      << admin.body();
  const boost::json::value introspected = boost::json::parse(admin.body());
  EXPECT_EQ(introspected.at("active").as_bool(), true);
  EXPECT_EQ(introspected.at("cnf").at("x5t#S256").as_string(),
            Thumbprint(tls_dir_ + "/svid.pem"));
}

TEST_F(MutualTlsTest, TlsClientAuthRefusesAnotherNameAStrangerAndNoCert) {
  ASSERT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_san_uri",
                       "spiffe://warden.local/ns/development/sa/billing"}}),
            201);
  TlsConnection workload = WithSvid();
  EXPECT_EQ(RequestToken(workload), 401) << workload.body();
  EXPECT_NE(workload.body().find("invalid_client"), std::string::npos);

  ASSERT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_subject_dn", "CN=self"}}),
            201);
  // A self-signed certificate with the registered subject: no chain, so
  // the PKI method refuses it.
  TlsConnection self = With("self");
  ASSERT_TRUE(self.connected()) << self.error();
  EXPECT_EQ(RequestToken(self), 401) << self.body();
  TlsConnection anonymous(app_->port(), files_.ca_cert);
  EXPECT_EQ(RequestToken(anonymous), 401) << anonymous.body();
}

TEST_F(MutualTlsTest, ARevokedSvidAuthenticatesNoClient) {
  ASSERT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_san_uri", spiffe_id_}}),
            201);
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_EQ(admin.Post("/v1/certificates/" + serial_ + "/revoke", admin_token_,
                       boost::json::object{{"reason", "key compromise"}}),
            200);
  TlsConnection workload = WithSvid();
  ASSERT_TRUE(workload.connected()) << workload.error();
  EXPECT_EQ(RequestToken(workload), 401) << workload.body();
  EXPECT_NE(workload.body().find("revoked"), std::string::npos);
}

TEST_F(MutualTlsTest, AnSvidAuthenticatesOnlyItsOwnIdentity) {
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_EQ(admin.Post("/v1/identities", admin_token_,
                       IdentityBody("billing-api", "payments", "development")),
            201)
      << admin.body();
  const std::string other(
      boost::json::parse(admin.body()).at("id").as_string());
  // Registered (by mistake or malice) with checkout-api's SPIFFE ID.
  ASSERT_EQ(
      admin.Post("/v1/identities/" + other + "/credentials", admin_token_,
                 boost::json::object{{"method", "tls_client_auth"},
                                     {"tls_client_auth_san_uri", spiffe_id_}}),
      201);
  TlsConnection workload = WithSvid();
  EXPECT_EQ(
      workload.PostForm("/oauth/token",
                        "grant_type=client_credentials&client_id=" + other),
      401)
      << workload.body();
  EXPECT_NE(workload.body().find("another identity"), std::string::npos);
}

TEST_F(MutualTlsTest, SelfSignedClientAuthTakesOnlyTheRegisteredCertificate) {
  ASSERT_EQ(Register({{"method", "self_signed_tls_client_auth"},
                      {"jwks", JwksWith(tls_dir_ + "/self.pem")}}),
            201);
  TlsConnection self = With("self");
  ASSERT_TRUE(self.connected()) << self.error();
  ASSERT_EQ(RequestToken(self), 200) << self.body();
  const std::string token = AccessToken(self);
  EXPECT_EQ(Claims(token).at("cnf").at("x5t#S256").as_string(),
            Thumbprint(tls_dir_ + "/self.pem"));
  EXPECT_EQ(self.Get("/v1/secrets/checkout-db/value", token), 200);

  // Same subject, another key: refused.
  TlsConnection impostor = With("impostor");
  ASSERT_TRUE(impostor.connected()) << impostor.error();
  EXPECT_EQ(RequestToken(impostor), 401) << impostor.body();
  // A self-signed certificate renews no SVID.
  EXPECT_EQ(self.Post("/v1/certificates/renew", "",
                      boost::json::object{{"csr", NewKeyAndCsr().csr_pem}}),
            401)
      << self.body();
}

TEST_F(MutualTlsTest, ASecretClientOverMutualTlsGetsABoundToken) {
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_EQ(admin.Post("/v1/identities/" + identity_id_ + "/credentials",
                       admin_token_,
                       boost::json::object{{"method", "client_secret"}}),
            201);
  const std::string secret(
      boost::json::parse(admin.body()).at("client_secret").as_string());
  TlsConnection workload = WithSvid();
  ASSERT_EQ(workload.PostForm("/oauth/token",
                              "grant_type=client_credentials&client_id=" +
                                  identity_id_ + "&client_secret=" + secret),
            200)
      << workload.body();
  EXPECT_EQ(Claims(AccessToken(workload)).at("cnf").at("x5t#S256").as_string(),
            Thumbprint(tls_dir_ + "/svid.pem"));
  // Without a certificate the token is a plain bearer token.
  TlsConnection anonymous(app_->port(), files_.ca_cert);
  ASSERT_EQ(anonymous.PostForm("/oauth/token",
                               "grant_type=client_credentials&client_id=" +
                                   identity_id_ + "&client_secret=" + secret),
            200);
  EXPECT_FALSE(Claims(AccessToken(anonymous)).contains("cnf"));
}

// RFC 8693 over mutual TLS: a CI token of a trusted issuer exchanged for a
// token bound to the connection's certificate.
TEST_F(MutualTlsTest, AnExchangedTokenIsBoundToo) {
  auto ci_key = tokens::SigningKey::Generate(tokens::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(ci_key.ok());
  boost::json::array issuers{boost::json::object{
      {"issuer", "https://ci.example"},
      {"audience", "warden"},
      {"jwks",
       boost::json::parse(tokens::Jwks({(*ci_key)->public_key()}).ToJson())},
      {"rules",
       {boost::json::object{{"claims", {{"repository", "acme/checkout"}}},
                            {"identity", "checkout-api"}}}}}};
  TlsConnection admin(app_->port(), files_.ca_cert);
  ASSERT_EQ(
      admin.Send(boost::beast::http::verb::put, "/v1/oauth/trusted-issuers",
                 admin_token_, boost::json::serialize(issuers)),
      200)
      << admin.body();
  const int64_t now = ToUnixSeconds(SystemClock().Now());
  auto ci_token =
      tokens::SignCompactJws(**ci_key, "JWT",
                             boost::json::serialize(boost::json::object{
                                 {"iss", "https://ci.example"},
                                 {"aud", "warden"},
                                 {"sub", "repo:acme/checkout"},
                                 {"repository", "acme/checkout"},
                                 {"iat", now},
                                 {"exp", now + 300}}));
  ASSERT_TRUE(ci_token.ok());
  TlsConnection workload = WithSvid();
  ASSERT_EQ(workload.PostForm(
                "/oauth/token",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-"
                "exchange&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3A"
                "token-type%3Ajwt&subject_token=" +
                    *ci_token),
            200)
      << workload.body();
  EXPECT_EQ(Claims(AccessToken(workload)).at("cnf").at("x5t#S256").as_string(),
            Thumbprint(tls_dir_ + "/svid.pem"));
}

TEST_F(MutualTlsTest, RegistrationIsValidated) {
  EXPECT_EQ(Register({{"method", "tls_client_auth"}}), 400);
  EXPECT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_san_uri", spiffe_id_},
                      {"tls_client_auth_san_dns", "checkout.example"}}),
            400);
  EXPECT_EQ(Register({{"method", "client_secret"},
                      {"tls_client_auth_san_uri", spiffe_id_}}),
            400);
  EXPECT_EQ(Register({{"method", "tls_client_auth"},
                      {"tls_client_auth_san_ip", "not-an-address"}}),
            400);
  EXPECT_EQ(
      Register({{"method", "self_signed_tls_client_auth"},
                {"jwks", boost::json::object{{"keys", boost::json::array{}}}}}),
      400);
}

TEST_F(MutualTlsTest, MetadataAdvertisesTheMutualTlsMethods) {
  TlsConnection anonymous(app_->port(), files_.ca_cert);
  ASSERT_EQ(anonymous.Get("/.well-known/oauth-authorization-server"), 200);
  const boost::json::value metadata = boost::json::parse(anonymous.body());
  const auto& methods =
      metadata.at("token_endpoint_auth_methods_supported").as_array();
  EXPECT_NE(std::find(methods.begin(), methods.end(),
                      boost::json::value("tls_client_auth")),
            methods.end());
  EXPECT_NE(std::find(methods.begin(), methods.end(),
                      boost::json::value("self_signed_tls_client_auth")),
            methods.end());
  EXPECT_EQ(metadata.at("tls_client_certificate_bound_access_tokens").as_bool(),
            true);
}

}  // namespace
}  // namespace warden::testing_http
