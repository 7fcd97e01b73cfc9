// Invariants every discovery fuzzer checks on a ScanReport produced from one
// buffer named "fuzz": every location names that buffer with a line, every
// observation has a kind, a source and a key. Aborts on a violation.
#ifndef WARDEN_FUZZ_DISCOVERY_SCAN_INVARIANTS_H_
#define WARDEN_FUZZ_DISCOVERY_SCAN_INVARIANTS_H_

#include <cstdlib>
#include <string_view>

#include "discovery/observation.h"

namespace warden::fuzz {

inline constexpr std::string_view kFuzzOrigin = "fuzz";

inline bool IsFuzzLocation(std::string_view location) {
  if (!location.starts_with("fuzz:") || location.size() == 5) return false;
  return location.substr(5).find_first_not_of("0123456789") ==
         std::string_view::npos;
}

inline void CheckReport(const discovery::ScanReport& report) {
  for (const auto& issue : report.issues) {
    if (!IsFuzzLocation(issue.location) || issue.message.empty()) std::abort();
  }
  for (const auto& o : report.observations) {
    if (o.kind.empty() || o.source.empty() || o.key.empty() ||
        !IsFuzzLocation(o.location)) {
      std::abort();
    }
  }
}

}  // namespace warden::fuzz

#endif  // WARDEN_FUZZ_DISCOVERY_SCAN_INVARIANTS_H_
