#include "oauth/certificate_client_auth.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace warden::oauth {
namespace {

ClientCertificate Certificate() {
  ClientCertificate certificate;
  certificate.der = std::string("\x30\x82\x01\x02-der-of-the-leaf", 20);
  certificate.subject = "CN=payments-api,O=Example";
  certificate.uri_sans = {"spiffe://example.org/ns/prod/sa/payments-api"};
  certificate.dns_sans = {"payments.example.org"};
  certificate.ip_sans = {"2001:db8::7"};
  certificate.email_sans = {"ops@example.org"};
  certificate.chain_verified = true;
  return certificate;
}

ClientCredentialRecord TlsClientAuth(std::string field, std::string value) {
  ClientCredentialRecord record;
  record.method = kTlsClientAuthMethod;
  Result<std::string> normalized = NormalizeTlsClientAuthValue(field, value);
  EXPECT_TRUE(normalized.ok()) << normalized.status().message();
  record.certificate_field = std::move(field);
  record.certificate_value = normalized.ok() ? *normalized : "";
  return record;
}

TEST(CertificateClientAuthTest, EachRegisteredNameMatchesItsField) {
  const ClientCertificate certificate = Certificate();
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"tls_client_auth_subject_dn", "CN=payments-api,O=Example"},
           {"tls_client_auth_san_uri",
            "spiffe://example.org/ns/prod/sa/payments-api"},
           {"tls_client_auth_san_dns", "PAYMENTS.example.org"},
           {"tls_client_auth_san_ip", "2001:0db8:0:0::7"},
           {"tls_client_auth_san_email", "ops@example.org"}}) {
    EXPECT_TRUE(
        MatchClientCertificate(TlsClientAuth(field, value), certificate).ok())
        << field;
  }
}

TEST(CertificateClientAuthTest, AnotherNameOrAnotherFieldDoesNotMatch) {
  const ClientCertificate certificate = Certificate();
  // The SPIFFE ID of another workload.
  Status other = MatchClientCertificate(
      TlsClientAuth("tls_client_auth_san_uri",
                    "spiffe://example.org/ns/prod/sa/billing"),
      certificate);
  EXPECT_EQ(other.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(other.problem(), "invalid_client");
  // The right value under the wrong field: a DNS name is not a URI SAN.
  EXPECT_FALSE(MatchClientCertificate(TlsClientAuth("tls_client_auth_san_uri",
                                                    "payments.example.org"),
                                      certificate)
                   .ok());
  // Subject DNs compare exactly.
  EXPECT_FALSE(
      MatchClientCertificate(
          TlsClientAuth("tls_client_auth_subject_dn", "CN=payments-api"),
          certificate)
          .ok());
}

TEST(CertificateClientAuthTest, TlsClientAuthNeedsAVerifiedChain) {
  ClientCertificate self_signed = Certificate();
  self_signed.chain_verified = false;
  Status status = MatchClientCertificate(
      TlsClientAuth("tls_client_auth_san_dns", "payments.example.org"),
      self_signed);
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("does not chain"), std::string::npos);
}

TEST(CertificateClientAuthTest, RegistrationRefusesBadFieldsAndValues) {
  EXPECT_FALSE(NormalizeTlsClientAuthValue("tls_client_auth_san_x", "a").ok());
  EXPECT_FALSE(NormalizeTlsClientAuthValue("tls_client_auth_san_uri", "").ok());
  EXPECT_FALSE(NormalizeTlsClientAuthValue("tls_client_auth_san_uri",
                                           std::string(1025, 'u'))
                   .ok());
  EXPECT_FALSE(
      NormalizeTlsClientAuthValue("tls_client_auth_san_ip", "10.0.0.300").ok());
  // Found reading the fuzzer's target: inet_pton stopped at a NUL.
  EXPECT_FALSE(NormalizeTlsClientAuthValue("tls_client_auth_san_ip",
                                           std::string("10.0.0.1\0junk", 13))
                   .ok());
  EXPECT_FALSE(
      NormalizeTlsClientAuthValue("tls_client_auth_san_dns", "a.example\n")
          .ok());
  Result<std::string> ip =
      NormalizeTlsClientAuthValue("tls_client_auth_san_ip", "2001:DB8::0:1");
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(*ip, "2001:db8::1");
}

TEST(CertificateClientAuthTest, SelfSignedMatchesOnlyARegisteredCertificate) {
  const ClientCertificate certificate = Certificate();
  ClientCredentialRecord record;
  record.method = kSelfSignedTlsClientAuthMethod;
  record.jwks = R"({"keys":[{"kty":"EC","x5c":[")" + Base64Encode("another") +
                R"("]},{"kty":"EC","x5c":[")" + Base64Encode(certificate.der) +
                R"("]}]})";
  ASSERT_TRUE(CheckSelfSignedJwks(record.jwks).ok());
  ClientCertificate unverified = certificate;
  unverified.chain_verified = false;  // self-signed: no chain to verify
  EXPECT_TRUE(MatchClientCertificate(record, unverified).ok());

  ClientCertificate other = unverified;
  other.der = "a different certificate";
  EXPECT_EQ(MatchClientCertificate(record, other).code(),
            StatusCode::kUnauthenticated);
}

TEST(CertificateClientAuthTest, SelfSignedJwksIsChecked) {
  EXPECT_FALSE(CheckSelfSignedJwks("[]").ok());
  EXPECT_FALSE(CheckSelfSignedJwks(R"({"keys":{}})").ok());
  EXPECT_FALSE(CheckSelfSignedJwks(R"({"keys":[{"kty":"EC"}]})").ok());
  EXPECT_FALSE(CheckSelfSignedJwks(R"({"keys":[{"x5c":[]}]})").ok());
  // base64url is not the x5c alphabet.
  EXPECT_FALSE(CheckSelfSignedJwks(R"({"keys":[{"x5c":["-_-_"]}]})").ok());
  EXPECT_FALSE(CheckSelfSignedJwks(R"({"keys":[{"x5c":[7]}]})").ok());
}

TEST(CertificateClientAuthTest, OtherMethodsAreNotCertificates) {
  ClientCredentialRecord record;
  record.method = kClientSecretMethod;
  EXPECT_EQ(MatchClientCertificate(record, Certificate()).code(),
            StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace warden::oauth
