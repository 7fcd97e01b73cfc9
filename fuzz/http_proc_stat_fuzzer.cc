// libFuzzer target: the /proc parsers of the process metrics
// (http/process_metrics.h): /proc/[pid]/stat, the btime line of /proc/stat
// and the open-files limit of /proc/[pid]/limits. The kernel writes them,
// but a parser that crashes on a format change would take /metrics down.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/process_metrics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto stat = warden::ParseProcStat(text);
  if (stat.ok()) (void)warden::ToSample(*stat, 1'700'000'000, 100, 4096);
  (void)warden::ParseBootTime(text);
  (void)warden::ParseMaxOpenFiles(text);
  return 0;
}
