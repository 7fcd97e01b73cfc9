#include "http/client_certificate.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <memory>

#include "core/crypto.h"
#include "pki/x509_fields.h"

namespace warden {
namespace {

std::string Pem(X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

std::string SubjectName(X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  if (!bio) return "";
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                     XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : "";
}

std::string Text(const ASN1_STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<size_t>(ASN1_STRING_length(text)));
}

// An iPAddress SAN as text; "" for a length that is neither IPv4 nor IPv6.
std::string IpText(const ASN1_OCTET_STRING* address) {
  const int length = ASN1_STRING_length(address);
  const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : -1;
  char text[INET6_ADDRSTRLEN] = {};
  if (family < 0 || inet_ntop(family, ASN1_STRING_get0_data(address), text,
                              sizeof(text)) == nullptr) {
    return "";
  }
  return text;
}

void ReadAlternativeNames(X509* certificate, ClientCertificate* out) {
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_URI:
        out->uri_sans.push_back(Text(name->d.uniformResourceIdentifier));
        break;
      case GEN_DNS:
        out->dns_sans.push_back(Text(name->d.dNSName));
        break;
      case GEN_EMAIL:
        out->email_sans.push_back(Text(name->d.rfc822Name));
        break;
      case GEN_IPADD:
        if (std::string ip = IpText(name->d.iPAddress); !ip.empty()) {
          out->ip_sans.push_back(std::move(ip));
        }
        break;
      default:
        break;
    }
  }
  GENERAL_NAMES_free(names);
}

}  // namespace

Result<ClientCertificate> ReadClientCertificate(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  if (size <= 0) {
    return InvalidArgument("client certificate: cannot be DER-encoded");
  }
  ClientCertificate out;
  out.der.assign(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  const Sha256Digest digest = Sha256(out.der);
  out.thumbprint_s256 = Base64UrlEncode(std::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
  out.pem = Pem(certificate);
  out.subject = SubjectName(certificate);
  out.serial = pki::SerialHex(X509_get0_serialNumber(certificate));
  ReadAlternativeNames(certificate, &out);
  return out;
}

}  // namespace warden
