// Private to src/tokens: strict JSON reading for JOSE headers, JWT claim
// sets and JWKS documents. Every failure is TokenFailure(kMalformed) or
// kMissingClaim with the member name; no Boost exception escapes.
#ifndef WARDEN_TOKENS_JOSE_JSON_H_
#define WARDEN_TOKENS_JOSE_JSON_H_

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden::tokens::jose {

// Parses `text` as one JSON object nested at most `max_depth` deep, drawing
// memory from `storage` (a stack-backed monotonic_resource keeps the hot
// path free of heap allocations). `what` names the document in errors.
Result<boost::json::object> ParseObject(std::string_view text, int max_depth,
                                        boost::json::storage_ptr storage,
                                        std::string_view what);

// Optional string member: nullopt when absent; kMalformed if not a string.
Result<std::optional<std::string_view>> OptionalString(
    const boost::json::object& object, std::string_view key);
// Required string member: kMissingClaim when absent or not a string.
Result<std::string_view> RequiredString(const boost::json::object& object,
                                        std::string_view key);
// NumericDate (RFC 7519 section 2): a non-negative number of seconds,
// fractions truncated. nullopt when absent; kMalformed if not a number or
// after 9999-12-31T23:59:59Z (Timestamp's
// microseconds would overflow).
Result<std::optional<Timestamp>> OptionalNumericDate(
    const boost::json::object& object, std::string_view key);
// "aud": a string or an array of strings (RFC 7519 section 4.1.3), at most
// `max_items`. Empty when absent.
Result<std::vector<std::string>> Audience(const boost::json::object& object,
                                          size_t max_items);

}  // namespace warden::tokens::jose

#endif  // WARDEN_TOKENS_JOSE_JSON_H_
