// libFuzzer target: the secret scanner over one untrusted file (any bytes:
// source text, binaries, huge lines) and the SARIF log of what it found.
// Invariants: every observation points inside the input (a line that
// exists, a column >= 1), its preview is at most 4 characters plus
// "****", and the serialized SARIF log parses back as JSON.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "discovery/sarif_log.h"
#include "discovery/secret_scanner.h"

namespace {

using namespace warden::discovery;

const SecretScanner& Scanner() {
  static const SecretScanner* const scanner =
      SecretScanner::Create({}).value().release();
  return *scanner;
}

void CheckObservation(const Observation& observation, std::string_view text) {
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  long line =
      std::strtol(observation.attributes.at("line").c_str(), nullptr, 10);
  long column =
      std::strtol(observation.attributes.at("column").c_str(), nullptr, 10);
  const std::string& preview = observation.attributes.at("preview");
  if (line < 1 || static_cast<size_t>(line) > lines || column < 1 ||
      preview.size() > 8 || preview.substr(preview.size() - 4) != "****") {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ScanReport report;
  Scanner().ScanContent("fuzz/input.txt", text, &report);
  for (const Observation& observation : report.observations) {
    CheckObservation(observation, text);
  }
  if (report.observations.empty()) return 0;
  std::string log =
      boost::json::serialize(SecretScanSarif(report, Scanner().rules(), {}));
  boost::system::error_code error;
  boost::json::parse(log, error);
  if (error) std::abort();
  return 0;
}
