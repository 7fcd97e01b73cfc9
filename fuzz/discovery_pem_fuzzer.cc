// libFuzzer target: the certificate file parser (PEM blocks, base64, DER
// through OpenSSL) of discovery/certificate_scanner. Any bytes give
// observations and issues located in the buffer, never a crash; a
// certificate's key is its 64-digit SHA-256 fingerprint.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "discovery/certificate_scanner.h"
#include "discovery_scan_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (bool der_expected : {false, true}) {
    warden::discovery::ScanReport report;
    warden::discovery::ParseCertificateBytes(bytes, warden::fuzz::kFuzzOrigin,
                                             der_expected, report);
    warden::fuzz::CheckReport(report);
    for (const auto& o : report.observations) {
      if (o.key.size() != 64) std::abort();
    }
  }
  return 0;
}
