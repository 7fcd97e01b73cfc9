// libFuzzer target: the RFC 4180 reader (discovery/csv_reader) and the AWS
// IAM credential report on top of it. The reader always advances (no more
// records plus errors than lines), record lines never go backwards, and the
// report's locations name the buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "discovery/aws_credential_report.h"
#include "discovery/csv_reader.h"
#include "discovery_scan_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  warden::discovery::CsvReader reader(text);
  warden::discovery::CsvRecord record;
  size_t steps = 0;
  int64_t last_line = 0;
  while (true) {
    if (++steps > size + 2) std::abort();  // must reach the end
    auto next = reader.Next(record);
    if (next.ok() && !*next) break;
    if (record.line < last_line) std::abort();
    last_line = record.line;
    if (record.fields.size() > warden::discovery::kMaxCsvFields) std::abort();
  }
  warden::discovery::ScanReport report;
  warden::discovery::ParseAwsCredentialReport(text, warden::fuzz::kFuzzOrigin,
                                              report);
  warden::fuzz::CheckReport(report);
  return 0;
}
