// Fuzzes the token exchange trusted-issuers configuration parser and the
// subject token mapping: any input must give a value or a Status, never a
// crash. Invariants checked:
//   - an accepted configuration has at most kMaxTrustedIssuers issuers,
//     each with exactly one key source (inline keys loaded, file/URI not);
//   - no input maps as a subject token of a fixed issuer whose key is
//     generated per process (success means a verification bypass).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/crypto.h"
#include "oauth/trusted_issuers.h"
#include "tokens/signing_key.h"

namespace {

using warden::oauth::TrustedIssuers;

TrustedIssuers FixedIssuers() {
  auto key =
      warden::tokens::SigningKey::Generate(warden::tokens::JwsAlgorithm::kEdDSA)
          .value();
  const std::string jwks = warden::tokens::Jwks({key->public_key()}).ToJson();
  return TrustedIssuers::Parse(
             R"([{"issuer": "https://ci.example", "audience": "warden",
                  "jwks": )" +
             jwks +
             R"(, "rules": [{"claims": {"repository": "acme/app"},
                             "identity": "app"}]}])")
      .value();
}

void CheckConfig(std::string_view text) {
  auto parsed = TrustedIssuers::Parse(text);
  if (!parsed.ok()) return;
  if (parsed->issuers().size() > warden::oauth::kMaxTrustedIssuers)
    std::abort();
  for (const warden::oauth::TrustedIssuer& issuer : parsed->issuers()) {
    const bool inline_keys =
        issuer.jwks_source == warden::oauth::JwksSource::kInline;
    if (inline_keys != (issuer.jwks != nullptr)) std::abort();
    if (inline_keys != issuer.jwks_location.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const TrustedIssuers* fixed = [] {
    if (!warden::InitCrypto().ok()) std::abort();
    return new TrustedIssuers(FixedIssuers());  // lives for the process
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckConfig(text);
  bool unknown_kid = false;
  if (fixed
          ->MapSubjectToken(text, warden::FromMicros(1'800'000'000'000'000),
                            &unknown_kid)
          .ok()) {
    std::abort();
  }
  return 0;
}
