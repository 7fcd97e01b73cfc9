// The scanners by source name: what `warden scan SOURCE ...` runs on the
// operator's machine and what scheduled scans run in the server. A
// scanner turns targets (paths, or host:port for "tls") into a ScanReport.
#ifndef WARDEN_DISCOVERY_SCANNER_REGISTRY_H_
#define WARDEN_DISCOVERY_SCANNER_REGISTRY_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "discovery/observation.h"

namespace warden::discovery {

struct ScannerSpec {
  std::string_view source;  // "certs", "tls", "k8s", ...
  std::string_view what;    // one line for help texts
  bool takes_paths;         // false: network targets (host:port)
  std::function<ScanReport(const std::vector<std::string>& targets,
                           const ProgressCallback& progress)>
      scan;
};

std::span<const ScannerSpec> Scanners();

// nullptr for an unknown source.
const ScannerSpec* FindScanner(std::string_view source);

// Runs the scanner of `source` over `targets`. kInvalidArgument for an
// unknown source, no target, or a path target that does not exist.
Result<ScanReport> RunScanner(std::string_view source,
                              const std::vector<std::string>& targets,
                              const ProgressCallback& progress);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SCANNER_REGISTRY_H_
