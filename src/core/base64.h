// Standard base64 (RFC 4648 section 4, padded): the alphabet of X.509
// "x5c" members, HTTP Basic credentials and Standard Webhooks keys and
// signatures. JOSE's base64url lives in core/crypto.h.
// Thread safety: pure functions.
#ifndef WARDEN_CORE_BASE64_H_
#define WARDEN_CORE_BASE64_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

std::string Base64Encode(std::string_view bytes);

// kInvalidArgument unless all of `text` is padded standard base64.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace warden

#endif  // WARDEN_CORE_BASE64_H_
