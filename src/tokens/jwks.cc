// JWK Set import and export: RFC 7517 sections 4 and 5, RFC 8037 section 2,
// RFC 7518 sections 6.2.1 and 6.3.1.
#include "tokens/jwks.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/crypto.h"
#include "tokens/jose_json.h"
#include "tokens/rsa_pkcs1.h"

namespace warden::tokens {
namespace {

Status KeyError(size_t index, std::string_view message) {
  return InvalidArgument(
      "keys[" + std::to_string(index) + "]" + std::string(message),
      "invalid-jwks");
}

// A required base64url member of exactly `size` decoded bytes.
Result<std::string> KeyBytes(const boost::json::object& jwk, size_t index,
                             std::string_view member, size_t size) {
  auto text = jose::OptionalString(jwk, member);
  if (!text.ok() || !text->has_value()) {
    return KeyError(index, "." + std::string(member) + " is required");
  }
  auto bytes = Base64UrlDecode(**text);
  if (!bytes.ok() || bytes->size() != size) {
    return KeyError(index, "." + std::string(member) + " must be " +
                               std::to_string(size) + " bytes in base64url");
  }
  return bytes;
}

Status CheckMember(const boost::json::object& jwk, size_t index,
                   std::string_view member,
                   std::initializer_list<std::string_view> allowed) {
  auto value = jose::OptionalString(jwk, member);
  if (!value.ok())
    return KeyError(index, "." + std::string(member) + " must be a string");
  if (!value->has_value()) return Status::Ok();
  for (std::string_view a : allowed) {
    if (**value == a) return Status::Ok();
  }
  return KeyError(index, "." + std::string(member) + " \"" +
                             std::string(**value) + "\" is not allowed here");
}

// A required base64url member of 1..max_size decoded bytes.
Result<std::string> VariableKeyBytes(const boost::json::object& jwk,
                                     size_t index, std::string_view member,
                                     size_t max_size) {
  auto text = jose::OptionalString(jwk, member);
  if (!text.ok() || !text->has_value()) {
    return KeyError(index, "." + std::string(member) + " is required");
  }
  auto bytes = Base64UrlDecode(**text);
  if (!bytes.ok() || bytes->empty() || bytes->size() > max_size) {
    return KeyError(index, "." + std::string(member) +
                               " must be base64url of 1.." +
                               std::to_string(max_size) + " bytes");
  }
  return bytes;
}

// In an OpenID provider's set: true for keys that are not for id_token
// signatures Warden verifies (encryption keys, other algorithms).
bool NotForProviderSignatures(const boost::json::object& jwk) {
  auto use = jose::OptionalString(jwk, "use");
  if (use.ok() && use->has_value() && **use != "sig") return true;
  auto alg = jose::OptionalString(jwk, "alg");
  if (!alg.ok() || !alg->has_value()) return false;
  return **alg != "EdDSA" && **alg != "Ed25519" && **alg != "ES256" &&
         **alg != "RS256";
}

Result<std::shared_ptr<const VerificationKey>> ParseRsaKey(
    const boost::json::object& jwk, size_t index, const std::string& kid) {
  WARDEN_RETURN_IF_ERROR(CheckMember(jwk, index, "alg", {"RS256"}));
  WARDEN_ASSIGN_OR_RETURN(
      std::string n,
      VariableKeyBytes(jwk, index, "n", rsa::kMaxModulusBits / 8 + 1));
  WARDEN_ASSIGN_OR_RETURN(std::string e, VariableKeyBytes(jwk, index, "e", 8));
  auto key = VerificationKey::FromRsa(n, e, kid);
  if (!key.ok()) return KeyError(index, ": " + key.status().message());
  return key;
}

// nullptr (not an error) for key types Warden does not use.
Result<std::shared_ptr<const VerificationKey>> ParseKey(
    const boost::json::object& jwk, size_t index, const JwksLimits& limits) {
  auto kty = jose::OptionalString(jwk, "kty");
  if (!kty.ok() || !kty->has_value())
    return KeyError(index, ".kty is required");
  const bool rsa = limits.openid_provider && **kty == "RSA";
  if ((**kty != "OKP" && **kty != "EC" && !rsa) ||
      (limits.openid_provider && NotForProviderSignatures(jwk))) {
    return std::shared_ptr<const VerificationKey>();
  }
  if (jwk.contains("d")) {
    return KeyError(index,
                    " holds a private key (\"d\"); publish public keys only");
  }
  WARDEN_RETURN_IF_ERROR(CheckMember(jwk, index, "use", {"sig"}));
  auto kid = jose::OptionalString(jwk, "kid");
  if (!kid.ok() || !kid->has_value() || (*kid)->empty()) {
    return KeyError(index, ".kid is required");
  }
  const std::string kid_text(**kid);
  if (rsa) return ParseRsaKey(jwk, index, kid_text);
  if (**kty == "OKP") {
    WARDEN_RETURN_IF_ERROR(CheckMember(jwk, index, "crv", {"Ed25519"}));
    if (!jwk.contains("crv")) return KeyError(index, ".crv is required");
    WARDEN_RETURN_IF_ERROR(
        CheckMember(jwk, index, "alg", {"EdDSA", "Ed25519"}));
    WARDEN_ASSIGN_OR_RETURN(std::string x, KeyBytes(jwk, index, "x", 32));
    auto key = VerificationKey::FromEd25519(x, kid_text);
    if (!key.ok()) return KeyError(index, ": " + key.status().message());
    return key;
  }
  WARDEN_RETURN_IF_ERROR(CheckMember(jwk, index, "crv", {"P-256"}));
  if (!jwk.contains("crv")) return KeyError(index, ".crv is required");
  WARDEN_RETURN_IF_ERROR(CheckMember(jwk, index, "alg", {"ES256"}));
  WARDEN_ASSIGN_OR_RETURN(std::string x, KeyBytes(jwk, index, "x", 32));
  WARDEN_ASSIGN_OR_RETURN(std::string y, KeyBytes(jwk, index, "y", 32));
  auto key = VerificationKey::FromP256(x, y, kid_text);
  if (!key.ok()) return KeyError(index, ": " + key.status().message());
  return key;
}

}  // namespace

Result<std::shared_ptr<const Jwks>> Jwks::Parse(std::string_view json,
                                                const JwksLimits& limits) {
  if (json.size() > limits.max_document_bytes) {
    return InvalidArgument("JWKS is larger than " +
                               std::to_string(limits.max_document_bytes) +
                               " bytes",
                           "invalid-jwks");
  }
  auto document = jose::ParseObject(json, limits.max_json_depth, {}, "JWKS");
  if (!document.ok()) {
    return InvalidArgument(document.status().message(), "invalid-jwks");
  }
  const boost::json::value* keys = document->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) {
    return InvalidArgument("JWKS needs a \"keys\" array", "invalid-jwks");
  }
  if (keys->get_array().size() > limits.max_keys) {
    return InvalidArgument(
        "JWKS has more than " + std::to_string(limits.max_keys) + " keys",
        "invalid-jwks");
  }
  std::vector<std::shared_ptr<const VerificationKey>> parsed;
  std::set<std::string> kids;
  size_t skipped = 0;
  for (size_t i = 0; i < keys->get_array().size(); ++i) {
    const boost::json::value& jwk = keys->get_array()[i];
    if (!jwk.is_object()) return KeyError(i, " must be an object");
    WARDEN_ASSIGN_OR_RETURN(auto key, ParseKey(jwk.get_object(), i, limits));
    if (!key) {
      ++skipped;
      continue;
    }
    if (!kids.insert(key->kid()).second) {
      return KeyError(i, ".kid \"" + key->kid() + "\" is not unique");
    }
    parsed.push_back(std::move(key));
  }
  return std::make_shared<const Jwks>(std::move(parsed), skipped);
}

Jwks::Jwks(std::vector<std::shared_ptr<const VerificationKey>> keys,
           size_t skipped_keys)
    : keys_(std::move(keys)), skipped_keys_(skipped_keys) {}

std::shared_ptr<const VerificationKey> Jwks::FindKey(
    std::string_view kid) const {
  // Sets hold a handful of keys: a linear scan beats a map and allocates
  // nothing.
  for (const auto& key : keys_) {
    if (key->kid() == kid) return key;
  }
  return nullptr;
}

std::string Jwks::ToJson() const {
  boost::json::array keys;
  for (const auto& key : keys_) keys.emplace_back(key->ToJwk());
  boost::json::object document;
  document["keys"] = std::move(keys);
  return boost::json::serialize(document);
}

}  // namespace warden::tokens
