#include "discovery/secret_scanner.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "core/crypto.h"
#include "discovery/line_location_hash.h"

namespace warden::discovery {
namespace {

namespace fs = std::filesystem;

struct Match {
  int rule;
  size_t offset;  // of the secret in the file
  size_t length;
};

// Finds the line around a position; positions must not decrease between
// calls, which keeps the total cost linear in the file size.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}

  // The [begin, end) of the line holding `pos` (end excludes the '\n').
  std::pair<size_t, size_t> LineOf(size_t pos) {
    if (pos >= end_ || pos < begin_) {
      size_t from = pos >= end_ ? end_ : 0;
      begin_ = from;
      for (size_t i = pos; i > from; --i) {
        if (text_[i - 1] == '\n') {
          begin_ = i;
          break;
        }
      }
      const void* nl =
          std::memchr(text_.data() + pos, '\n', text_.size() - pos);
      end_ = nl == nullptr ? text_.size()
                           : static_cast<size_t>(static_cast<const char*>(nl) -
                                                 text_.data());
    }
    return {begin_, end_};
  }

 private:
  std::string_view text_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

struct Window {
  size_t begin;
  size_t end;
};

// Hit lines closer than this are searched in one pattern run: scanning the
// gap costs less than starting another run.
constexpr size_t kWindowMergeGap = 1024;

// Merges sorted windows that overlap or lie within kWindowMergeGap.
void MergeWindows(std::vector<Window>* windows) {
  size_t out = 0;
  for (size_t i = 1; i < windows->size(); ++i) {
    Window& last = (*windows)[out];
    const Window& next = (*windows)[i];
    if (next.begin <= last.end + kWindowMergeGap) {
      last.end = std::max(last.end, next.end);
    } else {
      (*windows)[++out] = next;
    }
  }
  windows->resize(out + 1);
}

bool LooksBinary(std::string_view content) {
  size_t probe = std::min(content.size(), kBinaryProbeBytes);
  return std::memchr(content.data(), '\0', probe) != nullptr;
}

bool MixesLettersAndDigits(std::string_view text) {
  bool digit = false;
  bool letter = false;
  for (char c : text) {
    digit |= c >= '0' && c <= '9';
    letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return digit && letter;
}

// Every match of `rule` in content[begin, end).
void MatchWindow(const SecretRule& rule, int index, std::string_view content,
                 size_t begin, size_t end, std::vector<Match>* matches) {
  std::string_view window = content.substr(begin, end - begin);
  re2::StringPiece groups[2];
  size_t pos = 0;
  while (pos <= window.size() &&
         rule.regex->Match(re2::StringPiece(window.data(), window.size()), pos,
                           window.size(), RE2::UNANCHORED, groups, 2)) {
    if (groups[1].data() == nullptr || groups[1].empty()) break;
    size_t start = static_cast<size_t>(groups[1].data() - window.data());
    matches->push_back({index, begin + start, groups[1].size()});
    size_t next = start + groups[1].size();
    pos = next > pos ? next : pos + 1;
  }
}

// Column of `offset` in its line, 1-based, in UTF-16 code units (SARIF's
// default columnKind): continuation bytes add nothing, 4-byte sequences
// (surrogate pairs) add two.
int Utf16Column(std::string_view content, size_t line_begin, size_t offset) {
  int column = 1;
  for (size_t i = line_begin; i < offset; ++i) {
    uint8_t byte = static_cast<uint8_t>(content[i]);
    if ((byte & 0xC0) == 0x80) continue;
    column += byte >= 0xF0 ? 2 : 1;
  }
  return column;
}

// A generic match overlapping a provider match says nothing new. `matches`
// is sorted by offset; a prefix maximum of the provider matches' ends makes
// each overlap test a binary search.
std::vector<Match> DropShadowedGenericMatches(
    const std::vector<SecretRule>& rules, const std::vector<Match>& matches) {
  std::vector<size_t> provider_offsets;
  std::vector<size_t> provider_max_end;
  for (const Match& match : matches) {
    if (rules[match.rule].generic) continue;
    size_t end = match.offset + match.length;
    provider_offsets.push_back(match.offset);
    provider_max_end.push_back(provider_max_end.empty()
                                   ? end
                                   : std::max(provider_max_end.back(), end));
  }
  std::vector<Match> kept;
  for (const Match& match : matches) {
    if (rules[match.rule].generic) {
      size_t before = static_cast<size_t>(
          std::lower_bound(provider_offsets.begin(), provider_offsets.end(),
                           match.offset + match.length) -
          provider_offsets.begin());
      if (before > 0 && provider_max_end[before - 1] > match.offset) continue;
    }
    kept.push_back(match);
  }
  return kept;
}

std::string FormatEntropy(double entropy) {
  char text[16];
  std::snprintf(text, sizeof(text), "%.2f", entropy);
  return text;
}

}  // namespace

std::string RedactedPreview(std::string_view secret) {
  size_t shown = std::min<size_t>(4, secret.size() / 4);
  return std::string(secret.substr(0, shown)) + "****";
}

Result<std::unique_ptr<SecretScanner>> SecretScanner::Create(
    const SecretScanOptions& options, const SecretRuleSet& rules) {
  Status crypto = InitCrypto();
  if (!crypto.ok()) return crypto;
  Result<SecretAllowlist> allowlist = SecretAllowlist::Create(
      options.default_allowlist, options.allow_paths, options.allow_values);
  if (!allowlist.ok()) return allowlist.status();
  return std::unique_ptr<SecretScanner>(
      new SecretScanner(options, rules, std::move(allowlist).value()));
}

void SecretScanner::ScanContent(std::string_view relative_path,
                                std::string_view content,
                                ScanReport* report) const {
  if (LooksBinary(content)) return;
  const std::vector<SecretRule>& rules = rules_.rules();
  // Per rule, the windows (hit lines) its pattern must run over.
  std::vector<std::vector<Window>> windows(rules.size());
  LineCursor cursor(content);
  rules_.keyword_matcher().Scan(content, [&](size_t keyword, size_t end) {
    auto [line_begin, line_end] = cursor.LineOf(end - 1);
    for (int index : rules_.RulesForKeyword(keyword)) {
      std::vector<Window>& list = windows[index];
      if (!list.empty() && list.back().begin == line_begin) continue;
      size_t window_end =
          rules[index].multiline
              ? std::min(content.size(), line_begin + kMaxMultilineSecretBytes)
              : line_end;
      list.push_back({line_begin, window_end});
    }
    return true;
  });
  std::vector<Match> matches;
  for (size_t index = 0; index < rules.size(); ++index) {
    if (windows[index].empty()) continue;
    if (rules[index].keywords_in_pattern) MergeWindows(&windows[index]);
    for (const Window& window : windows[index]) {
      MatchWindow(rules[index], static_cast<int>(index), content, window.begin,
                  window.end, &matches);
    }
  }
  if (matches.empty()) return;

  // Filter: entropy, placeholders, inline markers.
  LineCursor filter_cursor(content);
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return std::tie(a.offset, a.rule) < std::tie(b.offset, b.rule);
  });
  matches.erase(std::unique(matches.begin(), matches.end(),
                            [](const Match& a, const Match& b) {
                              return a.offset == b.offset && a.rule == b.rule;
                            }),
                matches.end());
  std::vector<Match> kept;
  for (const Match& match : matches) {
    const SecretRule& rule = rules[match.rule];
    std::string_view secret = content.substr(match.offset, match.length);
    auto [begin, end] = filter_cursor.LineOf(match.offset);
    if (ShannonEntropy(secret) < rule.min_entropy) continue;
    if (rule.require_digit && !MixesLettersAndDigits(secret)) continue;
    if (allowlist_.ValueAllowed(secret)) continue;
    if (SecretAllowlist::LineAllowed(content.substr(begin, end - begin))) {
      continue;
    }
    kept.push_back(match);
  }
  std::vector<Match> findings = DropShadowedGenericMatches(rules, kept);
  if (findings.size() > kMaxSecretFindingsPerFile) {
    report->issues.push_back(
        {std::string(relative_path) + ":0",
         std::to_string(findings.size()) + " findings; only the first " +
             std::to_string(kMaxSecretFindingsPerFile) + " are reported"});
    findings.resize(kMaxSecretFindingsPerFile);
  }
  if (findings.empty()) return;

  std::vector<size_t> lines;  // 1-based, per finding
  size_t counted_to = 0;
  for (const Match& match : findings) {
    size_t before = lines.empty() ? 1 : lines.back();
    lines.push_back(before + static_cast<size_t>(std::count(
                                 content.begin() + counted_to,
                                 content.begin() + match.offset, '\n')));
    counted_to = match.offset;
  }
  std::vector<std::string> line_hashes =
      LineLocationHashes(content, lines.back());
  LineCursor line_cursor(content);
  for (size_t i = 0; i < findings.size(); ++i) {
    const Match& match = findings[i];
    size_t line = lines[i];
    auto [line_begin, line_end] = line_cursor.LineOf(match.offset);
    const SecretRule& rule = rules[match.rule];
    std::string_view secret = content.substr(match.offset, match.length);
    std::string fingerprint = Sha256Hex(secret);
    std::string path(relative_path);
    std::string line_text = std::to_string(line);
    Observation observation;
    observation.kind = kLeakedSecretKind;
    observation.source = kSecretScannerSource;
    observation.key = rule.id + "|" + path + "|" + line_text + "|" +
                      fingerprint.substr(0, 16);
    observation.name = rule.id;
    observation.location = path + ":" + line_text;
    observation.attributes = {
        {"rule", rule.id},
        {"file", path},
        {"line", line_text},
        {"column",
         std::to_string(Utf16Column(content, line_begin, match.offset))},
        {"entropy", FormatEntropy(ShannonEntropy(secret))},
        {"fingerprint", fingerprint},
        {"preview", RedactedPreview(secret)},
        {"severity", rule.security_severity},
        {"line_hash", line <= line_hashes.size() ? line_hashes[line - 1] : ""},
    };
    report->observations.push_back(std::move(observation));
  }
}

void SecretScanner::ScanFile(const std::string& absolute,
                             const std::string& relative,
                             ScanReport* report) const {
  std::error_code error;
  uintmax_t size = fs::file_size(absolute, error);
  if (error) {
    report->issues.push_back(
        {relative + ":0", "cannot stat: " + error.message()});
    return;
  }
  if (size > options_.max_file_bytes) {
    report->issues.push_back(
        {relative + ":0",
         "skipped: " + std::to_string(size) + " bytes is over the " +
             std::to_string(options_.max_file_bytes) + "-byte limit"});
    return;
  }
  std::ifstream in(absolute, std::ios::binary);
  std::string content(static_cast<size_t>(size), '\0');
  if (!in || !in.read(content.data(), static_cast<std::streamsize>(size))) {
    report->issues.push_back({relative + ":0", "cannot read the file"});
    return;
  }
  content.resize(static_cast<size_t>(in.gcount()));
  report->files_scanned += 1;
  report->bytes_scanned += static_cast<int64_t>(content.size());
  ScanContent(relative, content, report);
}

void SecretScanner::WalkDirectory(const std::string& root,
                                  const std::string& relative,
                                  const ProgressCallback& progress,
                                  ScanReport* report) const {
  fs::path directory =
      relative.empty() ? fs::path(root) : fs::path(root) / relative;
  std::error_code error;
  std::vector<std::pair<std::string, bool>> entries;  // name, is directory
  fs::directory_iterator it(directory, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    fs::file_status status = it->symlink_status(error);
    if (error) break;
    std::string name = it->path().filename().string();
    if (fs::is_directory(status)) {
      if (name != ".git") entries.emplace_back(name, true);
    } else if (fs::is_regular_file(status)) {
      entries.emplace_back(name, false);
    }
  }
  if (error) {
    report->issues.push_back({(relative.empty() ? root : relative) + ":0",
                              "cannot list: " + error.message()});
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& [name, is_directory] : entries) {
    std::string child = relative.empty() ? name : relative + "/" + name;
    if (allowlist_.PathAllowed(is_directory ? child + "/" : child)) continue;
    if (is_directory) {
      WalkDirectory(root, child, progress, report);
      continue;
    }
    ScanFile((fs::path(root) / child).string(), child, report);
    if (progress) {
      progress({report->files_scanned, report->bytes_scanned, child});
    }
  }
}

ScanReport SecretScanner::Scan(const std::string& path,
                               const ProgressCallback& progress) const {
  ScanReport report;
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    report.issues.push_back(
        {path + ":0",
         "cannot open: " + (error ? error.message() : "no such file")});
  } else if (fs::is_directory(status)) {
    WalkDirectory(path, "", progress, &report);
  } else {
    std::string name = fs::path(path).filename().string();
    ScanFile(path, name, &report);
    if (progress) progress({report.files_scanned, report.bytes_scanned, name});
  }
  return report;
}

ScanReport ScanSecrets(const std::string& path,
                       const SecretScanOptions& options,
                       const ProgressCallback& progress) {
  Result<std::unique_ptr<SecretScanner>> scanner =
      SecretScanner::Create(options);
  if (!scanner.ok()) {
    ScanReport report;
    report.issues.push_back({path + ":0", scanner.status().message()});
    return report;
  }
  return scanner.value()->Scan(path, progress);
}

}  // namespace warden::discovery
