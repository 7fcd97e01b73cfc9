// RFC 3339 timestamps, always in UTC ("Z") on output.
#ifndef WARDEN_CORE_TIME_FORMAT_H_
#define WARDEN_CORE_TIME_FORMAT_H_

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

// "2026-11-23T22:01:18Z", or with ".123456" when sub-second part is non-zero.
std::string FormatRfc3339(Timestamp t);

// Accepts RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)";
// 't' and 'z' in lower case too. Fractions beyond microseconds are truncated.
// Returns kInvalidArgument naming the input on malformed text or an
// out-of-range field.
Result<Timestamp> ParseRfc3339(std::string_view text);

// Parses a duration such as "90s", "15m", "12h", "30d". Used by CLI flags and
// query parameters. kInvalidArgument on anything else.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace warden

#endif  // WARDEN_CORE_TIME_FORMAT_H_
