// OfrepEventTicket: the credential carried in the URL of the OFREP event
// stream (GET /ofrep/v1/events?ticket=...). Browsers' EventSource cannot
// send headers, and the caller's API token must never appear in a URL (they
// end up in proxy logs and browser history), so the bulk evaluation hands
// out a short-lived, single-purpose ticket instead:
//
//   ticket  = base64url(payload) "." base64url(HMAC-SHA256(key,
//   base64url(payload))) payload =
//   {"v":1,"tid":TOKEN_ID,"env":ENV,"ten":TENANT,"exp":UNIX_SECONDS}
//
// The MAC covers the encoded payload exactly as sent, so there is no
// canonicalisation to get wrong. The ticket grants nothing by itself: the
// server re-checks, on every connect, that the named API token is still
// active and still bound as the ticket says.
//
// The key is 32 random bytes per process: tickets die with the server run
// (clients fetch a new one with their next bulk evaluation). Several
// replicas behind one load balancer would need a shared key (with the
// PostgreSQL deployment: derived from shared key material).
//
// Thread-safety: OfrepEventTicketSigner is immutable after construction;
// every method may be called from any thread.
#ifndef WARDEN_API_OFREP_EVENT_TICKET_H_
#define WARDEN_API_OFREP_EVENT_TICKET_H_

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"

namespace warden::api {

// A ticket lives long enough for a page to connect and reconnect for a
// while; a leaked URL stops working within the hour.
inline constexpr std::chrono::seconds kOfrepEventTicketTtl{3600};
// Longer input is not a ticket (a real one is ~200 bytes); refused before
// any decoding or MAC work.
inline constexpr size_t kMaxOfrepEventTicketBytes = 1024;

struct OfrepEventTicket {
  std::string token_id;
  Environment environment = Environment::kDevelopment;
  std::string tenant;      // empty: the token is not tenant-bound
  int64_t expires_at = 0;  // unix seconds
};

// The payload's JSON text <-> ticket fields. ParseOfrepEventTicketPayload
// is the parser the fuzzer drives: kInvalidArgument naming the problem on
// anything malformed, never an exception.
std::string OfrepEventTicketPayload(const OfrepEventTicket& ticket);
Result<OfrepEventTicket> ParseOfrepEventTicketPayload(std::string_view json);

class OfrepEventTicketSigner {
 public:
  // `key`: the HMAC key (32 bytes recommended).
  explicit OfrepEventTicketSigner(std::string key) : key_(std::move(key)) {}
  // A signer with a fresh random key.
  static OfrepEventTicketSigner WithRandomKey();
  // A signer whose key is derived from `secret` (HMAC-SHA-256 under it of a
  // fixed label): replicas sharing the key-encryption key accept each
  // other's tickets, and the ticket key reveals nothing of the secret.
  static OfrepEventTicketSigner DerivedFrom(std::string_view secret);

  std::string Mint(const OfrepEventTicket& ticket) const;
  // A short public name of the key (8 hex digits of a MAC of a constant):
  // changes when the key does, reveals nothing usable about it.
  std::string KeyId() const;

  // Verifies the MAC (constant time), then parses the payload and checks
  // the expiry against `now`. kUnauthenticated on any failure, with a
  // message that never repeats the ticket text.
  Result<OfrepEventTicket> Verify(std::string_view text, Timestamp now) const;

 private:
  std::string Mac(std::string_view encoded_payload) const;

  const std::string key_;
};

}  // namespace warden::api

#endif  // WARDEN_API_OFREP_EVENT_TICKET_H_
