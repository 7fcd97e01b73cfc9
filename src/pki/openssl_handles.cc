#include "pki/openssl_handles.h"

#include <openssl/err.h>

namespace warden::pki {

Status OpensslError(StatusCode code, std::string_view context) {
  const unsigned long err = ERR_get_error();  // NOLINT(runtime/int)
  std::string reason = err ? ERR_reason_error_string(err)
                                 ? ERR_reason_error_string(err)
                                 : "unknown"
                           : "no detail";
  ERR_clear_error();
  return Status(code, std::string(context) + ": " + reason);
}

BioPtr MemoryBio(std::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  return size > 0 ? std::string(data, static_cast<size_t>(size))
                  : std::string();
}

}  // namespace warden::pki
