// AuthFailureThrottle: failed authentication, rate limited per source
// address (credential guessing, and floods of bad credentials that would
// each cost a store read and an audit write).
//
// Every credential check that reaches the store asks Admit() first and
// reports each failure with NoteFailure(): OAuth client authentication
// (/oauth/token, /oauth/introspect, /oauth/revoke), API keys on OFREP and
// the streams when not answered from the authentication cache, and OFREP
// event-stream tickets. A source has a bucket of `burst` failures refilled
// at `per_second`; while it is empty every attempt from that source that
// would reach the store is refused: kResourceExhausted, problem
// kThrottledProblem, with Status::retry_after set (HTTP 429 + Retry-After).
// Successes cost nothing, and a credential already cached (OFREP) is never
// asked about, so a NAT neighbour guessing keys does not stop a client
// whose key is cached.
//
// The source is the peer address without its port; IPv6 peers are grouped
// by /64 (one host routinely holds a whole /64), IPv4-mapped IPv6 counts as
// the IPv4 address. Refusals are audited as summaries
// (AuditSummaryRecorder): per source, action and period one record with
// actor "anonymous", target "source:ADDRESS", outcome
// "resource_exhausted" and the count. The failures themselves are audited
// by the credential check, as before.
//
// Cost: while no source is exhausted, Admit() is one atomic load (no lock
// on the token endpoint's hot path); the limiter's mutex is taken only for
// failures and while some source is out of budget.
//
// Memory: the limiter keeps at most RateLimit::max_clients sources; when
// that many are failing at once, new sources are not tracked (admitted).
// Per process: PostgreSQL replicas each count their own.
//
// Thread-safety: every method may be called concurrently.
#ifndef WARDEN_SERVICE_AUTH_FAILURE_THROTTLE_H_
#define WARDEN_SERVICE_AUTH_FAILURE_THROTTLE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "service/audit_summary_recorder.h"
#include "service/keyed_rate_limiter.h"

namespace warden {

// Failed authentications per second per source address, and the burst
// (a client with a mistyped secret retries a few times; a guesser is held
// to a trickle). `warden serve --auth-failure-rate` sets the rate; the
// burst is ten times the rate.
inline constexpr double kDefaultAuthFailureRate = 2;
inline constexpr double kAuthFailureBurstFactor = 10;

// The problem slug of a throttle refusal: callers must not audit it again
// one by one (the throttle summarises it; see IsThrottled()).
inline constexpr char kThrottledProblem[] = "too-many-auth-failures";

class AuthFailureThrottle {
 public:
  AuthFailureThrottle(double per_second, AuditSummaryRecorder& summaries,
                      const Clock& clock);

  // OK when `remote` may attempt an authentication now. Otherwise the
  // refusal (counted in the summary of `action`) with its retry hint.
  Status Admit(std::string_view action, std::string_view remote,
               std::string_view request_id);
  // Admit()'s question without its record: true when `remote`'s source is
  // out of budget now.
  bool IsExhausted(std::string_view remote);
  // Charges one failed attempt to `remote`'s source.
  void NoteFailure(std::string_view remote);

  // "192.0.2.7:5123" -> "192.0.2.7"; "2001:db8:1:2:3:4:5:6:443" ->
  // "2001:db8:1:2::/64"; anything unparsable is used as is (without port).
  static std::string SourceOf(std::string_view remote);

  // True for a refusal returned by Admit().
  static bool IsThrottled(const Status& status) {
    return status.code() == StatusCode::kResourceExhausted &&
           status.problem() == kThrottledProblem;
  }

 private:
  KeyedRateLimiter limiter_;
  AuditSummaryRecorder& summaries_;
  const Clock& clock_;
  // Until when (microseconds) some source may still be out of budget: the
  // latest refill time of an exhausted bucket. Admit() needs no lock after.
  std::atomic<int64_t> exhausted_until_us_{0};
};

}  // namespace warden

#endif  // WARDEN_SERVICE_AUTH_FAILURE_THROTTLE_H_
