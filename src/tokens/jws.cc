// JWS Compact Serialization, RFC 7515 sections 3.1, 5.1, 5.2 and 7.1.
#include "tokens/jws.h"

#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.h"
#include "tokens/jose_json.h"
#include "tokens/rsa_pkcs1.h"
#include "tokens/token_error.h"

namespace warden::tokens {
namespace {

Status Malformed(std::string message) {
  return TokenFailure(TokenError::kMalformed, std::move(message));
}

// Base64url (RFC 4648 section 5) without padding; the decoder refuses any
// other character and non-zero trailing bits, so each token has exactly one
// encoding (no malleable signatures).
Result<std::string> DecodeSegment(std::string_view text, size_t max_bytes,
                                  std::string_view what) {
  if (text.size() > (max_bytes * 4 + 2) / 3) {
    return Malformed(std::string(what) + " is over its size limit");
  }
  auto decoded = Base64UrlDecode(text);
  if (!decoded.ok()) {
    return Malformed(std::string(what) + " is not base64url without padding");
  }
  return decoded;
}

Result<JwsHeader> ParseHeader(std::string_view header_json,
                              const JwsLimits& limits) {
  // Header objects are tiny: a stack buffer serves the whole parse.
  std::array<unsigned char, 2048> buffer;
  boost::json::monotonic_resource arena(buffer.data(), buffer.size());
  WARDEN_ASSIGN_OR_RETURN(boost::json::object header,
                          jose::ParseObject(header_json, limits.max_json_depth,
                                            &arena, "JWS header"));
  WARDEN_ASSIGN_OR_RETURN(auto alg_name, jose::OptionalString(header, "alg"));
  if (!alg_name) return Malformed("JWS header has no \"alg\"");
  JwsHeader out;
  WARDEN_ASSIGN_OR_RETURN(out.alg, ParseJwsAlgorithm(*alg_name));
  if (out.alg == JwsAlgorithm::kRS256 && !limits.allow_rs256) {
    return TokenFailure(TokenError::kAlgNotAllowed,
                        "JWS alg \"RS256\" is not allowed here");
  }
  if (header.contains("crit")) {
    return Malformed("JWS header \"crit\" extensions are not supported");
  }
  WARDEN_ASSIGN_OR_RETURN(auto kid, jose::OptionalString(header, "kid"));
  WARDEN_ASSIGN_OR_RETURN(auto typ, jose::OptionalString(header, "typ"));
  if (kid) out.kid = *kid;
  if (typ) out.typ = *typ;
  return out;
}

}  // namespace

Result<ParsedJws> ParseCompactJws(std::string_view token,
                                  const JwsLimits& limits) {
  if (token.empty()) return Malformed("token is empty");
  if (token.size() > limits.max_token_length) {
    return Malformed("token is longer than " +
                     std::to_string(limits.max_token_length) + " bytes");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 =
      dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos ||
      token.find('.', dot2 + 1) != std::string_view::npos) {
    return Malformed("token is not three dot-separated segments");
  }
  WARDEN_ASSIGN_OR_RETURN(std::string header_json,
                          DecodeSegment(token.substr(0, dot1),
                                        limits.max_header_bytes, "JWS header"));
  ParsedJws jws;
  WARDEN_ASSIGN_OR_RETURN(jws.header, ParseHeader(header_json, limits));
  WARDEN_ASSIGN_OR_RETURN(
      jws.payload, DecodeSegment(token.substr(dot1 + 1, dot2 - dot1 - 1),
                                 limits.max_payload_bytes, "JWS payload"));
  // Ed25519 and ES256 signatures are 64 bytes; RS256 ones the modulus size.
  const size_t max_signature_bytes =
      jws.header.alg == JwsAlgorithm::kRS256 ? rsa::kMaxSignatureBytes : 64;
  WARDEN_ASSIGN_OR_RETURN(
      jws.signature, DecodeSegment(token.substr(dot2 + 1), max_signature_bytes,
                                   "JWS signature"));
  jws.signing_input = token.substr(0, dot2);
  return jws;
}

Status VerifyJwsSignature(const ParsedJws& jws, const VerificationKey& key) {
  if (!key.Accepts(jws.header.alg)) {
    return TokenFailure(TokenError::kAlgNotAllowed,
                        "JWS alg does not match key \"" + key.kid() + "\"");
  }
  if (!key.Verify(jws.signing_input, jws.signature)) {
    return TokenFailure(TokenError::kBadSignature,
                        "JWS signature does not verify");
  }
  return Status::Ok();
}

Status VerifyJwsWithResolver(const ParsedJws& jws, const KeyResolver& keys) {
  if (jws.header.kid.empty()) {
    return TokenFailure(TokenError::kUnknownKey, "JWS header has no \"kid\"");
  }
  std::shared_ptr<const VerificationKey> key = keys.FindKey(jws.header.kid);
  if (!key) {
    constexpr size_t kMaxEchoedKid = 64;
    return TokenFailure(TokenError::kUnknownKey,
                        "no published key with kid \"" +
                            jws.header.kid.substr(0, kMaxEchoedKid) + "\"");
  }
  return VerifyJwsSignature(jws, *key);
}

Result<std::string> SignCompactJws(const SigningKey& key, std::string_view typ,
                                   std::string_view payload) {
  boost::json::object header;
  header["alg"] = Name(key.algorithm());
  header["kid"] = key.kid();
  if (!typ.empty()) header["typ"] = typ;
  std::string token = Base64UrlEncode(boost::json::serialize(header));
  token += '.';
  token += Base64UrlEncode(payload);
  WARDEN_ASSIGN_OR_RETURN(std::string signature, key.Sign(token));
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

}  // namespace warden::tokens
