// libFuzzer target: the OAuth 2.0 form body (RFC 6749 appendix B) and the
// Basic client authentication header (RFC 6749 section 2.3.1), both
// untrusted and parsed before any client is known, and the parameter
// length caps checked right after parsing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/oauth_form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto form = warden::ParseOAuthForm(text);
  if (form.ok()) {
    (void)warden::FormValue(*form, "grant_type");
    (void)warden::CheckParameterLengths(*form, 64);
  }
  (void)warden::ParseBasicAuthorization(text);
  return 0;
}
