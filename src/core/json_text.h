// Parsing one JSON object from untrusted text (files and lines Warden
// reads back: checkpoints, archives, backup manifests), the same way
// everywhere: a depth bound, no exception escaping.
// Thread safety: a pure function.
#ifndef WARDEN_CORE_JSON_TEXT_H_
#define WARDEN_CORE_JSON_TEXT_H_

#include <boost/json/object.hpp>
#include <string_view>

#include "core/status.h"

namespace warden {

struct JsonTextLimits {
  unsigned max_depth = 8;
  // Accept bytes that are not UTF-8 inside strings (fields copied as
  // stored, e.g. audit details).
  bool allow_invalid_utf8 = false;
};

// The object in `text`, or kInvalidArgument whose message says why: "not
// JSON: <parser's reason>" (an allocation failure included) or "not a JSON
// object". Callers wrap the message in their own error.
Result<boost::json::object> ParseJsonObjectText(std::string_view text,
                                                const JsonTextLimits& limits);

}  // namespace warden

#endif  // WARDEN_CORE_JSON_TEXT_H_
