// SecretScanner: finds credentials committed to a source tree, the way
// dedicated secret scanners do it. For each file:
//   1. skip it when its path is allowlisted, it is larger than the limit,
//      or it looks binary (a NUL byte in its first kBinaryProbeBytes);
//   2. run the keyword automaton once over the whole file;
//   3. for each keyword hit, run the patterns of the rules that keyword
//      triggers over the hit's line only (a rule runs at most once per
//      line; key blocks get a window of kMaxMultilineSecretBytes);
//   4. keep a match when the captured secret reaches the rule's entropy,
//      is not a placeholder and its line carries no allow marker; drop a
//      generic match that overlaps a provider rule's match.
// Each finding becomes an Observation of kind kLeakedSecretKind:
//   key       "rule|path|line|h" (h: first 16 hex digits of the secret's
//             SHA-256, so re-scans give the same key and distinct secrets
//             on one line stay distinct);
//   name      the rule id; location "path:line";
//   attributes rule, file, line, column (1-based, UTF-16 code units),
//             entropy, fingerprint (SHA-256 hex of the secret), preview
//             (at most the first 4 characters then "****"), severity,
//             line_hash (GitHub's primaryLocationLineHash).
// The secret itself is never stored, logged or returned.
//
// Thread-safety: SecretScanner is immutable after Create(); Scan() and
// ScanContent() may run concurrently.
#ifndef WARDEN_DISCOVERY_SECRET_SCANNER_H_
#define WARDEN_DISCOVERY_SECRET_SCANNER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "discovery/observation.h"
#include "discovery/secret_allowlist.h"
#include "discovery/secret_rules.h"

namespace warden::discovery {

// Files are read whole. A larger file in a source tree is generated data,
// a dump or an archive; reading it would bound memory by the largest file
// in the tree instead of by this limit. Such files are reported as issues.
inline constexpr size_t kMaxSecretScanFileBytes = size_t{8} << 20;
// The window a multi-line rule (a PEM key block) may span from its first
// line: a 16384-bit RSA key in PEM is about 12.5 KiB.
inline constexpr size_t kMaxMultilineSecretBytes = 16 << 10;
// Git's binary heuristic: a NUL byte among the first 8000 bytes.
inline constexpr size_t kBinaryProbeBytes = 8000;

// Findings reported per file; the rest are summarized in one issue. A file
// with more is generated data (a dump, a key list), and the cap keeps one
// file from flooding the report.
inline constexpr size_t kMaxSecretFindingsPerFile = 1000;

inline constexpr char kSecretScannerSource[] = "secrets";

struct SecretScanOptions {
  size_t max_file_bytes = kMaxSecretScanFileBytes;
  bool default_allowlist = true;
  std::vector<std::string> allow_paths;   // RE2 over the relative path
  std::vector<std::string> allow_values;  // case-insensitive substrings
};

class SecretScanner {
 public:
  // Returns kInvalidArgument when an allowlist pattern does not compile.
  // `rules` must outlive the scanner.
  static Result<std::unique_ptr<SecretScanner>> Create(
      const SecretScanOptions& options,
      const SecretRuleSet& rules = BuiltinSecretRules());

  // Scans `path`: a file (reported under its file name) or a directory
  // walked recursively in name order, without following symbolic links
  // and skipping .git. Unreadable files and directories become issues.
  ScanReport Scan(const std::string& path,
                  const ProgressCallback& progress) const;

  // Scans `content` as the file `relative_path` and appends its findings.
  // Binary content is skipped. Does not apply the path allowlist or the
  // size limit (Scan does).
  void ScanContent(std::string_view relative_path, std::string_view content,
                   ScanReport* report) const;

  const SecretRuleSet& rules() const { return rules_; }

 private:
  SecretScanner(const SecretScanOptions& options, const SecretRuleSet& rules,
                SecretAllowlist allowlist)
      : options_(options), rules_(rules), allowlist_(std::move(allowlist)) {}

  void ScanFile(const std::string& absolute, const std::string& relative,
                ScanReport* report) const;
  void WalkDirectory(const std::string& root, const std::string& relative,
                     const ProgressCallback& progress,
                     ScanReport* report) const;

  // Immutable after construction.
  SecretScanOptions options_;
  const SecretRuleSet& rules_;
  SecretAllowlist allowlist_;
};

// Convenience: Create() then Scan(). An invalid option becomes an issue.
ScanReport ScanSecrets(const std::string& path,
                       const SecretScanOptions& options,
                       const ProgressCallback& progress);

// "AKIA****": at most the first 4 characters of `secret` (fewer for short
// secrets, so that at least three quarters stay hidden) then "****".
std::string RedactedPreview(std::string_view secret);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SECRET_SCANNER_H_
