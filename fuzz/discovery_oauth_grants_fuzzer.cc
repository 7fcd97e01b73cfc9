// libFuzzer target: the OAuth grant export reader (Boost.JSON, the element
// line lexer, merging) of discovery/oauth_grants. Any text gives
// observations and issues located in the buffer; merged scopes stay sorted
// and unique.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "discovery/oauth_grants.h"
#include "discovery_scan_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  warden::discovery::ScanReport report;
  warden::discovery::ParseOAuthGrants(text, warden::fuzz::kFuzzOrigin, report);
  warden::fuzz::CheckReport(report);
  for (const auto& o : report.observations) {
    std::istringstream words(o.attributes.at("scopes"));
    std::string previous;
    for (std::string word; words >> word; previous = word) {
      if (!previous.empty() && !(previous < word)) std::abort();
    }
  }
  return 0;
}
