// libFuzzer target: the Kubernetes manifest reader (document splitting and
// yaml-cpp) of discovery/kubernetes_scanner. Any text gives observations
// and issues located in the buffer; no yaml-cpp exception escapes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "discovery/kubernetes_scanner.h"
#include "discovery_scan_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  warden::discovery::ScanReport report;
  warden::discovery::ParseKubernetesManifests(text, warden::fuzz::kFuzzOrigin,
                                              report);
  warden::fuzz::CheckReport(report);
  return 0;
}
