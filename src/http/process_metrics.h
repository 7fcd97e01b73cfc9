// The process_* metrics as the Prometheus client libraries define them
// (client_golang's process collector, prometheus/procfs), read from
// /proc/self on Linux:
//
//   process_cpu_seconds_total      counter  (utime + stime) / USER_HZ
//   process_resident_memory_bytes  gauge    rss pages * page size
//   process_virtual_memory_bytes   gauge    vsize
//   process_open_fds               gauge    entries of /proc/self/fd
//   process_max_fds                gauge    soft "Max open files"
//   process_start_time_seconds     gauge    btime + starttime / USER_HZ
//
// proc(5) documents the formats: /proc/[pid]/stat (fields 14, 15, 22, 23
// and 24 after the parenthesised command name, which may itself contain
// spaces and parentheses), /proc/stat ("btime"), /proc/[pid]/limits.
// The parsers are pure and total: malformed text is a kInvalidArgument
// naming the file and the field, never a crash (fuzz/proc_stat_fuzzer.cc).
//
// Thread-safety: the functions are reentrant; ProcessMetrics is immutable
// after construction and may collect from any thread.
#ifndef WARDEN_HTTP_PROCESS_METRICS_H_
#define WARDEN_HTTP_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/metrics.h"

namespace warden {

// The fields of /proc/[pid]/stat the process metrics use, as the kernel
// counts them (clock ticks, bytes, pages).
struct ProcStat {
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  uint64_t start_ticks = 0;  // after boot
  uint64_t vsize_bytes = 0;
  int64_t rss_pages = 0;  // signed in the kernel's format
};

Result<ProcStat> ParseProcStat(std::string_view text);
// The "btime" line of /proc/stat: boot time, seconds since the epoch.
Result<uint64_t> ParseBootTime(std::string_view text);
// The soft limit of "Max open files" in /proc/[pid]/limits; nullopt when
// it reads "unlimited".
Result<std::optional<uint64_t>> ParseMaxOpenFiles(std::string_view text);

// What one scrape reports, in the metrics' units.
struct ProcessSample {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  std::optional<double> open_fds;
  std::optional<double> max_fds;  // nullopt: unlimited
  double start_time_seconds = 0;
};

// USER_HZ and the page size (sysconf) turn ticks and pages into seconds
// and bytes.
ProcessSample ToSample(const ProcStat& stat, uint64_t boot_time,
                       long ticks_per_second, long page_size);

class ProcessMetrics {
 public:
  // Reads the kernel's constants and the boot time; `proc` is the procfs
  // mount ("/proc"; tests point it elsewhere).
  explicit ProcessMetrics(std::string proc = "/proc");

  // The current sample; an unreadable or malformed file is an error
  // naming it (the scrape then omits the process_* families).
  Result<ProcessSample> Read() const;
  // Writes the process_* families (nothing when Read() fails: a gap in the
  // series, not a zero). A MetricsCollector.
  void Collect(MetricsWriter& out) const;

 private:
  const std::string proc_;
  const long ticks_per_second_;
  const long page_size_;
  const Result<uint64_t> boot_time_;  // read once: it never changes
};

}  // namespace warden

#endif  // WARDEN_HTTP_PROCESS_METRICS_H_
