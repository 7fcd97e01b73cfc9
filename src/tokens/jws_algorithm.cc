#include "tokens/jws_algorithm.h"

#include <string>

#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? a[i] - 'A' + 'a' : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view Name(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kEdDSA:
      return "EdDSA";
    case JwsAlgorithm::kES256:
      return "ES256";
    case JwsAlgorithm::kRS256:
      return "RS256";
  }
  return "?";
}

Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view alg) {
  if (alg == "EdDSA" || alg == "Ed25519") return JwsAlgorithm::kEdDSA;
  if (alg == "ES256") return JwsAlgorithm::kES256;
  if (alg == "RS256") return JwsAlgorithm::kRS256;
  if (EqualsIgnoreCase(alg, "none")) {
    return TokenFailure(TokenError::kAlgNone,
                        "unsecured JWS (alg none) is refused");
  }
  constexpr size_t kMaxEchoedAlg = 16;  // never echo long attacker text
  return TokenFailure(TokenError::kAlgNotAllowed,
                      "JWS alg \"" + std::string(alg.substr(0, kMaxEchoedAlg)) +
                          "\" is not allowed (EdDSA, Ed25519, ES256)");
}

Result<JwsAlgorithm> ParseJwsAlgorithmName(std::string_view name) {
  auto alg = ParseJwsAlgorithm(name);
  if (!alg.ok() || *alg == JwsAlgorithm::kRS256) {
    return InvalidArgument("unknown signing algorithm \"" + std::string(name) +
                           "\" (allowed: EdDSA, ES256)");
  }
  return alg;
}

}  // namespace warden::tokens
