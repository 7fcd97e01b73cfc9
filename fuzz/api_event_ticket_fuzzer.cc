// libFuzzer target: the OFREP event-stream ticket (query parameter of
// GET /ofrep/v1/events, untrusted and checked before any token is known).
// Drives the verifier on the raw text and the payload parser directly (a
// random input almost never carries a valid MAC), and checks that every
// payload the parser accepts survives a mint/verify round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/ofrep_event_ticket.h"
#include "core/crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = warden::InitCrypto().ok();
  if (!initialised) std::abort();
  static const warden::api::OfrepEventTicketSigner signer("fuzz-key");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const warden::Timestamp now{};
  (void)signer.Verify(text, now);
  auto parsed = warden::api::ParseOfrepEventTicketPayload(text);
  if (!parsed.ok() || parsed->expires_at <= 0) return 0;
  // Escaped field text can outgrow the ticket limit; such tickets are
  // refused by design, not a round-trip failure.
  const std::string minted = signer.Mint(*parsed);
  if (minted.size() > warden::api::kMaxOfrepEventTicketBytes) return 0;
  auto again = signer.Verify(minted, now);
  if (!again.ok() || again->token_id != parsed->token_id ||
      again->tenant != parsed->tenant ||
      again->environment != parsed->environment ||
      again->expires_at != parsed->expires_at) {
    std::abort();
  }
  return 0;
}
