// The progress line a long scan keeps on stderr: "scanned 1200 files,
// 34 MB: path", redrawn in place at most every kProgressInterval, and only
// when stderr is a terminal (a script's log must not fill with carriage
// returns). Single-threaded: the scanner calls Update() on its own thread,
// which is the CLI's main thread.
#ifndef WARDEN_CLI_SCAN_PROGRESS_H_
#define WARDEN_CLI_SCAN_PROGRESS_H_

#include <chrono>
#include <string>

#include "discovery/observation.h"

namespace warden::cli {

// Often enough to look alive, rarely enough to cost nothing on a tree of
// small files.
inline constexpr std::chrono::milliseconds kProgressInterval{200};

class ScanProgressLine {
 public:
  // Draws only when `enabled` (callers pass isatty(STDERR_FILENO)).
  explicit ScanProgressLine(bool enabled) : enabled_(enabled) {}
  ~ScanProgressLine() { Clear(); }
  ScanProgressLine(const ScanProgressLine&) = delete;
  ScanProgressLine& operator=(const ScanProgressLine&) = delete;

  void Update(const discovery::ScanProgress& progress);
  // Erases the line, so what follows starts on a clean line.
  void Clear();

  // The text of one line (exposed for tests): the path shortened from the
  // left to fit `width` columns, control characters replaced by '?'.
  static std::string Format(const discovery::ScanProgress& progress,
                            size_t width);

 private:
  const bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace warden::cli

#endif  // WARDEN_CLI_SCAN_PROGRESS_H_
