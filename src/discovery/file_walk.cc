#include "discovery/file_walk.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace warden::discovery {
namespace fs = std::filesystem;

namespace {

void ConsiderFile(const fs::path& path, uint64_t size, uint64_t max_file_bytes,
                  std::vector<fs::path>& files, ScanReport& report) {
  if (size > max_file_bytes) {
    AddIssue(report, path.string(), 0,
             "skipped: " + std::to_string(size) +
                 " bytes is over the limit of " +
                 std::to_string(max_file_bytes));
    return;
  }
  files.push_back(path);
}

void WalkDirectory(const fs::path& root, uint64_t max_file_bytes,
                   const FileFilter& filter, std::vector<fs::path>& files,
                   ScanReport& report) {
  std::error_code ec;
  fs::recursive_directory_iterator it(
      root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_regular_file(entry_ec) || it->is_symlink(entry_ec)) continue;
    if (filter && !filter(it->path())) continue;
    const uint64_t size = it->file_size(entry_ec);
    if (entry_ec) {
      AddIssue(report, it->path().string(), 0,
               "cannot stat: " + entry_ec.message());
      continue;
    }
    ConsiderFile(it->path(), size, max_file_bytes, files, report);
  }
  if (ec) {
    AddIssue(report, root.string(), 0,
             "cannot read directory: " + ec.message());
  }
}

}  // namespace

std::vector<fs::path> CollectFiles(const fs::path& root,
                                   uint64_t max_file_bytes, ScanReport& report,
                                   const FileFilter& filter) {
  std::vector<fs::path> files;
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    AddIssue(report, root.string(), 0, "no such file or directory");
  } else if (fs::is_directory(status)) {
    WalkDirectory(root, max_file_bytes, filter, files, report);
  } else if (fs::is_regular_file(status)) {
    ConsiderFile(root, fs::file_size(root, ec), max_file_bytes, files, report);
  } else {
    AddIssue(report, root.string(), 0, "not a regular file or directory");
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> ReadScannedFile(const fs::path& path,
                                           ScanReport& report,
                                           const ProgressCallback& progress) {
  std::optional<std::string> text;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in.bad()) text = std::move(buffer).str();
  }
  if (!text) AddIssue(report, path.string(), 0, "cannot read file");
  report.files_scanned += 1;
  report.bytes_scanned += text ? static_cast<int64_t>(text->size()) : 0;
  if (progress) {
    progress(ScanProgress{.files_done = report.files_scanned,
                          .bytes_done = report.bytes_scanned,
                          .current = path.string()});
  }
  return text;
}

std::string FileLocation(std::string_view origin, int64_t line) {
  return std::string(origin) + ":" + std::to_string(line);
}

void AddIssue(ScanReport& report, std::string_view origin, int64_t line,
              std::string message) {
  report.issues.push_back(ScanIssue{.location = FileLocation(origin, line),
                                    .message = std::move(message)});
}

int64_t LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + offset, '\n');
}

}  // namespace warden::discovery
