// WouldBlock: the answer of a call made where it must not block (an I/O
// thread answering a request inline) that would have to: read the store,
// write an audit record. The caller repeats the call where it may block
// (the HTTP pipeline reruns the request on its worker pool: http's
// NeedsWorker() is this status). A call answering WouldBlock must have
// had no effect.
#ifndef WARDEN_SERVICE_WOULD_BLOCK_H_
#define WARDEN_SERVICE_WOULD_BLOCK_H_

#include "core/status.h"

namespace warden {

inline constexpr char kWouldBlockProblem[] = "needs-worker";

inline Status WouldBlock() {
  return Status(StatusCode::kUnavailable,
                "the call must run where it may block", kWouldBlockProblem);
}

inline bool IsWouldBlock(const Status& status) {
  return status.code() == StatusCode::kUnavailable &&
         status.problem() == kWouldBlockProblem;
}

}  // namespace warden

#endif  // WARDEN_SERVICE_WOULD_BLOCK_H_
