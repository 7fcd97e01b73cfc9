// A fresh Ed25519 key's CSR (PEM), for certificate route tests (tests only).
#ifndef WARDEN_TESTS_INTEGRATION_CREDENTIAL_TEST_CSR_H_
#define WARDEN_TESTS_INTEGRATION_CREDENTIAL_TEST_CSR_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace warden::testing_http {

inline std::string FreshCsrPem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
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
  EVP_PKEY_free(key);
  return pem;
}

}  // namespace warden::testing_http

#endif  // WARDEN_TESTS_INTEGRATION_CREDENTIAL_TEST_CSR_H_
