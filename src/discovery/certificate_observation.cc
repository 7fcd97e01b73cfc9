// X.509 facts through OpenSSL 3 (RFC 5280 fields; SPIFFE X509-SVID URI SAN).
#include "discovery/certificate_observation.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <chrono>
#include <ctime>
#include <memory>

#include "core/clock.h"
#include "core/time_format.h"

namespace warden::discovery {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using GeneralNamesPtr =
    std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

// CRYPTO_free is a macro taking file and line; this adapts it to Deleter.
void FreeOpensslString(char* p) { OPENSSL_free(p); }

std::string HexLower(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 0xf]);
  }
  return hex;
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

std::string CommonName(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* value =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) return {};
  std::string cn(reinterpret_cast<char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return cn;
}

std::string Serial(const X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) return {};
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return {};
  std::string serial(hex);
  FreeOpensslString(hex);
  return serial;
}

std::string TimeToRfc3339(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  const std::chrono::year_month_day day{
      std::chrono::year(tm.tm_year + 1900),
      std::chrono::month(static_cast<unsigned>(tm.tm_mon + 1)),
      std::chrono::day(static_cast<unsigned>(tm.tm_mday))};
  const auto seconds = std::chrono::sys_days(day).time_since_epoch() +
                       std::chrono::hours(tm.tm_hour) +
                       std::chrono::minutes(tm.tm_min) +
                       std::chrono::seconds(tm.tm_sec);
  return FormatRfc3339(Timestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(seconds)));
}

std::string Ia5(const ASN1_IA5STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

std::string IpAddress(const ASN1_OCTET_STRING* ip) {
  const unsigned char* b = ASN1_STRING_get0_data(ip);
  const int size = ASN1_STRING_length(ip);
  std::string text;
  if (size == 4) {
    for (int i = 0; i < 4; ++i) {
      if (i > 0) text += '.';
      text += std::to_string(b[i]);
    }
  } else if (size == 16) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) text += ':';
      for (int j = i; j < i + 2; ++j) {
        text += kDigits[b[j] >> 4];
        text += kDigits[b[j] & 0xf];
      }
    }
  }
  return text;
}

// Appends the subject alternative names to `attributes` (sans, spiffe_id).
void DescribeSans(const X509* cert, Observation& observation) {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  std::string sans;
  std::string spiffe_id;
  const int count = names ? sk_GENERAL_NAME_num(names.get()) : 0;
  for (int i = 0; i < count; ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    std::string entry;
    if (name->type == GEN_DNS) {
      entry = "DNS:" + Ia5(name->d.dNSName);
    } else if (name->type == GEN_URI) {
      const std::string uri = Ia5(name->d.uniformResourceIdentifier);
      if (spiffe_id.empty() && uri.starts_with("spiffe://")) spiffe_id = uri;
      entry = "URI:" + uri;
    } else if (name->type == GEN_IPADD) {
      entry = "IP:" + IpAddress(name->d.iPAddress);
    } else if (name->type == GEN_EMAIL) {
      entry = "email:" + Ia5(name->d.rfc822Name);
    } else {
      continue;
    }
    if (!sans.empty()) sans += ' ';
    sans += entry;
  }
  observation.attributes["sans"] = sans;
  observation.attributes["spiffe_id"] = spiffe_id;
}

void DescribeKey(X509* cert, Observation& observation) {
  const EVP_PKEY* key = X509_get0_pubkey(cert);
  const char* type = key ? EVP_PKEY_get0_type_name(key) : nullptr;
  observation.attributes["key_algorithm"] = type ? type : "";
  observation.attributes["key_bits"] =
      key ? std::to_string(EVP_PKEY_get_bits(key)) : "";
}

bool SelfSigned(X509* cert) {
  if (X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) !=
      0) {
    return false;
  }
  EVP_PKEY* key = X509_get0_pubkey(cert);
  const bool verified = key != nullptr && X509_verify(cert, key) == 1;
  ERR_clear_error();
  return verified;
}

std::string Fingerprint(std::string_view der) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(),
         digest.data());
  return HexLower(digest.data(), digest.size());
}

}  // namespace

Result<Observation> DescribeCertificate(std::string_view der,
                                        std::string_view source,
                                        std::string_view location) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (!cert) {
    const unsigned long error = ERR_get_error();
    ERR_clear_error();
    const char* reason = ERR_reason_error_string(error);
    return Status(StatusCode::kInvalidArgument,
                  std::string("not a DER X.509 certificate: ") +
                      (reason ? reason : "unknown ASN.1 error"));
  }
  if (cursor !=
      reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Status(StatusCode::kInvalidArgument,
                  "trailing bytes after the DER certificate");
  }
  Observation observation;
  observation.kind = kCertificateKind;
  observation.source = source;
  observation.location = location;
  observation.key = Fingerprint(der);
  auto& attributes = observation.attributes;
  const X509_NAME* subject = X509_get_subject_name(cert.get());
  attributes["subject"] = NameToString(subject);
  attributes["issuer"] = NameToString(X509_get_issuer_name(cert.get()));
  attributes["serial"] = Serial(cert.get());
  attributes["not_before"] = TimeToRfc3339(X509_get0_notBefore(cert.get()));
  attributes["not_after"] = TimeToRfc3339(X509_get0_notAfter(cert.get()));
  DescribeSans(cert.get(), observation);
  DescribeKey(cert.get(), observation);
  attributes["self_signed"] = SelfSigned(cert.get()) ? "true" : "false";
  attributes["is_ca"] = (X509_get_extension_flags(cert.get()) & EXFLAG_CA) != 0
                            ? "true"
                            : "false";
  ERR_clear_error();
  observation.name = attributes["spiffe_id"];
  if (observation.name.empty()) observation.name = CommonName(subject);
  if (observation.name.empty()) observation.name = attributes["subject"];
  return observation;
}

}  // namespace warden::discovery
