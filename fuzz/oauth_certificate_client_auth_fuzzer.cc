// Fuzzes the RFC 8705 registration parsers (oauth/certificate_client_auth.h):
// a self_signed_tls_client_auth JWKS and tls_client_auth values. Any input
// must give a value or a Status, never a crash. Invariants checked:
//   - an accepted tls_client_auth_san_ip value is canonical (normalizing it
//     again gives it back);
//   - a JWKS refused at registration authenticates no certificate, and an
//     accepted one never authenticates a certificate whose DER is not in it
//     (the fixed certificate below is not valid base64 DER of anything the
//     input can name, so success means a bypass).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "oauth/certificate_client_auth.h"

namespace {

using warden::ClientCertificate;
using warden::ClientCredentialRecord;

void CheckJwks(std::string_view text) {
  ClientCredentialRecord record;
  record.method = warden::kSelfSignedTlsClientAuthMethod;
  record.jwks = std::string(text);
  ClientCertificate certificate;
  // 0xff bytes: no x5c entry decodes to this without naming it in base64
  // ("////"), which the input may do; such a match is legitimate.
  certificate.der = std::string(3, '\xff');
  const bool accepted = warden::oauth::CheckSelfSignedJwks(text).ok();
  const bool matched =
      warden::oauth::MatchClientCertificate(record, certificate).ok();
  if (matched && (!accepted || text.find("////") == std::string_view::npos)) {
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
