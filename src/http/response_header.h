// The status line and header section of a non-streaming HTTP/1.1 response
// (RFC 9112 section 4 and 5), rendered straight into a caller-owned string
// that a connection reuses between requests: cheaper than Beast's field
// list (one allocation per field) and serializer on the OFREP hot path.
//
// Pure functions; thread-safe.
#ifndef WARDEN_HTTP_RESPONSE_HEADER_H_
#define WARDEN_HTTP_RESPONSE_HEADER_H_

#include <cstddef>
#include <string>

#include "http/api_exchange.h"

namespace warden {

// False for 1xx, 204 and 304 (RFC 9110 sections 6.4.1 and 8.6): such a
// response has no content and no Content-Length.
bool ResponseHasContent(int status);

// Replaces *out with "HTTP/1.1 <status> <reason>", Server, Content-Type
// (when set), response.headers in order, Content-Length: content_length
// (when ResponseHasContent), "Connection: close" unless keep_alive, and
// the blank line. CR and LF inside names and values become spaces, so a
// handler echoing request data into a header cannot split it.
void RenderResponseHeader(const ApiResponse& response, bool keep_alive,
                          size_t content_length, std::string* out);

}  // namespace warden

#endif  // WARDEN_HTTP_RESPONSE_HEADER_H_
