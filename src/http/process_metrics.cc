// proc(5): /proc/[pid]/stat, /proc/stat, /proc/[pid]/limits, /proc/[pid]/fd.
#include "http/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

namespace warden {
namespace {

// /proc/stat carries an "intr" line with one count per interrupt: tens of
// kilobytes on large machines. Anything past a mebibyte is not procfs.
constexpr size_t kMaxProcFileBytes = 1 << 20;

// 1-based field numbers of proc(5) for /proc/[pid]/stat.
constexpr size_t kUtimeField = 14;
constexpr size_t kStimeField = 15;
constexpr size_t kStartTimeField = 22;
constexpr size_t kVsizeField = 23;
constexpr size_t kRssField = 24;
// Fields 1 (pid) and 2 (comm) come before the closing parenthesis.
constexpr size_t kFirstFieldAfterComm = 3;

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' &&
           text[i] != '\n') {
      ++i;
    }
    if (i > start) fields.push_back(text.substr(start, i - start));
    if (i < text.size() && text[i] == '\n') break;
  }
  return fields;
}

template <typename Int>
Result<Int> ParseNumber(std::string_view text, std::string_view what) {
  Int value{};
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(std::string(what) + ": not a number: \"" +
                           std::string(text.substr(0, 32)) + "\"");
  }
  return value;
}

// The line of `text` that starts with `prefix`, without the prefix.
std::optional<std::string_view> LineAfter(std::string_view text,
                                          std::string_view prefix) {
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (line.starts_with(prefix)) return line.substr(prefix.size());
    at = end + 1;
  }
  return std::nullopt;
}

Result<std::string> ReadProcFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable("cannot open " + path);
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxProcFileBytes) {
      return InvalidArgument(path + ": larger than " +
                             std::to_string(kMaxProcFileBytes) + " bytes");
    }
  }
  return text;
}

// Entries of /proc/self/fd, as client_golang counts them (the directory's
// own descriptor, open while it is read, is one of them).
Result<double> CountOpenFds(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> fds(opendir(dir.c_str()), closedir);
  if (!fds) return Unavailable("cannot open " + dir);
  double count = 0;
  while (const dirent* entry = readdir(fds.get())) {
    if (entry->d_name[0] != '.') ++count;
  }
  return count;
}

}  // namespace

Result<ProcStat> ParseProcStat(std::string_view text) {
  // The command name is "(...)" and may hold spaces and ')': the fields
  // proper start after the last ')'.
  const size_t comm_end = text.rfind(')');
  if (comm_end == std::string_view::npos) {
    return InvalidArgument("stat: no command name");
  }
  const std::vector<std::string_view> fields =
      SplitSpaces(text.substr(comm_end + 1));
  auto field = [&fields](size_t number) {
    return fields[number - kFirstFieldAfterComm];
  };
  if (fields.size() < kRssField - kFirstFieldAfterComm + 1) {
    return InvalidArgument(
        "stat: " + std::to_string(fields.size()) +
        " fields after the command name, want at least " +
        std::to_string(kRssField - kFirstFieldAfterComm + 1));
  }
  ProcStat stat;
  WARDEN_ASSIGN_OR_RETURN(
      stat.utime_ticks,
      ParseNumber<uint64_t>(field(kUtimeField), "stat.utime"));
  WARDEN_ASSIGN_OR_RETURN(
      stat.stime_ticks,
      ParseNumber<uint64_t>(field(kStimeField), "stat.stime"));
  WARDEN_ASSIGN_OR_RETURN(
      stat.start_ticks,
      ParseNumber<uint64_t>(field(kStartTimeField), "stat.starttime"));
  WARDEN_ASSIGN_OR_RETURN(
      stat.vsize_bytes,
      ParseNumber<uint64_t>(field(kVsizeField), "stat.vsize"));
  WARDEN_ASSIGN_OR_RETURN(stat.rss_pages,
                          ParseNumber<int64_t>(field(kRssField), "stat.rss"));
  return stat;
}

Result<uint64_t> ParseBootTime(std::string_view text) {
  std::optional<std::string_view> rest = LineAfter(text, "btime ");
  if (!rest) return InvalidArgument("/proc/stat: no btime line");
  const std::vector<std::string_view> fields = SplitSpaces(*rest);
  if (fields.empty()) return InvalidArgument("/proc/stat: empty btime line");
  return ParseNumber<uint64_t>(fields[0], "/proc/stat btime");
}

Result<std::optional<uint64_t>> ParseMaxOpenFiles(std::string_view text) {
  // "Max open files            1024                 524288               files"
  std::optional<std::string_view> rest = LineAfter(text, "Max open files");
  if (!rest) return InvalidArgument("limits: no \"Max open files\" line");
  const std::vector<std::string_view> fields = SplitSpaces(*rest);
  if (fields.empty()) return InvalidArgument("limits: no open-files limit");
  if (fields[0] == "unlimited") return std::optional<uint64_t>();
  WARDEN_ASSIGN_OR_RETURN(
      uint64_t soft, ParseNumber<uint64_t>(fields[0], "limits.max_open_files"));
  return std::optional<uint64_t>(soft);
}

ProcessSample ToSample(const ProcStat& stat, uint64_t boot_time,
                       long ticks_per_second, long page_size) {
  const double hz = ticks_per_second > 0 ? ticks_per_second : 100;
  ProcessSample sample;
  sample.cpu_seconds =
      static_cast<double>(stat.utime_ticks + stat.stime_ticks) / hz;
  sample.resident_bytes =
      static_cast<double>(stat.rss_pages) * static_cast<double>(page_size);
  sample.virtual_bytes = static_cast<double>(stat.vsize_bytes);
  sample.start_time_seconds = static_cast<double>(boot_time) +
                              static_cast<double>(stat.start_ticks) / hz;
  return sample;
}

namespace {

// Boot time does not change while the system runs: read once.
Result<uint64_t> ReadBootTime(const std::string& proc) {
  WARDEN_ASSIGN_OR_RETURN(std::string text, ReadProcFile(proc + "/stat"));
  return ParseBootTime(text);
}

}  // namespace

ProcessMetrics::ProcessMetrics(std::string proc)
    : proc_(std::move(proc)),
      ticks_per_second_(sysconf(_SC_CLK_TCK)),
      page_size_(sysconf(_SC_PAGESIZE)),
      boot_time_(ReadBootTime(proc_)) {}

Result<ProcessSample> ProcessMetrics::Read() const {
  WARDEN_ASSIGN_OR_RETURN(std::string stat_text,
                          ReadProcFile(proc_ + "/self/stat"));
  WARDEN_ASSIGN_OR_RETURN(ProcStat stat, ParseProcStat(stat_text));
  if (!boot_time_.ok()) return boot_time_.status();
  ProcessSample sample =
      ToSample(stat, *boot_time_, ticks_per_second_, page_size_);
  // Descriptors are optional: a sandbox may hide them, the rest stands.
  Result<double> open = CountOpenFds(proc_ + "/self/fd");
  if (open.ok()) sample.open_fds = *open;
  Result<std::string> limits_text = ReadProcFile(proc_ + "/self/limits");
  if (limits_text.ok()) {
    Result<std::optional<uint64_t>> max = ParseMaxOpenFiles(*limits_text);
    if (max.ok() && max->has_value()) {
      sample.max_fds = static_cast<double>(**max);
    }
  }
  return sample;
}

void ProcessMetrics::Collect(MetricsWriter& out) const {
  Result<ProcessSample> sample = Read();
  if (!sample.ok()) return;
  out.Family("process_cpu_seconds_total", "counter",
             "Total user and system CPU time spent in seconds.");
  out.Sample("process_cpu_seconds_total", sample->cpu_seconds);
  out.Family("process_resident_memory_bytes", "gauge",
             "Resident memory size in bytes.");
  out.Sample("process_resident_memory_bytes", sample->resident_bytes);
  out.Family("process_virtual_memory_bytes", "gauge",
             "Virtual memory size in bytes.");
  out.Sample("process_virtual_memory_bytes", sample->virtual_bytes);
  if (sample->open_fds) {
    out.Family("process_open_fds", "gauge", "Number of open file descriptors.");
    out.Sample("process_open_fds", *sample->open_fds);
  }
  if (sample->max_fds) {
    out.Family("process_max_fds", "gauge",
               "Maximum number of open file descriptors.");
    out.Sample("process_max_fds", *sample->max_fds);
  }
  out.Family("process_start_time_seconds", "gauge",
             "Start time of the process since unix epoch in seconds.");
  out.Sample("process_start_time_seconds", sample->start_time_seconds);
}

}  // namespace warden
