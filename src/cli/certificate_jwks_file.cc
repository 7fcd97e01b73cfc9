#include "cli/certificate_jwks_file.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <boost/json/array.hpp>
#include <memory>

#include "cli/local_file.h"
#include "core/base64.h"

namespace warden::cli {
namespace {

// A few certificates, each a few KiB.
constexpr size_t kMaxCertificateFileBytes = 64 * 1024;

std::string Base64Der(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  if (size <= 0) return "";
  std::string text =
      Base64Encode(std::string_view(reinterpret_cast<const char*>(der), size));
  OPENSSL_free(der);
  return text;
}

}  // namespace

Result<boost::json::object> ReadCertificateJwksFile(const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string text,
                          ReadLocalFile(path, kMaxCertificateFileBytes));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
  boost::json::array keys;
  while (bio != nullptr) {
    X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (certificate == nullptr) break;
    std::string der = Base64Der(certificate);
    X509_free(certificate);
    if (der.empty()) break;
    keys.push_back(boost::json::object{{"x5c", boost::json::array{der}}});
  }
  ERR_clear_error();  // the read past the last certificate
  if (keys.empty()) {
    return InvalidArgument(path + ": no PEM certificate (BEGIN CERTIFICATE)");
  }
  return boost::json::object{{"keys", std::move(keys)}};
}

}  // namespace warden::cli
