#include "service/auth_failure_throttle.h"

#include <arpa/inet.h>

#include <cstring>

#include "core/principal.h"

namespace warden {
namespace {

// The address part of "ADDRESS:PORT" (the session's format for both
// families: an IPv6 address is not bracketed).
std::string_view WithoutPort(std::string_view remote) {
  const size_t colon = remote.rfind(':');
  return colon == std::string_view::npos ? remote : remote.substr(0, colon);
}

std::string Ipv6Source(const in6_addr& address) {
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                      0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN] = {};
  if (std::memcmp(address.s6_addr, kMappedPrefix, sizeof kMappedPrefix) == 0) {
    in_addr v4;
    std::memcpy(&v4, address.s6_addr + 12, 4);
    return inet_ntop(AF_INET, &v4, text, sizeof text) ? text : "";
  }
  in6_addr prefix = address;
  std::memset(prefix.s6_addr + 8, 0, 8);
  if (!inet_ntop(AF_INET6, &prefix, text, sizeof text)) return "";
  return std::string(text) + "/64";
}

}  // namespace

AuthFailureThrottle::AuthFailureThrottle(double per_second,
                                         AuditSummaryRecorder& summaries,
                                         const Clock& clock)
    : limiter_(RateLimit{per_second, kAuthFailureBurstFactor * per_second}),
      summaries_(summaries),
      clock_(clock) {}

std::string AuthFailureThrottle::SourceOf(std::string_view remote) {
  const std::string address(WithoutPort(remote));
  in6_addr v6;
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    std::string source = Ipv6Source(v6);
    if (!source.empty()) return source;
  }
  return address;
}

bool AuthFailureThrottle::IsExhausted(std::string_view remote) {
  const Timestamp now = clock_.Now();
  if (ToMicros(now) >= exhausted_until_us_.load(std::memory_order_relaxed)) {
    return false;  // no source is out of budget
  }
  return limiter_.Peek(SourceOf(remote), now).count() > 0;
}

Status AuthFailureThrottle::Admit(std::string_view action,
                                  std::string_view remote,
                                  std::string_view request_id) {
  const Timestamp now = clock_.Now();
  if (ToMicros(now) >= exhausted_until_us_.load(std::memory_order_relaxed)) {
    return Status::Ok();  // no source is out of budget
  }
  const std::string source = SourceOf(remote);
  const std::chrono::seconds wait = limiter_.Peek(source, now);
  if (wait.count() == 0) return Status::Ok();
  Caller anonymous;
  anonymous.principal.subject = kAnonymousSubject;
  anonymous.remote = std::string(remote);
  anonymous.request_id = std::string(request_id);
  summaries_.Note(anonymous, action, "source:" + source,
                  StatusCodeName(StatusCode::kResourceExhausted));
  return Status(StatusCode::kResourceExhausted,
                "too many failed authentications from this address; retry "
                "after " +
                    std::to_string(wait.count()) + "s",
                kThrottledProblem)
      .WithRetryAfter(wait);
}

void AuthFailureThrottle::NoteFailure(std::string_view remote) {
  const Timestamp now = clock_.Now();
  const std::string source = SourceOf(remote);
  (void)limiter_.Acquire(source, now);
  const std::chrono::seconds wait = limiter_.Peek(source, now);
  if (wait.count() == 0) return;
  // Publish "someone is exhausted until at least then" (a monotonic max).
  const int64_t until =
      ToMicros(now) +
      std::chrono::duration_cast<std::chrono::microseconds>(wait).count();
  int64_t seen = exhausted_until_us_.load();
  while (seen < until &&
         !exhausted_until_us_.compare_exchange_weak(seen, until)) {
  }
}

}  // namespace warden
