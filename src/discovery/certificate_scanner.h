// Scanner of X.509 certificate files: PEM (RFC 7468; several certificates
// per file, as in chains and bundles) and DER, one file or a directory tree.
//
// Every certificate becomes a kCertificateKind observation with source
// "certs" (see certificate_observation.h for its key, name and attributes)
// located at "path:line" of its BEGIN marker (line 1 for DER). Problems with
// one file (a BEGIN without its END, bad base64, bytes that are not a
// certificate) become issues and the scan goes on. Private keys and other PEM
// blocks are skipped: leaked keys are the secret scanner's concern.
#ifndef WARDEN_DISCOVERY_CERTIFICATE_SCANNER_H_
#define WARDEN_DISCOVERY_CERTIFICATE_SCANNER_H_

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "discovery/observation.h"

namespace warden::discovery {

// Certificate files and bundles are small; a larger file is not one (a
// system bundle of ~150 roots is ~220 KiB).
inline constexpr uint64_t kMaxCertificateFileBytes = 4 << 20;

struct CertificateScanOptions {
  uint64_t max_file_bytes = kMaxCertificateFileBytes;
};

// Scans `root` (a file or a directory tree). Files that are neither PEM nor
// DER-looking (and have no .der/.cer/.crt/.cert extension) are skipped
// silently. A certificate seen twice is reported once, at its first
// location. Calls `progress` after each file. Never throws.
ScanReport ScanCertificateFiles(const std::filesystem::path& root,
                                const ProgressCallback& progress,
                                const CertificateScanOptions& options = {});

// Parses the bytes of one file named `origin` and appends its observations
// and issues to `report` (no de-duplication). `der_expected` makes bytes
// without a PEM marker a DER certificate or an issue; otherwise only bytes
// that start like a DER SEQUENCE are tried. The fuzzing entry point.
void ParseCertificateBytes(std::string_view bytes, std::string_view origin,
                           bool der_expected, ScanReport& report);

// Keeps the first observation of each (kind, key): the same certificate in
// several bundles, or presented by several endpoints, is one thing.
void DropDuplicateObservations(ScanReport& report);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_CERTIFICATE_SCANNER_H_
