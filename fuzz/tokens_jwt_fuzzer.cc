// Fuzzes the JWS/JWT parsers of src/tokens: any input must give a value or
// a Status, never a crash. Invariants checked:
//   - a parsed claim set survives encode -> decode unchanged (including
//     the cnf "x5t#S256" certificate binding of RFC 8705);
//   - no input verifies as an access token or a client assertion (the keys
//     are generated per process; forging Ed25519 is not a fuzzer's job, so
//     success means a verification bypass);
//   - JWKS import of arbitrary text never crashes, and an accepted set
//     survives export -> import.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/crypto.h"
#include "tokens/access_token_verifier.h"
#include "tokens/client_assertion_validator.h"
#include "tokens/jwks.h"
#include "tokens/signing_key_ring.h"

namespace {

using namespace warden::tokens;

struct Harness {
  Harness()
      : clock(warden::FromMicros(int64_t{1'800'000'000} * 1'000'000)),
        ring(SigningKeyRing::Create({}, {}, clock.Now()).value()),
        client_keys({ring->Published()->verification_keys}),
        verifier(Options(), *ring, clock),
        assertions(AssertionOptions(), replay, clock) {}

  static AccessTokenVerifierOptions Options() {
    AccessTokenVerifierOptions o;
    o.issuer = "https://warden.example";
    o.audience = "https://api.example";
    return o;
  }
  static ClientAssertionOptions AssertionOptions() {
    ClientAssertionOptions o;
    o.token_endpoint = "https://warden.example/oauth/token";
    o.issuer = "https://warden.example";
    return o;
  }

  warden::ManualClock clock;
  std::unique_ptr<SigningKeyRing> ring;
  Jwks client_keys;
  AccessTokenVerifier verifier;
  ReplayCache replay;
  ClientAssertionValidator assertions;
};

void CheckClaimsRoundTrip(std::string_view text) {
  auto jws = ParseCompactJws(text);
  if (!jws.ok()) return;
  auto claims = DecodeAccessTokenClaims(jws->payload);
  if (!claims.ok()) return;
  auto again = DecodeAccessTokenClaims(EncodeAccessTokenClaims(*claims));
  if (!again.ok() || again->subject != claims->subject ||
      again->scopes != claims->scopes || again->audience != claims->audience ||
      again->expires_at != claims->expires_at ||
      again->tenant != claims->tenant ||
      again->certificate_thumbprint != claims->certificate_thumbprint) {
    std::abort();
  }
}

void CheckJwks(std::string_view text) {
  auto jwks = Jwks::Parse(text);
  if (!jwks.ok()) return;
  auto again = Jwks::Parse((*jwks)->ToJson());
  if (!again.ok() || (*again)->keys().size() != (*jwks)->keys().size()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* harness = [] {
    if (!warden::InitCrypto().ok()) std::abort();
    return new Harness();  // lives for the whole fuzzing process
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckClaimsRoundTrip(text);
  if (harness->verifier.Verify(text).ok()) std::abort();
  if (harness->assertions.Validate(text, "fuzz-client", harness->client_keys)
          .ok()) {
    std::abort();
  }
  (void)PeekClientAssertionClientId(text);
  CheckJwks(text);
  return 0;
}
