// Strict reading of JSON request bodies.
//
// ParseJsonObject() turns untrusted body text into a JSON object, or a
// kInvalidArgument Status with a stable problem slug:
//   "malformed-json"  not JSON, trailing garbage, or nested too deeply
//   "wrong-type"      the body is valid JSON but not an object
// JsonObjectReader then pulls typed fields out of one object. It remembers
// every key it was asked about, and Finish() reports the first error seen:
//   "missing-field"   a required key is absent (or null)
//   "wrong-type"      a key holds the wrong JSON type; names the field path,
//                     e.g. "scopes[2] must be a string"
//   "invalid-value"   right type, but outside the allowed vocabulary/format
//   "unknown-field"   a key nobody asked for (typos must not pass silently)
// Optional fields treat an explicit null like an absent key.
//
// Thread-safety: a reader is used by one thread; it borrows the object,
// which must outlive it.
#ifndef WARDEN_HTTP_JSON_READER_H_
#define WARDEN_HTTP_JSON_READER_H_

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

// Request bodies are flat records; real clients never nest more than a few
// levels, so deeper documents are only a way to exhaust the parser's stack.
inline constexpr int kMaxJsonDepth = 16;
// Longest accepted array (team members are capped at 1000 by the service);
// bounds the work done on a single field before validation.
inline constexpr size_t kMaxJsonArrayItems = 1000;

Result<boost::json::object> ParseJsonObject(std::string_view body);

enum class Presence { kOptional, kRequired };

class JsonObjectReader {
 public:
  // `path` prefixes field names in messages ("" for the body itself).
  explicit JsonObjectReader(const boost::json::object& object,
                            std::string path = {});

  JsonObjectReader(const JsonObjectReader&) = delete;
  JsonObjectReader& operator=(const JsonObjectReader&) = delete;

  // Each accessor leaves `out` untouched when the key is absent.
  void String(std::string_view key, std::string* out,
              Presence presence = Presence::kOptional);
  void String(std::string_view key, std::optional<std::string>* out);
  void Int(std::string_view key, std::optional<int64_t>* out,
           Presence presence = Presence::kOptional);
  void Bool(std::string_view key, bool* out);
  void StringArray(std::string_view key, std::vector<std::string>* out,
                   Presence presence = Presence::kOptional);
  void StringArray(std::string_view key,
                   std::optional<std::vector<std::string>>* out);
  // RFC 3339 text.
  void Time(std::string_view key, std::optional<Timestamp>* out,
            Presence presence = Presence::kOptional);

  // A string from a fixed vocabulary: `parse` maps text to a value (nullopt
  // when outside it); `allowed` lists the names for the error message.
  template <typename E>
  void Enum(std::string_view key, std::optional<E>* out,
            std::optional<E> (*parse)(std::string_view),
            std::string (*allowed)(), Presence presence = Presence::kOptional) {
    std::string text;
    String(key, &text, presence);
    if (!error_.ok() || !Has(key)) return;
    std::optional<E> value = parse(text);
    if (!value) {
      Fail(InvalidArgument(FieldPath(key) + " must be one of " + allowed() +
                               ", got \"" + text.substr(0, 64) + "\"",
                           "invalid-value"));
      return;
    }
    *out = value;
  }

  // True when the key is present with a non-null value. Marks it known.
  bool Has(std::string_view key);
  // True when the key is present and null. Marks it known.
  bool IsNull(std::string_view key);

  // Records an error found by the caller (first error wins).
  void Fail(Status status);
  // "owner" or "parent.owner": the key as it appears in messages.
  std::string FieldPath(std::string_view key) const;

  // The first error recorded, else "unknown-field" for the first key no
  // accessor asked about, else OK.
  Status Finish() const;

 private:
  // The value, or nullptr when absent/null; records missing-field when
  // required.
  const boost::json::value* Find(std::string_view key, Presence presence);
  void WrongType(std::string_view path, std::string_view expected);

  const boost::json::object& object_;
  const std::string path_;
  std::set<std::string, std::less<>> known_;
  Status error_;
};

}  // namespace warden

#endif  // WARDEN_HTTP_JSON_READER_H_
