// RAII owners for OpenSSL objects, and the one place OpenSSL's error queue
// is turned into a Status (private to pki/).
#ifndef WARDEN_PKI_OPENSSL_HANDLES_H_
#define WARDEN_PKI_OPENSSL_HANDLES_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden::pki {

template <auto Free>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpensslDeleter<X509_REQ_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, OpensslDeleter<X509_CRL_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;

// `code` error with `context` and OpenSSL's first queued reason; clears the
// queue so a later call does not see stale errors.
Status OpensslError(StatusCode code, std::string_view context);

// A read-only memory BIO over `pem` (copied when larger than INT_MAX is
// impossible: callers bound input sizes first).
BioPtr MemoryBio(std::string_view pem);
// Drains a memory BIO into a string.
std::string DrainBio(BIO* bio);

}  // namespace warden::pki

#endif  // WARDEN_PKI_OPENSSL_HANDLES_H_
