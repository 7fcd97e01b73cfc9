#ifndef WARDEN_SERVICE_CREDENTIAL_TEST_SEED_H_
#define WARDEN_SERVICE_CREDENTIAL_TEST_SEED_H_
// Test helpers shared by the certificate, secret and break-glass service
// tests (tests only).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

#include "core/id.h"
#include "core/identity.h"
#include "store/store.h"

namespace warden {

inline Identity SeedIdentity(Store& store, Timestamp now, std::string name,
                             std::string owner,
                             RiskTier tier = RiskTier::kLow) {
  Identity identity;
  identity.id = NewId(now);
  identity.name = std::move(name);
  identity.kind = IdentityKind::kWorkload;
  identity.owner = std::move(owner);
  identity.application = "app";
  identity.environment = Environment::kProduction;
  identity.business_function = "payments";
  identity.risk_tier = tier;
  identity.risk_tier_declared = true;
  identity.auth_method = "x509";
  identity.rotation_days = 30;
  identity.expires_at = now + std::chrono::days(90);
  identity.justification = "test";
  identity.created_at = identity.updated_at = now;
  Status status = store.Write(
      [&](Transaction& tx) { return tx.identities().Insert(identity); });
  if (!status.ok()) ADD_FAILURE() << status.ToString();
  return identity;
}

// An Ed25519 key and a CSR signed by it (PEM), for tests.
struct TestKey {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ~TestKey() { EVP_PKEY_free(key); }
  std::string Csr() const {
    X509_REQ* req = X509_REQ_new();
    X509_REQ_set_pubkey(req, key);
    X509_REQ_sign(req, key, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_REQ(bio, req);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);  // NOLINT
    std::string pem(data, static_cast<size_t>(size));
    BIO_free(bio);
    X509_REQ_free(req);
    return pem;
  }
};

}  // namespace warden

#endif  // WARDEN_SERVICE_CREDENTIAL_TEST_SEED_H_
