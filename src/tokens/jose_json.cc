#include "tokens/jose_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <cmath>
#include <exception>

#include "tokens/token_error.h"

namespace warden::tokens::jose {
namespace {

// 9999-12-31T23:59:59Z. Larger values would overflow the microsecond
// Timestamp (found by tokens_jwt_fuzzer: exp = 18000003000000).
constexpr int64_t kMaxNumericDate = 253'402'300'799;

Status Malformed(std::string_view key, std::string_view problem) {
  return TokenFailure(TokenError::kMalformed,
                      "\"" + std::string(key) + "\" " + std::string(problem));
}

boost::json::value ParseOrError(std::string_view text,
                                boost::system::error_code& ec,
                                boost::json::storage_ptr storage,
                                const boost::json::parse_options& options) {
  try {
    return boost::json::parse(text, ec, std::move(storage), options);
  } catch (const std::exception&) {  // allocation failure inside Boost
    ec = boost::json::make_error_code(boost::json::error::exception);
    return boost::json::value();
  }
}

}  // namespace

Result<boost::json::object> ParseObject(std::string_view text, int max_depth,
                                        boost::json::storage_ptr storage,
                                        std::string_view what) {
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth);
  boost::system::error_code ec;
  // Constructed in place (never assigned) so the value keeps `storage`: a
  // move-assignment across memory resources would deep-copy onto the heap.
  boost::json::value value =
      ParseOrError(text, ec, std::move(storage), options);
  if (ec) {
    return TokenFailure(
        TokenError::kMalformed,
        std::string(what) + " is not valid JSON (" + ec.message() + ")");
  }
  if (!value.is_object()) {
    return TokenFailure(TokenError::kMalformed,
                        std::string(what) + " is not a JSON object");
  }
  return std::move(value.get_object());
}

Result<std::optional<std::string_view>> OptionalString(
    const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return std::optional<std::string_view>();
  if (!value->is_string()) return Malformed(key, "must be a string");
  const boost::json::string& s = value->get_string();
  return std::optional<std::string_view>(std::string_view(s.data(), s.size()));
}

Result<std::string_view> RequiredString(const boost::json::object& object,
                                        std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return TokenFailure(TokenError::kMissingClaim,
                        "\"" + std::string(key) + "\" is required (string)");
  }
  const boost::json::string& s = value->get_string();
  return std::string_view(s.data(), s.size());
}

Result<std::optional<Timestamp>> OptionalNumericDate(
    const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return std::optional<Timestamp>();
  int64_t seconds = -1;
  if (value->is_int64()) {
    seconds = value->get_int64();
  } else if (value->is_uint64()) {
    seconds = value->get_uint64() < static_cast<uint64_t>(kMaxNumericDate)
                  ? static_cast<int64_t>(value->get_uint64())
                  : -1;
  } else if (value->is_double()) {
    const double d = value->get_double();
    seconds = (std::isfinite(d) && d >= 0 && d < kMaxNumericDate)
                  ? static_cast<int64_t>(d)
                  : -1;
  } else {
    return Malformed(key, "must be a NumericDate");
  }
  if (seconds < 0 || seconds >= kMaxNumericDate) {
    return Malformed(key, "is out of range");
  }
  return std::optional<Timestamp>(Timestamp(std::chrono::seconds(seconds)));
}

Result<std::vector<std::string>> Audience(const boost::json::object& object,
                                          size_t max_items) {
  std::vector<std::string> out;
  const boost::json::value* value = object.if_contains("aud");
  if (value == nullptr) return out;
  if (value->is_string()) {
    out.emplace_back(value->get_string());
    return out;
  }
  if (!value->is_array() || value->get_array().size() > max_items) {
    return Malformed("aud", "must be a string or a short array of strings");
  }
  for (const boost::json::value& item : value->get_array()) {
    if (!item.is_string()) return Malformed("aud", "items must be strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

}  // namespace warden::tokens::jose
