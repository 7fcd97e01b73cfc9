// RFC 9457 (Problem Details for HTTP APIs), section 3.
#include "http/problem.h"

#include <boost/json/value.hpp>

namespace warden {
namespace {

std::string_view TitleFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "Invalid request";
    case StatusCode::kUnauthenticated:
      return "Authentication required";
    case StatusCode::kPermissionDenied:
      return "Permission denied";
    case StatusCode::kNotFound:
      return "Not found";
    case StatusCode::kAlreadyExists:
      return "Already exists";
    case StatusCode::kFailedPrecondition:
      return "Conflict with current state";
    case StatusCode::kPayloadTooLarge:
      return "Payload too large";
    case StatusCode::kResourceExhausted:
      return "Too many requests";
    case StatusCode::kUnavailable:
      return "Service unavailable";
    case StatusCode::kInternal:
      return "Internal error";
  }
  return "Internal error";
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

ApiResponse ProblemResponse(int http_status, std::string_view slug,
                            std::string_view title, std::string_view detail,
                            std::string_view request_id,
                            std::string_view instance) {
  boost::json::object body;
  body["type"] = std::string(kProblemTypePrefix) + std::string(slug);
  body["title"] = title;
  body["status"] = http_status;
  body["detail"] = detail;
  if (!instance.empty()) body["instance"] = instance;
  body["request_id"] = request_id;
  ApiResponse response = JsonResponse(body, http_status);
  response.content_type = kProblemContentType;
  if (http_status == 401) {
    response.headers.emplace_back("WWW-Authenticate",
                                  "Bearer realm=\"warden\"");
  }
  return response;
}

ApiResponse ProblemResponse(const Status& status, std::string_view request_id,
                            std::string_view instance) {
  if (status.code() == StatusCode::kInternal) {
    return ProblemResponse(500, "internal", TitleFor(status.code()),
                           "an internal error occurred; quote the request_id "
                           "when reporting it",
                           request_id, instance);
  }
  ApiResponse response = ProblemResponse(
      HttpStatusFor(status.code()), status.problem(), TitleFor(status.code()),
      status.message(), request_id, instance);
  if (status.retry_after().count() > 0) {
    response.headers.emplace_back("Retry-After",
                                  std::to_string(status.retry_after().count()));
  }
  return response;
}

}  // namespace warden
