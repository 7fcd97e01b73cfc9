// RFC 9457 problem details: the one mapping from Status to an HTTP error.
//
//   {"type": "urn:warden:problem:<slug>", "title": ..., "status": N,
//    "detail": ..., "instance": ..., "request_id": ...}
//
// Codes map to 400/401/403/404/409/413/429/503/500. kInternal never exposes
// its message: the detail is opaque and the request id is the only link to
// the server log.
#ifndef WARDEN_HTTP_PROBLEM_H_
#define WARDEN_HTTP_PROBLEM_H_

#include <string_view>

#include "core/status.h"
#include "http/api_exchange.h"

namespace warden {

inline constexpr char kProblemContentType[] = "application/problem+json";
inline constexpr char kProblemTypePrefix[] = "urn:warden:problem:";

int HttpStatusFor(StatusCode code);

// The problem for a condition found by the HTTP layer itself, with no
// Status code of its own (405, 431).
ApiResponse ProblemResponse(int http_status, std::string_view slug,
                            std::string_view title, std::string_view detail,
                            std::string_view request_id,
                            std::string_view instance);

// REQUIRES: !status.ok(). `instance` is the request path (may be empty).
// 401 responses carry `WWW-Authenticate: Bearer` (RFC 6750 section 3); a
// status with a retry hint (Status::retry_after) carries `Retry-After`
// (RFC 9110 section 10.2.3, delay in seconds).
ApiResponse ProblemResponse(const Status& status, std::string_view request_id,
                            std::string_view instance);

}  // namespace warden

#endif  // WARDEN_HTTP_PROBLEM_H_
