// Semantic versions (semver.org 2.0.0) with the leniency of flagd's
// sem_ver (Go's golang.org/x/mod/semver behind a prefix strip): an optional
// "v" or "V" prefix, and "1" / "1.2" as shorthands for "1.0.0" / "1.2.0".
#ifndef WARDEN_EVAL_SEMVER_H_
#define WARDEN_EVAL_SEMVER_H_

#include <optional>
#include <string>
#include <string_view>

namespace warden::eval {

struct SemVer {
  // Decimal digit strings without leading zeros (arbitrary size).
  std::string major, minor, patch;
  std::string prerelease;  // without '-'; build metadata is dropped
};

// nullopt when `text` is not a valid version.
std::optional<SemVer> ParseSemVer(std::string_view text);

// <0, 0, >0 by semver precedence (build metadata ignored).
int CompareSemVer(const SemVer& a, const SemVer& b);

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SEMVER_H_
