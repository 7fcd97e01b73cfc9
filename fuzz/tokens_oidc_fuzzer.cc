// Fuzzes the OpenID Connect relying party's parsers of src/tokens: provider
// metadata, the token endpoint's answer, a provider's key set (RSA keys
// included) and id_token validation. Any input must give a value or a
// Status, never a crash. Invariants checked:
//   - accepted metadata names the expected issuer and only acceptable URLs;
//   - no input validates as an id_token (the provider's key is generated
//     per process: success means a validation bypass);
//   - an accepted provider key set survives export -> import.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tokens/id_token_validator.h"
#include "tokens/jwks.h"
#include "tokens/oidc_provider_metadata.h"
#include "tokens/oidc_token_response.h"
#include "tokens/signing_key.h"

namespace {

using namespace warden::tokens;

constexpr char kIssuer[] = "https://idp.example.com";

struct Harness {
  Harness()
      : key(SigningKey::Generate(JwsAlgorithm::kES256).value()),
        keys({key->public_key()}) {
    expected.issuer = kIssuer;
    expected.client_id = "warden";
    expected.nonce = "nonce";
  }
  std::shared_ptr<const SigningKey> key;
  Jwks keys;
  IdTokenExpectations expected;
};

void CheckMetadata(std::string_view text) {
  auto metadata = OidcProviderMetadata::Parse(text, kIssuer);
  if (!metadata.ok()) return;
  if (metadata->issuer != kIssuer ||
      !IsAcceptableProviderUrl(metadata->authorization_endpoint) ||
      !IsAcceptableProviderUrl(metadata->token_endpoint) ||
      !IsAcceptableProviderUrl(metadata->jwks_uri)) {
    std::abort();
  }
}

void CheckKeySet(std::string_view text) {
  JwksLimits limits;
  limits.openid_provider = true;
  auto keys = Jwks::Parse(text, limits);
  if (!keys.ok()) return;
  auto again = Jwks::Parse((*keys)->ToJson(), limits);
  if (!again.ok() || (*again)->keys().size() != (*keys)->keys().size()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness harness;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckMetadata(text);
  CheckKeySet(text);
  (void)OidcTokenResponse::Parse(200, text);
  (void)OidcTokenResponse::Parse(400, text);
  const warden::Timestamp now =
      warden::FromMicros(int64_t{1'800'000'000} * 1'000'000);
  if (ValidateIdToken(text, harness.keys, harness.expected, now).ok()) {
    std::abort();
  }
  return 0;
}
