// libFuzzer target: the `warden serve --config` YAML reader. Any text gives
// entries or an error naming a line; no yaml-cpp exception escapes, and
// every entry has a normalised key and at least one value or an empty list.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/serve_config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = warden::cli::ParseServeConfig(text);
  if (!entries.ok()) {
    if (entries.status().message().rfind("line ", 0) != 0) std::abort();
    return 0;
  }
  for (const warden::cli::ServeConfigEntry& entry : *entries) {
    if (entry.key.empty() || entry.line < 1) std::abort();
    for (char c : entry.key) {
      if (c == '_' || (c >= 'A' && c <= 'Z')) std::abort();
    }
  }
  return 0;
}
