// PEM per RFC 7468 (textual encoding, section 2 and 5.1 for certificates);
// base64 per RFC 4648 section 4, whitespace between lines tolerated.
#include "discovery/certificate_scanner.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "discovery/certificate_observation.h"
#include "discovery/file_walk.h"

namespace warden::discovery {
namespace {

constexpr std::string_view kSource = "certs";
constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

bool IsCertificateLabel(std::string_view label) {
  return label == "CERTIFICATE" || label == "X509 CERTIFICATE";
}

// Strict RFC 4648 base64 without whitespace; nullopt on any bad character,
// a bad length or misplaced padding.
std::optional<std::string> DecodeBase64(std::string_view text) {
  static const std::array<int, 256> kValues = [] {
    std::array<int, 256> values{};
    values.fill(-1);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < kAlphabet.size(); ++i) {
      values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    return values;
  }();
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t buffer = 0;
  const size_t data_chars = text.size() - padding;
  for (size_t i = 0; i < text.size(); ++i) {
    int value = 0;
    if (i < data_chars) {
      value = kValues[static_cast<unsigned char>(text[i])];
      if (value < 0) return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(buffer >> 16));
      out.push_back(static_cast<char>((buffer >> 8) & 0xff));
      out.push_back(static_cast<char>(buffer & 0xff));
      buffer = 0;
    }
  }
  out.resize(out.size() - padding);
  return out;
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() &&
         (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    line.remove_prefix(1);
  }
  return line;
}

// The label of a "-----BEGIN label-----" or "-----END label-----" line.
std::optional<std::string_view> MarkerLabel(std::string_view line,
                                            std::string_view marker) {
  if (!line.starts_with(marker) || !line.ends_with(kDashes) ||
      line.size() < marker.size() + kDashes.size()) {
    return std::nullopt;
  }
  return line.substr(marker.size(),
                     line.size() - marker.size() - kDashes.size());
}

// One PEM block being read: its label, the line of its BEGIN, its base64.
struct PemBlock {
  std::string label;
  int64_t begin_line = 0;
  std::string base64;
};

class PemReader {
 public:
  PemReader(std::string_view origin, ScanReport& report)
      : origin_(origin), report_(report) {}

  void Read(std::string_view text) {
    int64_t line_number = 0;
    while (!text.empty()) {
      const size_t newline = text.find('\n');
      const std::string_view line = TrimLine(text.substr(0, newline));
      text.remove_prefix(newline == std::string_view::npos ? text.size()
                                                           : newline + 1);
      ReadLine(line, ++line_number);
    }
    if (block_) Truncated("no END marker before the end of the file");
  }

 private:
  void ReadLine(std::string_view line, int64_t line_number) {
    if (auto label = MarkerLabel(line, kBegin)) {
      if (block_) Truncated("a new BEGIN marker before its END marker");
      block_ = PemBlock{.label = std::string(*label),
                        .begin_line = line_number,
                        .base64 = {}};
      return;
    }
    if (!block_) return;  // text around PEM blocks is allowed (RFC 7468 s.5)
    if (auto label = MarkerLabel(line, kEnd)) {
      Finish(*label);
      return;
    }
    block_->base64.append(line);
  }

  void Finish(std::string_view end_label) {
    PemBlock block = std::move(*block_);
    block_.reset();
    if (end_label != block.label) {
      Issue(block.begin_line, "PEM block " + block.label + " ends with END " +
                                  std::string(end_label));
      return;
    }
    if (!IsCertificateLabel(block.label)) return;
    std::optional<std::string> der = DecodeBase64(block.base64);
    if (!der) {
      Issue(block.begin_line, "PEM CERTIFICATE block has invalid base64");
      return;
    }
    auto observation = DescribeCertificate(
        *der, kSource, FileLocation(origin_, block.begin_line));
    if (!observation.ok()) {
      Issue(block.begin_line, observation.status().message());
      return;
    }
    report_.observations.push_back(std::move(*observation));
  }

  void Truncated(std::string_view why) {
    Issue(block_->begin_line,
          "truncated PEM block " + block_->label + ": " + std::string(why));
    block_.reset();
  }

  void Issue(int64_t line, std::string message) {
    AddIssue(report_, origin_, line, std::move(message));
  }

  std::string_view origin_;
  ScanReport& report_;
  std::optional<PemBlock> block_;
};

// A DER certificate starts with a SEQUENCE whose length is in long form
// (every certificate is over 127 bytes).
bool LooksLikeDer(std::string_view bytes) {
  return bytes.size() > 4 && static_cast<unsigned char>(bytes[0]) == 0x30 &&
         static_cast<unsigned char>(bytes[1]) >= 0x81 &&
         static_cast<unsigned char>(bytes[1]) <= 0x84;
}

bool HasDerExtension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return extension == ".der" || extension == ".cer" || extension == ".crt" ||
         extension == ".cert";
}

}  // namespace

void ParseCertificateBytes(std::string_view bytes, std::string_view origin,
                           bool der_expected, ScanReport& report) {
  if (bytes.find(kBegin) != std::string_view::npos) {
    PemReader(origin, report).Read(bytes);
    return;
  }
  if (!der_expected && !LooksLikeDer(bytes)) return;
  auto observation =
      DescribeCertificate(bytes, kSource, FileLocation(origin, 1));
  if (!observation.ok()) {
    AddIssue(report, origin, 1, observation.status().message());
    return;
  }
  report.observations.push_back(std::move(*observation));
}

void DropDuplicateObservations(ScanReport& report) {
  std::set<std::pair<std::string, std::string>> seen;
  std::erase_if(report.observations, [&seen](const Observation& o) {
    return !seen.emplace(o.kind, o.key).second;
  });
}

ScanReport ScanCertificateFiles(const std::filesystem::path& root,
                                const ProgressCallback& progress,
                                const CertificateScanOptions& options) {
  ScanReport report;
  for (const auto& path : CollectFiles(root, options.max_file_bytes, report)) {
    std::optional<std::string> bytes = ReadScannedFile(path, report, progress);
    if (!bytes) continue;
    ParseCertificateBytes(*bytes, path.string(), HasDerExtension(path), report);
  }
  DropDuplicateObservations(report);
  return report;
}

}  // namespace warden::discovery
