#include "pki/x509_fields.h"

#include <openssl/bn.h>
#include <openssl/err.h>

#include <ctime>

#include "core/crypto.h"
#include "pki/openssl_handles.h"

namespace warden::pki {

Result<std::string> SetRandomSerial(X509* certificate) {
  std::string bytes = RandomBytes(16);
  bytes[0] = static_cast<char>(bytes[0] & 0x7f);  // positive
  if (bytes[0] == 0) bytes[0] = 1;                // minimal DER length 16
  std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>> bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                static_cast<int>(bytes.size()), nullptr));
  if (!bn ||
      !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(certificate))) {
    return OpensslError(StatusCode::kInternal, "set certificate serial");
  }
  return SerialHex(X509_get0_serialNumber(certificate));
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>> bn(
      ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  std::string text(hex ? hex : "");
  OPENSSL_free(hex);
  for (char& c : text) c = static_cast<char>(std::tolower(c));
  return text;
}

bool SetAsn1Time(ASN1_TIME* time, Timestamp at) {
  return ASN1_TIME_set(time, static_cast<time_t>(ToUnixSeconds(at))) != nullptr;
}

Status SetValidity(X509* certificate, Timestamp not_before,
                   Timestamp not_after) {
  if (!SetAsn1Time(X509_getm_notBefore(certificate), not_before) ||
      !SetAsn1Time(X509_getm_notAfter(certificate), not_after)) {
    return OpensslError(StatusCode::kInternal, "set certificate validity");
  }
  return Status::Ok();
}

Timestamp FromAsn1Time(const ASN1_TIME* time) {
  struct tm parts = {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return Timestamp{};
  const time_t seconds = timegm(&parts);
  return Timestamp(std::chrono::seconds(seconds));
}

Status AddExtension(X509* subject, X509* issuer, int nid,
                    std::string_view value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, subject, nullptr, nullptr, 0);
  const std::string text(value);
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, nid, text.c_str());
  if (!extension) {
    return OpensslError(StatusCode::kInternal,
                        "build extension " + std::string(OBJ_nid2sn(nid)));
  }
  const int added = X509_add_ext(subject, extension, -1);
  X509_EXTENSION_free(extension);
  if (!added) return OpensslError(StatusCode::kInternal, "add extension");
  return Status::Ok();
}

const EVP_MD* SigningDigest(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  return (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? nullptr
                                                          : EVP_sha256();
}

}  // namespace warden::pki

namespace warden::pki {

Status AddRevoked(X509_CRL* crl, std::string_view serial_hex,
                  Timestamp revoked_at) {
  const std::string hex(serial_hex);
  BIGNUM* raw = nullptr;
  if (hex.empty() ||
      BN_hex2bn(&raw, hex.c_str()) != static_cast<int>(hex.size())) {
    BN_free(raw);
    return InvalidArgument("CRL entry: serial \"" + hex + "\" is not hex");
  }
  std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>> bn(raw);
  std::unique_ptr<X509_REVOKED, OpensslDeleter<X509_REVOKED_free>> entry(
      X509_REVOKED_new());
  std::unique_ptr<ASN1_INTEGER, OpensslDeleter<ASN1_INTEGER_free>> serial(
      BN_to_ASN1_INTEGER(bn.get(), nullptr));
  std::unique_ptr<ASN1_TIME, OpensslDeleter<ASN1_TIME_free>> when(
      ASN1_TIME_new());
  if (!entry || !serial || !when || !SetAsn1Time(when.get(), revoked_at) ||
      !X509_REVOKED_set_serialNumber(entry.get(), serial.get()) ||
      !X509_REVOKED_set_revocationDate(entry.get(), when.get()) ||
      !X509_CRL_add0_revoked(crl, entry.get())) {
    return OpensslError(StatusCode::kInternal, "add CRL entry");
  }
  entry.release();  // owned by the CRL now
  return Status::Ok();
}

Status AddCrlExtensions(X509_CRL* crl, X509* issuer, int64_t crl_number) {
  std::unique_ptr<ASN1_INTEGER, OpensslDeleter<ASN1_INTEGER_free>> number(
      ASN1_INTEGER_new());
  if (!number || !ASN1_INTEGER_set_int64(number.get(), crl_number) ||
      !X509_CRL_add1_ext_i2d(crl, NID_crl_number, number.get(), 0, 0)) {
    return OpensslError(StatusCode::kInternal, "add CRL number");
  }
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, nullptr, nullptr, crl, 0);
  X509_EXTENSION* aki = X509V3_EXT_conf_nid(
      nullptr, &context, NID_authority_key_identifier, "keyid:always");
  if (!aki) return OpensslError(StatusCode::kInternal, "build CRL AKI");
  const int added = X509_CRL_add_ext(crl, aki, -1);
  X509_EXTENSION_free(aki);
  if (!added) return OpensslError(StatusCode::kInternal, "add CRL AKI");
  return Status::Ok();
}

}  // namespace warden::pki
