// Status and Result<T>: expected failures as values.
//
// A Status carries a code from a closed set, a human-readable message with
// the context where the error arose (operation, resource, offending input),
// and a stable problem slug. Exactly one function in the http layer maps a
// Status to problem+json, and one in the cli layer maps it to an exit code.
#ifndef WARDEN_CORE_STATUS_H_
#define WARDEN_CORE_STATUS_H_

#include <cassert>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace warden {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // malformed or invalid input (400)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // authenticated but not allowed (403)
  kNotFound,            // resource does not exist (404)
  kAlreadyExists,       // unique key taken (409)
  kFailedPrecondition,  // state forbids it: illegal transition, in use (409)
  kPayloadTooLarge,     // body over its limit (413)
  kResourceExhausted,   // rate limited (429)
  kUnavailable,         // storage or dependency down; retry later (503)
  kInternal,            // a bug or an unexpected failure (500)
};

// Stable lower-case name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  // REQUIRES: code != kOk. `problem` is the stable slug used as the problem
  // type suffix (e.g. "unknown-field"); empty means derived from the code.
  Status(StatusCode code, std::string message, std::string problem = {})
      : code_(code),
        message_(std::move(message)),
        problem_(std::move(problem)) {
    assert(code != StatusCode::kOk);
  }

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The problem slug: the explicit one, or the code's default.
  std::string problem() const;

  // Returns a copy whose message is prefixed with `context` + ": ".
  Status WithContext(std::string_view context) const;

  // How long the caller should wait before retrying (rate limits, full
  // capacity): the HTTP layer sends it as Retry-After. Zero: no hint.
  std::chrono::seconds retry_after() const { return retry_after_; }
  // Returns a copy carrying `wait` as its retry hint.
  Status WithRetryAfter(std::chrono::seconds wait) const {
    Status copy = *this;
    copy.retry_after_ = wait;
    return copy;
  }

  // "invalid_argument: message", for logs and CLI output.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string problem_;
  std::chrono::seconds retry_after_{0};
};

inline Status InvalidArgument(std::string message, std::string problem = {}) {
  return {StatusCode::kInvalidArgument, std::move(message), std::move(problem)};
}
inline Status NotFound(std::string message) {
  return {StatusCode::kNotFound, std::move(message)};
}
inline Status AlreadyExists(std::string message) {
  return {StatusCode::kAlreadyExists, std::move(message)};
}
inline Status FailedPrecondition(std::string message,
                                 std::string problem = {}) {
  return {StatusCode::kFailedPrecondition, std::move(message),
          std::move(problem)};
}
inline Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}
inline Status Unauthenticated(std::string message) {
  return {StatusCode::kUnauthenticated, std::move(message)};
}
inline Status Unavailable(std::string message) {
  return {StatusCode::kUnavailable, std::move(message)};
}
inline Status Internal(std::string message) {
  return {StatusCode::kInternal, std::move(message)};
}

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  // OK status when holding a value.
  Status status() const {
    return ok() ? Status::Ok() : std::get<Status>(state_);
  }

  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace warden

// Propagates a non-OK Status from an expression returning Status.
#define WARDEN_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::warden::Status warden_status_ = (expr);        \
    if (!warden_status_.ok()) return warden_status_; \
  } while (false)

#define WARDEN_CONCAT_INNER_(a, b) a##b
#define WARDEN_CONCAT_(a, b) WARDEN_CONCAT_INNER_(a, b)

// WARDEN_ASSIGN_OR_RETURN(auto x, ExprReturningResult()): assigns the value
// or returns the error Status from the enclosing function.
#define WARDEN_ASSIGN_OR_RETURN(lhs, expr)                                     \
  WARDEN_ASSIGN_OR_RETURN_IMPL_(WARDEN_CONCAT_(warden_result_, __LINE__), lhs, \
                                expr)
#define WARDEN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#endif  // WARDEN_CORE_STATUS_H_
