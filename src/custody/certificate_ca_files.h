// The CA's files in the data dir: DIR/ca.crt (PEM) and DIR/ca.key (PKCS#8
// PEM, never in the database), both 0600 like every file in the data dir
// (the certificate is public, and served at /pki/ca). Not thread-safe: start-up
// and offline commands only.
#ifndef WARDEN_CUSTODY_CERTIFICATE_CA_FILES_H_
#define WARDEN_CUSTODY_CERTIFICATE_CA_FILES_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "pki/certificate_authority.h"

namespace warden::custody {

inline constexpr char kCaCertificateFileName[] = "ca.crt";
inline constexpr char kCaKeyFileName[] = "ca.key";

// Loads DIR/ca.crt + DIR/ca.key, or generates a root for `trust_domain`
// and writes them on first start. kFailedPrecondition when only one of the
// files exists or ca.key is readable by group or others.
Result<std::unique_ptr<pki::CertificateAuthority>> LoadOrCreateCa(
    const std::string& data_dir, std::string_view trust_domain, Timestamp now);

// Imports an intermediate CA (certificate + matching key), replacing the
// files. The running server keeps its CA until restarted.
Status ImportCa(const std::string& data_dir, std::string_view certificate_pem,
                std::string_view key_pem);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_CERTIFICATE_CA_FILES_H_
