// Reading one cookie out of a Cookie request header (RFC 6265 section
// 5.4: "name=value" pairs separated by "; "). Lenient as browsers are:
// optional whitespace around pairs, pairs without '=' skipped, the first
// pair of a name wins. Values are returned as sent (no decoding).
//
// Pure; thread-safe.
#ifndef WARDEN_HTTP_COOKIE_H_
#define WARDEN_HTTP_COOKIE_H_

#include <string_view>

namespace warden {

// The value of cookie `name` in `header`, or "" when it is absent.
std::string_view FindCookie(std::string_view header, std::string_view name);

}  // namespace warden

#endif  // WARDEN_HTTP_COOKIE_H_
