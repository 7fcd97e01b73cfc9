#include "cli/exit_codes.h"

namespace warden::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kNotFound:
      return kExitNotFound;
    case StatusCode::kAlreadyExists:
      return kExitConflict;
    case StatusCode::kFailedPrecondition:
      return status.problem() == kAuditChainBrokenProblem
                 ? kExitAuditChainBroken
                 : kExitConflict;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return kExitAuth;
    case StatusCode::kInvalidArgument:
    case StatusCode::kPayloadTooLarge:
      return kExitInvalidInput;
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnavailable:
      return kExitUnavailable;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

StatusCode StatusCodeFromHttp(int http_status) {
  if (http_status >= 200 && http_status < 300) return StatusCode::kOk;
  switch (http_status) {
    case 400:
    case 422:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
    case 412:
      return StatusCode::kFailedPrecondition;
    case 413:
      return StatusCode::kPayloadTooLarge;
    case 429:
      return StatusCode::kResourceExhausted;
    case 502:
    case 503:
    case 504:
      return StatusCode::kUnavailable;
    default:
      break;
  }
  return http_status >= 400 && http_status < 500 ? StatusCode::kInvalidArgument
                                                 : StatusCode::kInternal;
}

}  // namespace warden::cli
