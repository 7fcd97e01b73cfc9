#include "eval/semver.h"

#include <cctype>

namespace warden::eval {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsNumber(std::string_view s) {
  return IsDigits(s) && (s.size() == 1 || s[0] != '0');
}

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
}

// Dot-separated non-empty identifiers; numeric ones without leading zeros
// when `numeric_rule` (prerelease) applies.
bool ValidIdentifiers(std::string_view s, bool numeric_rule) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot - start);
    if (id.empty()) return false;
    for (char c : id) {
      if (!IsIdentifierChar(c)) return false;
    }
    if (numeric_rule && IsDigits(id) && !IsNumber(id)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

int CompareNumbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;  // a release outranks its prereleases
  if (b.empty()) return -1;
  while (true) {
    size_t da = a.find('.'), db = b.find('.');
    std::string_view ia = a.substr(0, da), ib = b.substr(0, db);
    if (ia != ib) {
      bool na = IsDigits(ia), nb = IsDigits(ib);
      if (na && nb) return CompareNumbers(ia, ib);
      if (na != nb) return na ? -1 : 1;
      return ia < ib ? -1 : 1;
    }
    if (da == std::string_view::npos || db == std::string_view::npos) {
      if (da == db) return 0;
      return da == std::string_view::npos ? -1 : 1;
    }
    a = a.substr(da + 1);
    b = b.substr(db + 1);
  }
}

}  // namespace

std::optional<SemVer> ParseSemVer(std::string_view text) {
  // flagd strips a "v" or "V" prefix (https://flagd.dev/reference/
  // custom-operations/semver-operation/).
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) {
    text.remove_prefix(1);
  }
  SemVer v;
  size_t plus = text.find('+');
  if (plus != std::string_view::npos) {
    if (!ValidIdentifiers(text.substr(plus + 1), false)) return std::nullopt;
    text = text.substr(0, plus);
  }
  size_t dash = text.find('-');
  std::string_view core = text.substr(0, dash);
  if (dash != std::string_view::npos) {
    std::string_view pre = text.substr(dash + 1);
    if (!ValidIdentifiers(pre, true)) return std::nullopt;
    v.prerelease = pre;
  }
  std::string_view parts[3];
  int n = 0;
  size_t start = 0;
  while (n < 3) {
    size_t dot = core.find('.', start);
    parts[n++] = core.substr(start, dot - start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
    if (n == 3) return std::nullopt;  // a fourth component
  }
  for (int i = 0; i < n; ++i) {
    if (!IsNumber(parts[i])) return std::nullopt;
  }
  // Go's semver: shorthands carry neither prerelease nor build.
  if (n < 3 &&
      (dash != std::string_view::npos || plus != std::string_view::npos)) {
    return std::nullopt;
  }
  v.major = parts[0];
  v.minor = n > 1 ? std::string(parts[1]) : "0";
  v.patch = n > 2 ? std::string(parts[2]) : "0";
  return v;
}

int CompareSemVer(const SemVer& a, const SemVer& b) {
  if (int c = CompareNumbers(a.major, b.major)) return c;
  if (int c = CompareNumbers(a.minor, b.minor)) return c;
  if (int c = CompareNumbers(a.patch, b.patch)) return c;
  return ComparePrerelease(a.prerelease, b.prerelease);
}

}  // namespace warden::eval
