// Request ids: unique per request, cheap to make (one relaxed atomic
// increment and 36 bytes of hex formatting; no system call and no
// randomness per request, unlike NewId's UUIDv7 which reads 10 random
// bytes from the kernel each time).
//
// Form: a UUIDv8 (RFC 9562 section 5.8) text, so logs and audit records
// keep one id shape: 64 random bits drawn once per generator (per server
// process), then the 62-bit sequence number of the request. Unique within
// a process by the counter and across processes and restarts by the random
// prefix (collision odds ~n^2 / 2^59 for n processes). Ids are not secrets
// and are guessable within a process: never use one as a credential.
//
// Thread-safety: Next() may be called from any thread.
#ifndef WARDEN_HTTP_REQUEST_ID_H_
#define WARDEN_HTTP_REQUEST_ID_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace warden {

class RequestIdGenerator {
 public:
  // Draws the random prefix (libsodium; InitCrypto must have run).
  RequestIdGenerator();
  // Test seam: a fixed prefix and first sequence number.
  RequestIdGenerator(uint64_t prefix, uint64_t first);

  // "xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx", 36 lower-case characters.
  std::string Next();

 private:
  uint64_t prefix_;  // immutable after construction; version nibble set
  std::atomic<uint64_t> sequence_;
};

// Bound on a client's own X-Request-ID (AuthZEN 1.0 lets the client choose
// it): long enough for any UUID, trace or span id form.
inline constexpr size_t kMaxClientRequestIdLength = 128;

// Whether a client's X-Request-ID may be adopted as the request's id: 1 to
// kMaxClientRequestIdLength characters of [A-Za-z0-9._:-], so it can go
// into logs, audit records and the response header as it is. Anything
// else is ignored and the server makes its own.
bool IsWellFormedRequestId(std::string_view id);

}  // namespace warden

#endif  // WARDEN_HTTP_REQUEST_ID_H_
