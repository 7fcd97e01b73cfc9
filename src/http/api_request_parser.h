// An HTTP/1.1 request parser that fills an ApiRequest directly. Framing,
// limits and chunked bodies are Beast's (http::basic_parser, RFC 9112);
// what differs from http::request_parser is where the parts go: the
// request line, the body and the header fields the API reads
// (Authorization, If-Match, If-None-Match, X-API-Key, Last-Event-ID,
// User-Agent; the first of repeated ones) are stored in the ApiRequest as
// they are parsed, and every other field is dropped. So a request costs no
// field list (one allocation per field) and no copy out of it; on the
// OFREP path (~100,000 requests/s on one core) that is a measurable share.
//
// Like every Beast parser it parses one message: make a new one (an
// std::optional member) per request; construction allocates nothing.
// Not thread-safe; owned by one connection.
#ifndef WARDEN_HTTP_API_REQUEST_PARSER_H_
#define WARDEN_HTTP_API_REQUEST_PARSER_H_

#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>
#include <string_view>

#include "http/api_exchange.h"

namespace warden {

class ApiRequestParser final
    : public boost::beast::http::basic_parser</*isRequest=*/true> {
 public:
  ApiRequestParser() = default;

  // The parsed request. REQUIRES: is_done(). The parser is spent after.
  ApiRequest Release() { return std::move(request_); }

 private:
  using error_code = boost::beast::error_code;
  using field = boost::beast::http::field;
  using verb = boost::beast::http::verb;
  using string_view = boost::beast::string_view;

  void on_request_impl(verb method, string_view method_string,
                       string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int code, string_view reason, int version,
                        error_code& ec) override;
  void on_field_impl(field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions,
                            error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body,
                                 error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  ApiRequest request_;
};

}  // namespace warden

#endif  // WARDEN_HTTP_API_REQUEST_PARSER_H_
