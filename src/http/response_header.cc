// RFC 9112 (HTTP/1.1) sections 4, 5 and 9.3; RFC 9110 section 8.6.
#include "http/response_header.h"

#include <boost/beast/http/status.hpp>
#include <string_view>

namespace warden {
namespace {

void AppendFieldText(std::string_view text, std::string* out) {
  for (char c : text) out->push_back(c == '\r' || c == '\n' ? ' ' : c);
}

void AppendField(std::string_view name, std::string_view value,
                 std::string* out) {
  AppendFieldText(name, out);
  out->append(": ");
  AppendFieldText(value, out);
  out->append("\r\n");
}

}  // namespace

bool ResponseHasContent(int status) {
  return status >= 200 && status != 204 && status != 304;
}

void RenderResponseHeader(const ApiResponse& response, bool keep_alive,
                          size_t content_length, std::string* out) {
  namespace http = boost::beast::http;
  out->clear();
  out->append("HTTP/1.1 ");
  out->append(std::to_string(response.status));
  out->push_back(' ');
  out->append(
      http::obsolete_reason(static_cast<http::status>(response.status)));
  out->append("\r\n");
  AppendField("Server", "warden", out);
  if (!response.content_type.empty()) {
    AppendField("Content-Type", response.content_type, out);
  }
  for (const auto& [name, value] : response.headers) {
    AppendField(name, value, out);
  }
  if (ResponseHasContent(response.status)) {
    AppendField("Content-Length", std::to_string(content_length), out);
  }
  // HTTP/1.1 connections persist unless one side says close (section 9.3).
  if (!keep_alive) AppendField("Connection", "close", out);
  out->append("\r\n");
}

}  // namespace warden
