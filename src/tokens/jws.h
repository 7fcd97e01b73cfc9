// JWS Compact Serialization (RFC 7515 section 7.1): strict parsing, signing
// and signature verification.
//
// Parsing is strict and bounded, because tokens arrive from the network:
// exactly three base64url segments without padding or whitespace, a header
// that is a JSON object within JwsLimits, an "alg" from the closed set of
// JwsAlgorithm (alg none -> kAlgNone, HS256 and others -> kAlgNotAllowed,
// before any key is touched), no "crit" extensions (none are understood,
// RFC 7515 section 4.1.11), RS256 only when JwsLimits::allow_rs256.
// "jku", "x5u" and "jwk" headers are ignored:
// keys only ever come from a KeyResolver the caller trusts.
//
// Every refusal is a TokenFailure (see token_error.h). All functions are
// thread-safe (no shared state).
#ifndef WARDEN_TOKENS_JWS_H_
#define WARDEN_TOKENS_JWS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "tokens/jws_algorithm.h"
#include "tokens/key_resolver.h"
#include "tokens/signing_key.h"

namespace warden::tokens {

// Limits on untrusted JWS input, with their reasons.
struct JwsLimits {
  // Warden's own tokens are ~500 bytes; CI OIDC tokens (the largest subject
  // tokens seen in exchange) stay under 4 KiB. 16 KiB is generous and still
  // bounds the work done before a signature check.
  size_t max_token_length = 16 * 1024;
  // Decoded header: alg, kid, typ and a few more; never kilobytes.
  size_t max_header_bytes = 1024;
  // Decoded claim set.
  size_t max_payload_bytes = 8 * 1024;
  // JSON nesting: claim sets are flat except small objects ("act", "cnf").
  int max_json_depth = 8;
  // Array length for "aud" and similar lists.
  size_t max_array_items = 32;
  // RS256 is accepted only where the verifying keys may be RSA (an OpenID
  // provider's id_tokens); elsewhere it is refused at parse time like any
  // other alg outside the set, and signatures stay at most 64 bytes.
  bool allow_rs256 = false;
};

// The protected header members Warden uses.
struct JwsHeader {
  JwsAlgorithm alg = JwsAlgorithm::kEdDSA;
  std::string kid;  // empty when absent
  std::string typ;  // empty when absent
};

// A parsed, not yet verified, JWS. It owns its bytes (no borrowing from the
// token text, so it may outlive it).
struct ParsedJws {
  JwsHeader header;
  std::string signing_input;  // "BASE64URL(header).BASE64URL(payload)"
  std::string payload;        // decoded payload bytes
  std::string signature;      // decoded signature bytes
};

// Parses without verifying. kMalformed, kAlgNone or kAlgNotAllowed.
Result<ParsedJws> ParseCompactJws(std::string_view token,
                                  const JwsLimits& limits = {});

// Verifies `jws` with `key`: kAlgNotAllowed when the header alg is not the
// key's, kBadSignature when the signature does not verify.
Status VerifyJwsSignature(const ParsedJws& jws, const VerificationKey& key);

// Looks up header.kid in `keys`, then verifies: kUnknownKey when the kid is
// absent or unknown, else as VerifyJwsSignature().
Status VerifyJwsWithResolver(const ParsedJws& jws, const KeyResolver& keys);

// Signs `payload` with a header {"alg", "kid" (the key's), "typ" if not
// empty}. kInternal only if the crypto library fails.
Result<std::string> SignCompactJws(const SigningKey& key, std::string_view typ,
                                   std::string_view payload);

}  // namespace warden::tokens

#endif  // WARDEN_TOKENS_JWS_H_
