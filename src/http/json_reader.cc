#include "http/json_reader.h"

#include <boost/json/parse.hpp>
#include <limits>

#include "core/time_format.h"

namespace warden {
namespace {

std::string_view KindName(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

}  // namespace

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::error_code ec;
  // The non-throwing overload: Boost.JSON reports syntax errors, depth
  // overruns and allocation limits through `ec`.
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec) {
    return InvalidArgument("request body is not valid JSON: " + ec.message(),
                           "malformed-json");
  }
  if (!value.is_object()) {
    return InvalidArgument("request body must be a JSON object, got " +
                               std::string(KindName(value)),
                           "wrong-type");
  }
  return std::move(value.get_object());
}

JsonObjectReader::JsonObjectReader(const boost::json::object& object,
                                   std::string path)
    : object_(object), path_(std::move(path)) {}

std::string JsonObjectReader::FieldPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonObjectReader::Fail(Status status) {
  if (error_.ok()) error_ = std::move(status);
}

void JsonObjectReader::WrongType(std::string_view path,
                                 std::string_view expected) {
  Fail(InvalidArgument(std::string(path) + " must be " + std::string(expected),
                       "wrong-type"));
}

bool JsonObjectReader::Has(std::string_view key) {
  known_.emplace(key);
  const boost::json::value* v = object_.if_contains(key);
  return v != nullptr && !v->is_null();
}

bool JsonObjectReader::IsNull(std::string_view key) {
  known_.emplace(key);
  const boost::json::value* v = object_.if_contains(key);
  return v != nullptr && v->is_null();
}

const boost::json::value* JsonObjectReader::Find(std::string_view key,
                                                 Presence presence) {
  if (!Has(key)) {
    if (presence == Presence::kRequired) {
      Fail(InvalidArgument(FieldPath(key) + " is required", "missing-field"));
    }
    return nullptr;
  }
  return object_.if_contains(key);
}

void JsonObjectReader::String(std::string_view key, std::string* out,
                              Presence presence) {
  const boost::json::value* v = Find(key, presence);
  if (v == nullptr) return;
  if (!v->is_string()) return WrongType(FieldPath(key), "a string");
  *out = std::string(v->get_string());
}

void JsonObjectReader::String(std::string_view key,
                              std::optional<std::string>* out) {
  std::string value;
  String(key, &value, Presence::kOptional);
  if (Has(key) && error_.ok()) *out = std::move(value);
}

void JsonObjectReader::Int(std::string_view key, std::optional<int64_t>* out,
                           Presence presence) {
  const boost::json::value* v = Find(key, presence);
  if (v == nullptr) return;
  if (v->is_int64()) {
    *out = v->get_int64();
  } else if (v->is_uint64() &&
             v->get_uint64() <=
                 static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *out = static_cast<int64_t>(v->get_uint64());
  } else {
    WrongType(FieldPath(key), "an integer");
  }
}

void JsonObjectReader::Bool(std::string_view key, bool* out) {
  const boost::json::value* v = Find(key, Presence::kOptional);
  if (v == nullptr) return;
  if (!v->is_bool()) return WrongType(FieldPath(key), "a boolean");
  *out = v->get_bool();
}

void JsonObjectReader::StringArray(std::string_view key,
                                   std::vector<std::string>* out,
                                   Presence presence) {
  const boost::json::value* v = Find(key, presence);
  if (v == nullptr) return;
  if (!v->is_array()) return WrongType(FieldPath(key), "an array of strings");
  const boost::json::array& array = v->get_array();
  if (array.size() > kMaxJsonArrayItems) {
    return Fail(InvalidArgument(FieldPath(key) + " has more than " +
                                    std::to_string(kMaxJsonArrayItems) +
                                    " items",
                                "invalid-value"));
  }
  std::vector<std::string> items;
  items.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) {
      return WrongType(FieldPath(key) + "[" + std::to_string(i) + "]",
                       "a string");
    }
    items.emplace_back(array[i].get_string());
  }
  *out = std::move(items);
}

void JsonObjectReader::StringArray(
    std::string_view key, std::optional<std::vector<std::string>>* out) {
  std::vector<std::string> items;
  StringArray(key, &items, Presence::kOptional);
  if (Has(key) && error_.ok()) *out = std::move(items);
}

void JsonObjectReader::Time(std::string_view key, std::optional<Timestamp>* out,
                            Presence presence) {
  std::string text;
  String(key, &text, presence);
  if (!error_.ok() || !Has(key)) return;
  Result<Timestamp> parsed = ParseRfc3339(text);
  if (!parsed.ok()) {
    return Fail(InvalidArgument(
        FieldPath(key) + ": " + parsed.status().message(), "invalid-value"));
  }
  *out = *parsed;
}

Status JsonObjectReader::Finish() const {
  if (!error_.ok()) return error_;
  for (const auto& [key, value] : object_) {
    if (known_.find(std::string_view(key)) == known_.end()) {
      std::string name(key.data(), std::min<size_t>(key.size(), 64));
      return InvalidArgument("unknown field \"" + FieldPath(name) + "\"",
                             "unknown-field");
    }
  }
  return Status::Ok();
}

}  // namespace warden
