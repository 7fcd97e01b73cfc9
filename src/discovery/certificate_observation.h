// The observation of one X.509 certificate (RFC 5280), shared by the file
// scanner and the TLS endpoint scanner.
#ifndef WARDEN_DISCOVERY_CERTIFICATE_OBSERVATION_H_
#define WARDEN_DISCOVERY_CERTIFICATE_OBSERVATION_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "discovery/observation.h"

namespace warden::discovery {

// Parses one DER-encoded certificate (the whole of `der`, nothing after it)
// and describes it: kind kCertificateKind, the given `source` and
// `location`, key = lower-case hex SHA-256 of `der`, name = the SPIFFE ID
// URI SAN when present, else the subject CN, else the subject. Attributes:
//   subject, issuer      RFC 2253 one-line names
//   serial               upper-case hex
//   not_before/not_after RFC 3339 UTC
//   sans                 space separated "DNS:x", "URI:x", "IP:x", "email:x"
//   spiffe_id            the first URI SAN with scheme spiffe, or empty
//   key_algorithm        "RSA", "EC", "ED25519", ... ; key_bits
//   self_signed          "true" when the issuer is the subject and the
//                        signature verifies with the certificate's own key
//   is_ca                "true" when basicConstraints says CA
// Returns kInvalidArgument naming OpenSSL's reason when `der` is not a
// certificate. Thread-safe.
Result<Observation> DescribeCertificate(std::string_view der,
                                        std::string_view source,
                                        std::string_view location);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_CERTIFICATE_OBSERVATION_H_
