#include "oauth/certificate_client_auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <vector>

#include "core/base64.h"

namespace warden::oauth {
namespace {

constexpr size_t kMaxMatchValueBytes = 1024;
// A JWKS of self-signed certificates: a few keys, each a short chain.
constexpr size_t kMaxCertificateBytes = 16 * 1024;

Status InvalidClient(std::string reason) {
  return Status(StatusCode::kUnauthenticated, std::move(reason),
                "invalid_client");
}

Status Invalid(std::string message) {
  return InvalidArgument(std::move(message), "validation-failed");
}

// The canonical text of an IPv4 or IPv6 address; "" when `text` is
// neither.
std::string CanonicalIp(std::string_view text) {
  const std::string copy(text);
  unsigned char address[16];
  char canonical[INET6_ADDRSTRLEN] = {};
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, copy.c_str(), address) == 1 &&
        inet_ntop(family, address, canonical, sizeof(canonical)) != nullptr) {
      return canonical;
    }
  }
  return "";
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool AnyEquals(const std::vector<std::string>& values, std::string_view want,
               bool ignore_case = false) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
    return ignore_case ? EqualsIgnoringCase(v, want) : v == want;
  });
}

// The DER certificates registered in a self_signed_tls_client_auth JWKS,
// every "x5c" entry of every key.
Result<std::vector<std::string>> RegisteredCertificates(std::string_view jwks) {
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(jwks, ec);
  if (ec || !document.is_object()) return Invalid("jwks: not a JSON object");
  const boost::json::value* keys = document.get_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) {
    return Invalid("jwks: \"keys\" must be an array");
  }
  std::vector<std::string> certificates;
  for (const boost::json::value& key : keys->get_array()) {
    const boost::json::value* x5c =
        key.is_object() ? key.get_object().if_contains("x5c") : nullptr;
    if (x5c == nullptr) continue;
    if (!x5c->is_array() || x5c->get_array().empty()) {
      return Invalid("jwks: \"x5c\" must be a non-empty array");
    }
    for (const boost::json::value& entry : x5c->get_array()) {
      if (!entry.is_string() ||
          entry.get_string().size() > kMaxCertificateBytes) {
        return Invalid("jwks: an \"x5c\" entry is not a certificate string");
      }
      Result<std::string> der = Base64Decode(entry.get_string());
      if (!der.ok()) {
        return Invalid(
            "jwks: \"x5c\" entries are base64 (RFC 7517 4.7), "
            "not base64url");
      }
      certificates.push_back(std::move(*der));
    }
  }
  if (certificates.empty()) {
    return Invalid("jwks: no key carries a certificate (\"x5c\")");
  }
  return certificates;
}

Status MatchTlsClientAuth(const ClientCredentialRecord& record,
                          const ClientCertificate& certificate) {
  if (!certificate.chain_verified) {
    return InvalidClient(
        "tls_client_auth: the certificate does not chain to a trusted CA");
  }
  const std::string& field = record.certificate_field;
  const std::string& want = record.certificate_value;
  bool matched = false;
  if (field == "tls_client_auth_subject_dn") {
    matched = certificate.subject == want;
  } else if (field == "tls_client_auth_san_dns") {
    matched = AnyEquals(certificate.dns_sans, want, /*ignore_case=*/true);
  } else if (field == "tls_client_auth_san_uri") {
    matched = AnyEquals(certificate.uri_sans, want);
  } else if (field == "tls_client_auth_san_ip") {
    matched = AnyEquals(certificate.ip_sans, want);
  } else if (field == "tls_client_auth_san_email") {
    matched = AnyEquals(certificate.email_sans, want);
  }
  if (matched) return Status::Ok();
  return InvalidClient(
      "tls_client_auth: the certificate does not match the "
      "registered " +
      field);
}

Status MatchSelfSigned(const ClientCredentialRecord& record,
                       const ClientCertificate& certificate) {
  Result<std::vector<std::string>> registered =
      RegisteredCertificates(record.jwks);
  if (!registered.ok()) {
    return InvalidClient(
        "self_signed_tls_client_auth: the registered JWKS "
        "is unusable");
  }
  if (std::find(registered->begin(), registered->end(), certificate.der) !=
      registered->end()) {
    return Status::Ok();
  }
  return InvalidClient(
      "self_signed_tls_client_auth: the certificate is not "
      "one the client registered");
}

}  // namespace

Result<std::string> NormalizeTlsClientAuthValue(std::string_view field,
                                                std::string_view value) {
  if (std::find(kTlsClientAuthFields.begin(), kTlsClientAuthFields.end(),
                field) == kTlsClientAuthFields.end()) {
    return Invalid("unknown tls_client_auth field " + std::string(field));
  }
  if (value.empty() || value.size() > kMaxMatchValueBytes) {
    return Invalid(std::string(field) + ": must be 1 to " +
                   std::to_string(kMaxMatchValueBytes) + " bytes");
  }
  // No certificate name holds a control character; a NUL would also cut
  // the value short where it becomes C text.
  if (std::any_of(value.begin(), value.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    return Invalid(std::string(field) + ": contains a control character");
  }
  if (field != "tls_client_auth_san_ip") return std::string(value);
  std::string canonical = CanonicalIp(value);
  if (canonical.empty()) {
    return Invalid(std::string(field) + ": not an IPv4 or IPv6 address");
  }
  return canonical;
}

Status CheckSelfSignedJwks(std::string_view jwks) {
  return RegisteredCertificates(jwks).status();
}

Status MatchClientCertificate(const ClientCredentialRecord& record,
                              const ClientCertificate& certificate) {
  if (record.method == kTlsClientAuthMethod) {
    return MatchTlsClientAuth(record, certificate);
  }
  if (record.method == kSelfSignedTlsClientAuthMethod) {
    return MatchSelfSigned(record, certificate);
  }
  return InvalidClient("client is registered for " + record.method +
                       ", not a certificate");
}

}  // namespace warden::oauth
