// Stored records of the OAuth 2.0 authorization server: client
// credentials of identities, Warden's own signing keys (sealed), and the
// compact revocation document. Plain value types.
#ifndef WARDEN_STORE_OAUTH_RECORDS_H_
#define WARDEN_STORE_OAUTH_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace warden {

// How an identity authenticates at the token endpoint.
inline constexpr char kClientSecretMethod[] = "client_secret";
inline constexpr char kPrivateKeyJwtMethod[] = "private_key_jwt";
// RFC 8705 mutual TLS: a certificate of a CA the listener trusts whose
// subject or SAN matches (section 2.1), or one of the client's own
// registered certificates (section 2.2).
inline constexpr char kTlsClientAuthMethod[] = "tls_client_auth";
inline constexpr char kSelfSignedTlsClientAuthMethod[] =
    "self_signed_tls_client_auth";

struct ClientCredentialRecord {
  std::string identity_id;  // also the OAuth client_id
  std::string method;       // one of the k...Method names above
  // Keyed hashes (hex HMAC-SHA256 under the server pepper); never secrets.
  std::string secret_hash;
  std::string previous_secret_hash;  // empty when none
  // The previous secret works until then (rotation overlap window).
  std::optional<Timestamp> previous_valid_until;
  // private_key_jwt: the client's public JWKS document;
  // self_signed_tls_client_auth: a JWKS whose keys carry the client's
  // certificates ("x5c").
  std::string jwks;
  // tls_client_auth: the RFC 8705 section 2.1.2 metadata name the
  // certificate must match ("tls_client_auth_san_uri", ...) and its value.
  std::string certificate_field;
  std::string certificate_value;
  Timestamp updated_at{};
};

// One of Warden's signing keys; the private key sealed with the data dir's
// key-encryption key (XChaCha20-Poly1305), base64url text.
struct SigningKeyRecord {
  std::string kid;
  std::string algorithm;  // "EdDSA" or "ES256"
  std::string state;      // "next", "current", "retired"
  Timestamp created_at{};
  std::optional<Timestamp> activated_at;
  std::optional<Timestamp> retired_at;
  std::string sealed_private_key;  // SECRET (encrypted); never log
};

// Scopes an identity actually used, for excessive-privilege findings.
struct ScopeUsageRecord {
  std::string identity_id;
  std::string scope;
  Timestamp last_used_at{};
};

}  // namespace warden

#endif  // WARDEN_STORE_OAUTH_RECORDS_H_
