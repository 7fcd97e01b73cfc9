// Small private files of the data dir (key files, audit checkpoints):
// written 0600 whatever the umask, never through a planted symlink, and
// replaced atomically so a crash leaves the old or the new contents.
//
// Errors name the path (kUnavailable for I/O, kNotFound for a missing file,
// kInvalidArgument for a file over its size limit, kFailedPrecondition for
// a private file others may access). Thread-safe (no state).
#ifndef WARDEN_CORE_PRIVATE_FILE_H_
#define WARDEN_CORE_PRIVATE_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace warden {

// Writes `contents` to path + ".tmp" (0600, fsync) and renames it over
// `path`. The rename is not followed by a directory fsync: after a power
// loss the file may read as its previous version, never as a torn one.
Status WritePrivateFileAtomically(const std::string& path,
                                  std::string_view contents);

// Creates `path` (0600) with `contents`; kAlreadyExists if it exists.
Status CreatePrivateFile(const std::string& path, std::string_view contents);

// Writes `contents` over `path` in place (created 0600, an existing file set
// to 0600 before any byte is written, fsync). Refuses a symlink at `path`.
// Not atomic: a crash can leave a torn file.
Status WritePrivateFile(const std::string& path, std::string_view contents);

// The whole file; kInvalidArgument when it is longer than `max_bytes`.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

// As ReadSmallFile, but kFailedPrecondition when group or others have any
// access to the file (its contents must then be treated as leaked). The
// mode is that of the file opened, so a swap after the check is harmless.
Result<std::string> ReadPrivateFile(const std::string& path, size_t max_bytes);

// The last `max_bytes` of the file (all of it when shorter), for the newest
// lines of an append-only file.
Result<std::string> ReadFileTail(const std::string& path, size_t max_bytes);

bool FileExists(const std::string& path);

}  // namespace warden

#endif  // WARDEN_CORE_PRIVATE_FILE_H_
