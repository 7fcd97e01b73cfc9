// RFC 9112 message parsing is Beast's; this file only stores the parts.
#include "http/api_request_parser.h"

#include <boost/beast/core/string.hpp>

namespace warden {

namespace {

// The first value of a repeated field wins, as a lookup in a field list
// (http::fields::find) would answer.
void KeepFirst(std::string& slot, boost::beast::string_view value) {
  if (slot.empty()) slot.assign(value.data(), value.size());
}

// The request's slot for a field the API reads, or nullptr.
std::string* SlotOf(ApiRequest& request, boost::beast::http::field name,
                    boost::beast::string_view name_string) {
  using boost::beast::http::field;
  switch (name) {
    case field::authorization:
      return &request.authorization;
    case field::if_match:
      return &request.if_match;
    case field::if_none_match:
      return &request.if_none_match;
    case field::user_agent:
      return &request.user_agent;
    case field::cookie:
      return &request.cookie;
    case field::unknown:
      break;
    default:
      return nullptr;
  }
  // Beast has no constant for these.
  if (boost::beast::iequals(name_string, "X-API-Key")) return &request.api_key;
  if (boost::beast::iequals(name_string, "X-CSRF-Token")) {
    return &request.csrf_token;
  }
  if (boost::beast::iequals(name_string, "X-Request-ID")) {
    return &request.client_request_id;
  }
  if (boost::beast::iequals(name_string, "Last-Event-ID")) {
    return &request.last_event_id;
  }
  return nullptr;
}

}  // namespace

void ApiRequestParser::on_request_impl(verb /*method*/,
                                       string_view method_string,
                                       string_view target, int /*version*/,
                                       error_code& ec) {
  request_.method.assign(method_string.data(), method_string.size());
  request_.target.assign(target.data(), target.size());
  ec = {};
}

// Only requests are parsed (isRequest is true); Beast never calls this.
void ApiRequestParser::on_response_impl(int /*code*/, string_view /*reason*/,
                                        int /*version*/, error_code& ec) {
  ec = {};
}

void ApiRequestParser::on_field_impl(field name, string_view name_string,
                                     string_view value, error_code& ec) {
  if (std::string* slot = SlotOf(request_, name, name_string)) {
    KeepFirst(*slot, value);
  }
  ec = {};
}

void ApiRequestParser::on_header_impl(error_code& ec) { ec = {}; }

// The parser has checked a declared length against body_limit already.
void ApiRequestParser::on_body_init_impl(
    const boost::optional<std::uint64_t>& content_length, error_code& ec) {
  if (content_length) request_.body.reserve(*content_length);
  ec = {};
}

std::size_t ApiRequestParser::on_body_impl(string_view body, error_code& ec) {
  request_.body.append(body.data(), body.size());
  ec = {};
  return body.size();
}

void ApiRequestParser::on_chunk_header_impl(std::uint64_t /*size*/,
                                            string_view /*extensions*/,
                                            error_code& ec) {
  ec = {};
}

// Chunked bodies count against body_limit as they arrive (Beast).
std::size_t ApiRequestParser::on_chunk_body_impl(std::uint64_t /*remain*/,
                                                 string_view body,
                                                 error_code& ec) {
  return on_body_impl(body, ec);
}

void ApiRequestParser::on_finish_impl(error_code& ec) { ec = {}; }

}  // namespace warden
