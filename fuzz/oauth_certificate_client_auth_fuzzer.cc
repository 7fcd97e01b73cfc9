// Fuzzes the RFC 8705 registration parsers (oauth/certificate_client_auth.h):
// a self_signed_tls_client_auth JWKS and tls_client_auth values. Any input
// must give a value or a Status, never a crash. Invariants checked:
//   - an accepted tls_client_auth_san_ip value is canonical (normalizing it
//     again gives it back);
//   - a JWKS refused at registration authenticates no certificate, and an
//     accepted one never authenticates a certificate whose DER is not in it
//     (the fixed certificate below is 0xff 0xff 0xff, whose only standard
//     base64 is "////": a match is legitimate only when some key's "x5c"
//     holds that string once the JSON is decoded, e.g. written "\/\/\/\/"
//     or "\u002f///"; any other match means a bypass).
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "oauth/certificate_client_auth.h"

namespace {

using warden::ClientCertificate;
using warden::ClientCredentialRecord;

// Whether the JWKS, as JSON, registers the certificate 0xff 0xff 0xff: an
// "x5c" string of a key in "keys" is "////" after JSON unescaping. Text
// search is not enough: JSON may escape any of the slashes.
bool NamesFixedCertificate(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value document = boost::json::parse(text, ec);
  if (ec || !document.is_object()) return false;
  const boost::json::value* keys = document.get_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return false;
  for (const boost::json::value& key : keys->get_array()) {
    if (!key.is_object()) continue;
    const boost::json::value* x5c = key.get_object().if_contains("x5c");
    if (x5c == nullptr || !x5c->is_array()) continue;
    for (const boost::json::value& entry : x5c->get_array()) {
      if (entry.is_string() && entry.get_string() == "////") return true;
    }
  }
  return false;
}

void CheckJwks(std::string_view text) {
  ClientCredentialRecord record;
  record.method = warden::kSelfSignedTlsClientAuthMethod;
  record.jwks = std::string(text);
  ClientCertificate certificate;
  // 0xff bytes: no x5c entry decodes to this without naming it in base64
  // ("////", possibly JSON-escaped), which the input may do; such a match is
  // legitimate.
  certificate.der = std::string(3, '\xff');
  const bool accepted = warden::oauth::CheckSelfSignedJwks(text).ok();
  const bool matched =
      warden::oauth::MatchClientCertificate(record, certificate).ok();
  if (matched && (!accepted || !NamesFixedCertificate(text))) {
    std::abort();
  }
}

void CheckValue(uint8_t selector, std::string_view value) {
  const std::string_view field = warden::oauth::kTlsClientAuthFields
      [selector % warden::oauth::kTlsClientAuthFields.size()];
  auto normalized = warden::oauth::NormalizeTlsClientAuthValue(field, value);
  if (!normalized.ok() || field != "tls_client_auth_san_ip") return;
  auto again = warden::oauth::NormalizeTlsClientAuthValue(field, *normalized);
  if (!again.ok() || *again != *normalized) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  if (data[0] & 0x80) {
    CheckJwks(rest);
  } else {
    CheckValue(data[0], rest);
  }
  return 0;
}
