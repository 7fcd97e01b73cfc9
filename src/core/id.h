// Resource identifiers: UUIDv7 (RFC 9562 section 5.7) text, time-ordered, so
// ordering by id is ordering by creation and cursors stay stable.
#ifndef WARDEN_CORE_ID_H_
#define WARDEN_CORE_ID_H_

#include <string>
#include <string_view>

#include "core/clock.h"

namespace warden {

// "0192f6a4-...": 36 lower-case characters. Thread-safe.
std::string NewId(Timestamp now);

// True for the canonical lower-case UUID text form.
bool IsWellFormedId(std::string_view text);

}  // namespace warden

#endif  // WARDEN_CORE_ID_H_
