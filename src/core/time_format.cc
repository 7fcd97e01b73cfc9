#include "core/time_format.h"

#include <charconv>
#include <cstdio>

namespace warden {
namespace {

using std::chrono::days;
using std::chrono::year_month_day;

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

Status Malformed(std::string_view text, std::string_view why) {
  return InvalidArgument("invalid RFC 3339 timestamp \"" +
                         std::string(text.substr(0, 64)) +
                         "\": " + std::string(why));
}

}  // namespace

std::string FormatRfc3339(Timestamp t) {
  auto day_point = std::chrono::floor<days>(t);
  year_month_day ymd(day_point);
  auto since_midnight = t - day_point;
  int64_t us = since_midnight.count();
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  char buf[48];
  int n = std::snprintf(
      buf, sizeof(buf), "%04d-%02u-%02uT%02lld:%02lld:%02lld",
      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
      static_cast<unsigned>(ymd.day()), static_cast<long long>(secs / 3600),
      static_cast<long long>((secs / 60) % 60),
      static_cast<long long>(secs % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof(buf), ".%06lld", static_cast<long long>(frac));
    out += buf;
  }
  out += 'Z';
  return out;
}

Result<Timestamp> ParseRfc3339(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || text.size() > 40) {
    return Malformed(text, "wrong length");
  }
  if (!ReadDigits(text, 0, 4, year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' ||
      !ReadDigits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !ReadDigits(text, 11, 2, hour) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, second)) {
    return Malformed(text, "expected YYYY-MM-DDTHH:MM:SS");
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return Malformed(text, "empty fraction");
    for (size_t i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !ReadDigits(text, pos + 4, 2, om) || oh > 23 ||
        om > 59) {
      return Malformed(text, "bad UTC offset");
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return Malformed(text, "missing time zone (Z or +HH:MM)");
  }
  if (pos != text.size()) return Malformed(text, "trailing characters");
  year_month_day ymd{std::chrono::year(year),
                     std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) {
    return Malformed(text, "field out of range");
  }
  if (second == 60) second = 59;  // leap second: clamp, as most systems do.
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(hour) +
           std::chrono::minutes(minute - offset_minutes) +
           std::chrono::seconds(second);
  // An offset can carry 0000-01-01 or 9999-12-31 outside the four-digit
  // years that RFC 3339 (and FormatRfc3339) can write.
  const int utc_year =
      static_cast<int>(year_month_day(std::chrono::floor<days>(t)).year());
  if (utc_year < 0 || utc_year > 9999) {
    return Malformed(text, "outside years 0000-9999 in UTC");
  }
  return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(
                       t.time_since_epoch()) +
                   std::chrono::microseconds(micros));
}

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.size() < 2 || text.size() > 12) {
    return InvalidArgument("invalid duration \"" +
                           std::string(text.substr(0, 16)) +
                           "\": expected e.g. 90s, 15m, 12h, 30d");
  }
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size() - 1, value);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || value <= 0) {
    return InvalidArgument("invalid duration \"" + std::string(text) +
                           "\": expected a positive number and a unit");
  }
  constexpr int64_t kMaxSeconds = int64_t{100} * 365 * 86400;
  int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return InvalidArgument("invalid duration \"" + std::string(text) +
                             "\": unit must be s, m, h or d");
  }
  if (value > kMaxSeconds / unit) {
    return InvalidArgument("duration \"" + std::string(text) +
                           "\" exceeds 100 years");
  }
  return std::chrono::seconds(value * unit);
}

}  // namespace warden
