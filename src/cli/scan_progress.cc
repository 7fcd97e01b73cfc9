#include "cli/scan_progress.h"

#include <iostream>

namespace warden::cli {
namespace {

// Terminals are at least this wide; the line never wraps, which would
// defeat the carriage return that redraws it.
constexpr size_t kLineWidth = 79;

std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

std::string ScanProgressLine::Format(const discovery::ScanProgress& progress,
                                     size_t width) {
  std::string line =
      "scanned " + std::to_string(progress.files_done) + " files, " +
      std::to_string(progress.bytes_done / (1024 * 1024)) + " MB";
  if (progress.current.empty()) return line;
  line += ": ";
  std::string path = Printable(progress.current);
  if (line.size() + path.size() > width) {
    size_t keep = width > line.size() + 3 ? width - line.size() - 3 : 0;
    path = "..." + path.substr(path.size() - keep);
  }
  return line + path;
}

void ScanProgressLine::Update(const discovery::ScanProgress& progress) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < kProgressInterval) return;
  last_ = now;
  drawn_ = true;
  std::cerr << "\r\033[K" << Format(progress, kLineWidth) << std::flush;
}

void ScanProgressLine::Clear() {
  if (!drawn_) return;
  drawn_ = false;
  std::cerr << "\r\033[K" << std::flush;
}

}  // namespace warden::cli
