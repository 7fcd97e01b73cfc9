// PKCS#10 (RFC 2986) parsing and proof-of-possession check.
#include "pki/certificate_request.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

namespace warden::pki {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE REQUEST-----";

Status Refuse(std::string why) {
  ERR_clear_error();
  return InvalidArgument("csr: " + why, "invalid-csr");
}

size_t CountOccurrences(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

Result<std::string> CheckEcKey(EVP_PKEY* key) {
  char group[64] = {};
  size_t length = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof(group), &length) != 1 ||
      std::strcmp(group, "prime256v1") != 0) {
    return Refuse("EC keys must be on P-256");
  }
  return std::string("ec-p256");
}

}  // namespace

std::string PublicKeyDer(const EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

Result<std::string> CheckWorkloadKey(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
      return std::string("ed25519");
    case EVP_PKEY_EC:
      return CheckEcKey(key);
    case EVP_PKEY_RSA: {
      const int bits = EVP_PKEY_get_bits(key);
      if (bits < kMinRsaBits || bits > kMaxRsaBits) {
        return Refuse("RSA keys must have 2048 to 8192 bits, got " +
                      std::to_string(bits));
      }
      return "rsa-" + std::to_string(bits);
    }
    default:
      return Refuse("key type must be Ed25519, EC P-256 or RSA >= 2048");
  }
}

Result<CertificateRequest> CertificateRequest::Parse(std::string_view pem) {
  if (pem.size() > kMaxCsrPemBytes) {
    return Refuse("larger than " + std::to_string(kMaxCsrPemBytes) + " bytes");
  }
  if (CountOccurrences(pem, kBegin) != 1) {
    return Refuse("expected exactly one PEM CERTIFICATE REQUEST block");
  }
  BioPtr bio = MemoryBio(pem);
  X509ReqPtr request(
      PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) return Refuse("not a decodable PKCS#10 request");
  PkeyPtr key(X509_REQ_get_pubkey(request.get()));
  if (!key) return Refuse("public key does not decode");
  WARDEN_ASSIGN_OR_RETURN(std::string key_type, CheckWorkloadKey(key.get()));
  if (X509_REQ_verify(request.get(), key.get()) != 1) {
    return Refuse("signature does not verify (no proof of key possession)");
  }
  ERR_clear_error();
  return CertificateRequest(std::move(request), std::move(key),
                            std::move(key_type));
}

}  // namespace warden::pki
