// The line fingerprints GitHub code scanning uses to follow a result across
// commits (SARIF result.partialFingerprints.primaryLocationLineHash), as
// computed by github/codeql-action when an upload has none: a rolling
// polynomial hash (base 37, modulo 2^64) over a window of 100 characters
// starting at each line, with spaces and tabs skipped and CR, LF and CRLF
// all read as one LF, written as hex plus ":N" where N counts earlier lines
// of the file with the same hash. Characters are UTF-16 code units, as in
// JavaScript.
//
// Thread-safety: a pure function.
#ifndef WARDEN_DISCOVERY_LINE_LOCATION_HASH_H_
#define WARDEN_DISCOVERY_LINE_LOCATION_HASH_H_

#include <string>
#include <string_view>
#include <vector>

namespace warden::discovery {

// One fingerprint per line of `content` (index 0 is line 1), including the
// empty line after a final newline, e.g. "a7f2ff13bc495cf2:1". Invalid
// UTF-8 bytes count as U+FFFD. With `last_line` > 0, stops once that line's
// fingerprint is known (the result then holds at least `last_line` lines;
// the fingerprints of those lines are the same as in a full run).
std::vector<std::string> LineLocationHashes(std::string_view content,
                                            size_t last_line = 0);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_LINE_LOCATION_HASH_H_
