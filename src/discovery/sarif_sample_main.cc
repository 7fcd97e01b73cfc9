// warden_sarif_sample: writes a small source tree with generated fake
// secrets (one per rule, plus allowlisted and binary files) under the
// directory given as argv[1], scans it and prints the SARIF log on stdout.
// Test-only: tests/e2e/sarif_schema.test.js validates the output against
// the SARIF 2.1.0 JSON schema.
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "discovery/sarif_log.h"
#include "discovery/secret_scanner.h"

namespace {

namespace fs = std::filesystem;
using namespace warden::discovery;

void WriteTree(const fs::path& root) {
  fs::create_directories(root / "src");
  fs::create_directories(root / "node_modules/pkg");
  std::ofstream all(root / "src/settings.py", std::ios::binary);
  std::ofstream skipped(root / "node_modules/pkg/index.js", std::ios::binary);
  const std::vector<SecretRule>& rules = BuiltinSecretRules().rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    std::mt19937_64 rng(i);
    std::string secret;
    std::string line = SampleSecretLine(rules[i], rng, &secret);
    all << "# " << rules[i].id << "\n" << line << "\n";
    skipped << line << "\n";
  }
  std::ofstream(root / "with space.env") << "x = 1\n";
  std::ofstream(root / "blob.bin", std::ios::binary)
      << std::string("\0\1\2", 3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: warden_sarif_sample DIR\n");
    return 2;
  }
  fs::path root = fs::absolute(argv[1]);
  WriteTree(root);
  SecretScanOptions options;
  options.max_file_bytes = 1 << 20;
  ScanReport report = ScanSecrets(root.string(), options, {});
  SarifToolInfo tool;
  tool.version = WARDEN_VERSION;
  tool.information_uri = "https://warden.invalid/docs/SCANNING.md";
  tool.source_root_uri = "file://" + root.generic_string() + "/";
  std::string text = boost::json::serialize(
      SecretScanSarif(report, BuiltinSecretRules(), tool));
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return report.observations.empty() ? 1 : 0;
}
