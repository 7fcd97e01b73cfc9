// RFC 7636 sections 4.1 and 4.2.
#include "tokens/pkce.h"

#include "core/crypto.h"

namespace warden::tokens {

std::string NewPkceCodeVerifier() { return NewRandomToken(); }

std::string PkceS256Challenge(std::string_view code_verifier) {
  const Sha256Digest digest = Sha256(code_verifier);
  return Base64UrlEncode(std::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string NewRandomToken() { return Base64UrlEncode(RandomBytes(32)); }

}  // namespace warden::tokens
