// The files a file-based scanner reads: one file, or every regular file of a
// directory tree, with a size limit, and the bookkeeping every scanner shares
// (reading a file whole, counting it, reporting progress, issue locations).
#ifndef WARDEN_DISCOVERY_FILE_WALK_H_
#define WARDEN_DISCOVERY_FILE_WALK_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/observation.h"

namespace warden::discovery {

// Which files of a directory a scanner reads (by name); empty: all.
using FileFilter = std::function<bool(const std::filesystem::path&)>;

// Returns `root` when it is a regular file, or every regular file under the
// directory `root` that `filter` accepts (recursively, symlinks to
// directories not followed), sorted by path so that scans are reproducible.
// Files larger than `max_file_bytes`, a missing `root` and unreadable
// directories become issues in `report`; the walk goes on past them.
std::vector<std::filesystem::path> CollectFiles(
    const std::filesystem::path& root, uint64_t max_file_bytes,
    ScanReport& report, const FileFilter& filter = nullptr);

// Reads `path` whole. On failure adds an issue "path:0" to `report` and
// returns nullopt. Counts the file and its bytes in `report` either way and
// calls `progress` (when set) afterwards.
std::optional<std::string> ReadScannedFile(const std::filesystem::path& path,
                                           ScanReport& report,
                                           const ProgressCallback& progress);

// "origin:line", the form of every file-based location.
std::string FileLocation(std::string_view origin, int64_t line);

// Adds an issue at "origin:line" to `report`.
void AddIssue(ScanReport& report, std::string_view origin, int64_t line,
              std::string message);

// The 1-based line of byte `offset` of `text` (offsets past the end count
// the whole text).
int64_t LineOfOffset(std::string_view text, size_t offset);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_FILE_WALK_H_
