// SecretAllowlist: what the secret scanner does not report.
//   - Paths (RE2 over the repository-relative path, forward slashes):
//     dependency trees (vendor/, node_modules/, virtualenvs), lock files
//     and checksum lists, media and compiled artifacts.
//   - Values (case-insensitive substrings of the captured secret):
//     documentation and template placeholders ("EXAMPLE", "xxxx",
//     "changeme", "${", ...); a value made of one repeated character.
//   - Lines: a line carrying "warden:allow" or "gitleaks:allow" (usually
//     in a comment) is not reported, so a known test fixture can stay.
// Callers add their own path patterns and values to the defaults.
//
// Thread-safety: immutable after Create(); safe for concurrent use.
#ifndef WARDEN_DISCOVERY_SECRET_ALLOWLIST_H_
#define WARDEN_DISCOVERY_SECRET_ALLOWLIST_H_

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace warden::discovery {

class SecretAllowlist {
 public:
  // Returns kInvalidArgument naming the pattern when one of `paths` does
  // not compile.
  static Result<SecretAllowlist> Create(bool use_defaults,
                                        const std::vector<std::string>& paths,
                                        const std::vector<std::string>& values);

  // True when nothing under `relative_path` is scanned (for a directory,
  // pass the path with a trailing '/').
  bool PathAllowed(std::string_view relative_path) const;
  // True when `secret` is a placeholder rather than a credential.
  bool ValueAllowed(std::string_view secret) const;
  // True when `line` carries an inline allow marker.
  static bool LineAllowed(std::string_view line);

 private:
  // Immutable after construction.
  std::vector<std::shared_ptr<const RE2>> paths_;
  std::vector<std::string> values_;  // lower case
};

// Shannon entropy of `text` in bits per byte (0 for empty text; at most 8).
double ShannonEntropy(std::string_view text);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_SECRET_ALLOWLIST_H_
