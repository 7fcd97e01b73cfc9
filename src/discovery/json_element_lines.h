// Where the elements of a JSON array start, for error locations: Boost.JSON
// values carry no source positions.
#ifndef WARDEN_DISCOVERY_JSON_ELEMENT_LINES_H_
#define WARDEN_DISCOVERY_JSON_ELEMENT_LINES_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace warden::discovery {

// The 1-based line where each element of one array of `text` starts: the
// top-level array when `member` is empty, else the array that is the value
// of the top-level object's member `member`. Returns no lines when there is
// no such array.
// REQUIRES: `text` is valid JSON (parse it first); on other text the result
// is meaningless but the call is still safe. Linear time, thread-safe.
std::vector<int64_t> JsonArrayElementLines(std::string_view text,
                                           std::string_view member);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_JSON_ELEMENT_LINES_H_
