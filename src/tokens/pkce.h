// Proof Key for Code Exchange (RFC 7636) for an OAuth client: the code
// verifier and its S256 code challenge; and the other single-use random
// values of an authorization request (state, nonce).
//
// Thread-safety: pure functions (randomness from libsodium).
#ifndef WARDEN_TOKENS_PKCE_H_
#define WARDEN_TOKENS_PKCE_H_

#include <string>
#include <string_view>

namespace warden::tokens {

// RFC 7636 section 4.1: 32 random octets, base64url (43 characters of the
// unreserved set, 256 bits of entropy).
std::string NewPkceCodeVerifier();

// RFC 7636 section 4.2, "S256": BASE64URL(SHA256(ASCII(code_verifier))).
std::string PkceS256Challenge(std::string_view code_verifier);

// A 256-bit random value, base64url: for "state" (RFC 6749 section 10.12)
// and "nonce" (OpenID Connect Core section 3.1.2.1).
std::string NewRandomToken();

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_PKCE_H_
