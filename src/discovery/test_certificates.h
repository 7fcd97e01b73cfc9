// Test-only: certificates made with OpenSSL at test time, so that no private
// key is ever checked in. Header-only; aborts the test on OpenSSL failure.
#ifndef WARDEN_DISCOVERY_TEST_CERTIFICATES_H_
#define WARDEN_DISCOVERY_TEST_CERTIFICATES_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

namespace warden::discovery::testing {

struct TestCertificate {
  std::string der;
  std::string pem;
  std::string key_pem;            // PKCS#8 private key
  std::shared_ptr<EVP_PKEY> key;  // for signing children
  std::shared_ptr<X509> cert;     // for issuing children
};

// Built fluently: Spec("cn").San("URI:...").Ca().IssuedBy(&root).
struct TestCertificateSpec {
  explicit TestCertificateSpec(std::string cn) : common_name(std::move(cn)) {}
  TestCertificateSpec San(std::string value) const {
    TestCertificateSpec copy = *this;
    copy.san = std::move(value);
    return copy;
  }
  TestCertificateSpec Ca() const {
    TestCertificateSpec copy = *this;
    copy.is_ca = true;
    return copy;
  }
  TestCertificateSpec Rsa(unsigned bits = 2048) const {
    TestCertificateSpec copy = *this;
    copy.rsa = true;
    copy.rsa_bits = bits;
    return copy;
  }
  TestCertificateSpec Serial(long value) const {
    TestCertificateSpec copy = *this;
    copy.serial = value;
    return copy;
  }
  TestCertificateSpec IssuedBy(const TestCertificate* ca) const {
    TestCertificateSpec copy = *this;
    copy.issuer = ca;
    return copy;
  }

  std::string common_name;
  std::string san;  // OpenSSL config form: "URI:spiffe://x/y,DNS:a.example"
  bool is_ca = false;
  bool rsa = false;
  unsigned rsa_bits = 2048;  // RSA-2048 instead of P-256
  long serial = 1;
  const TestCertificate* issuer = nullptr;  // nullptr: self-signed
};

inline void Check(bool ok) {
  if (!ok) std::abort();
}

inline void AddExtension(X509* cert, X509* issuer, int nid,
                         const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  Check(ext != nullptr);
  Check(X509_add_ext(cert, ext, -1) == 1);
  X509_EXTENSION_free(ext);
}

inline std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(size));
  BIO_free(bio);
  return text;
}

inline TestCertificate MakeCertificate(const TestCertificateSpec& spec) {
  TestCertificate out;
  EVP_PKEY* raw_key =
      spec.rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                                   static_cast<size_t>(spec.rsa_bits))
               : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Check(raw_key != nullptr);
  out.key.reset(raw_key, EVP_PKEY_free);
  X509* cert = X509_new();
  out.cert.reset(cert, X509_free);
  Check(X509_set_version(cert, X509_VERSION_3) == 1);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 30);
  Check(X509_set_pubkey(cert, raw_key) == 1);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      name, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
      0);
  X509* issuer = spec.issuer ? spec.issuer->cert.get() : cert;
  EVP_PKEY* signer = spec.issuer ? spec.issuer->key.get() : raw_key;
  Check(X509_set_issuer_name(cert, X509_get_subject_name(issuer)) == 1);
  AddExtension(cert, issuer, NID_basic_constraints,
               spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  if (!spec.san.empty()) {
    AddExtension(cert, issuer, NID_subject_alt_name, spec.san);
  }
  Check(X509_sign(cert, signer, EVP_sha256()) > 0);
  unsigned char* der = nullptr;
  const int der_size = i2d_X509(cert, &der);
  Check(der_size > 0);
  out.der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(der_size));
  OPENSSL_free(der);
  BIO* pem = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_X509(pem, cert) == 1);
  out.pem = Drain(pem);
  BIO* key_pem = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PrivateKey(key_pem, raw_key, nullptr, nullptr, 0, nullptr,
                                 nullptr) == 1);
  out.key_pem = Drain(key_pem);
  return out;
}

}  // namespace warden::discovery::testing

#endif  // WARDEN_DISCOVERY_TEST_CERTIFICATES_H_
