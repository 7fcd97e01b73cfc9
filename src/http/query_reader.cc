#include "http/query_reader.h"

#include <charconv>

#include "core/time_format.h"

namespace warden {

void QueryReader::Fail(std::string_view name, std::string_view why) {
  if (!error_.ok()) return;
  error_ = InvalidArgument(
      "query parameter \"" + std::string(name) + "\" " + std::string(why),
      "bad-query-parameter");
}

void QueryReader::String(std::string_view name,
                         std::optional<std::string>* out) {
  known_.emplace(name);
  int seen = 0;
  for (const auto& [key, value] : params_) {
    if (key != name) continue;
    if (++seen > 1) return Fail(name, "is given more than once");
    if (value.size() > kMaxQueryValueLength) {
      return Fail(name, "is longer than " +
                            std::to_string(kMaxQueryValueLength) + " bytes");
    }
    *out = value;
  }
}

void QueryReader::Int(std::string_view name, std::optional<int64_t>* out,
                      int64_t min, int64_t max) {
  std::optional<std::string> text;
  String(name, &text);
  if (!text) return;
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    return Fail(name, "must be an integer from " + std::to_string(min) +
                          " to " + std::to_string(max));
  }
  *out = value;
}

void QueryReader::Time(std::string_view name, std::optional<Timestamp>* out) {
  std::optional<std::string> text;
  String(name, &text);
  if (!text) return;
  Result<Timestamp> parsed = ParseRfc3339(*text);
  if (!parsed.ok()) return Fail(name, "must be an RFC 3339 timestamp");
  *out = *parsed;
}

Status QueryReader::Finish() const {
  if (!error_.ok()) return error_;
  for (const auto& [key, value] : params_) {
    if (known_.find(key) == known_.end()) {
      return InvalidArgument(
          "unknown query parameter \"" + key.substr(0, 64) + "\"",
          "bad-query-parameter");
    }
  }
  return Status::Ok();
}

}  // namespace warden
