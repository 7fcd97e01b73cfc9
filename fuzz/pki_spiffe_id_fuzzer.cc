// Fuzzes the SPIFFE ID parser: never a crash; an accepted ID re-parses to
// itself, fits the length bound, and has no character outside the spec's
// alphabets (so it can never smuggle a ',' into an X.509 SAN config).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pki/spiffe_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto id = warden::pki::ParseSpiffeId(text);
  if (!id.ok()) return 0;
  const std::string again = id->ToString();
  if (again != text || again.size() > warden::pki::kMaxSpiffeIdLength) {
    std::abort();
  }
  for (char c : again.substr(9)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '_' || c == '/';
    if (!ok) std::abort();
  }
  return 0;
}
