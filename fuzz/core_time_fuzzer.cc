// libFuzzer target: the RFC 3339 timestamp and duration parsers (query
// parameters, JSON fields, CLI flags). A timestamp that parses must format
// and parse back to the same instant.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)warden::ParseDuration(text);
  auto t = warden::ParseRfc3339(text);
  if (!t.ok()) return 0;
  auto again = warden::ParseRfc3339(warden::FormatRfc3339(*t));
  if (!again.ok() || *again != *t) std::abort();
  return 0;
}
