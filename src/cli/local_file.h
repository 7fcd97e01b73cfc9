// Reading a file the user named on the command line (a JWKS, a trusted
// issuers document): bounded, and failing with a message that names the
// file and the reason, e.g. "cannot read keys.json: No such file or
// directory". Main thread; no state.
#ifndef WARDEN_CLI_LOCAL_FILE_H_
#define WARDEN_CLI_LOCAL_FILE_H_

#include <cstddef>
#include <string>

#include "core/status.h"

namespace warden::cli {

// The whole content of `path` ("-": standard input). kInvalidArgument
// (exit 5) when it cannot be opened or read, is a directory, or is larger
// than `max_bytes` (the caller's limit for that kind of document).
Result<std::string> ReadLocalFile(const std::string& path, size_t max_bytes);

}  // namespace warden::cli

#endif  // WARDEN_CLI_LOCAL_FILE_H_
