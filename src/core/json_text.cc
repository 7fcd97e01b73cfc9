#include "core/json_text.h"

#include <boost/json/parse.hpp>
#include <exception>
#include <string>

namespace warden {

Result<boost::json::object> ParseJsonObjectText(std::string_view text,
                                                const JsonTextLimits& limits) {
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  options.allow_invalid_utf8 = limits.allow_invalid_utf8;
  boost::system::error_code ec;
  boost::json::value value;
  try {
    value = boost::json::parse(text, ec, {}, options);
  } catch (const std::exception& e) {  // allocation failure only
    return InvalidArgument(std::string("not JSON: ") + e.what());
  }
  if (ec) return InvalidArgument("not JSON: " + ec.message());
  if (!value.is_object()) return InvalidArgument("not a JSON object");
  return std::move(value.get_object());
}

}  // namespace warden
