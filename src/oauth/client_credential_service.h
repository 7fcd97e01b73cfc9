// ClientCredentialService: OAuth client credentials of identities (the
// client_id is the identity id) and client authentication at the token,
// introspection and revocation endpoints.
//
// Registration (POST /v1/identities/{id}/credentials), permission
// kIdentityWrite on the identity's owner team, audited
// "identity.credentials.set":
//  - client_secret: a random 256-bit secret shown once; stored as a peppered
//    HMAC (OAuthKeyCustody). Registering again rotates: the previous secret
//    keeps working for `overlap` (default 1 h, at most 7 days).
//  - private_key_jwt: the client's public JWKS (tokens::Jwks rules).
//  - tls_client_auth / self_signed_tls_client_auth (RFC 8705): the subject
//    or SAN the client's CA-issued certificate carries, resp. the client's
//    own certificates in a JWKS "x5c" (oauth/certificate_client_auth.h).
//
// Authentication compares secret hashes in constant time, validates
// client assertions (RFC 7523) with replay protection, and matches the
// certificate of the TLS handshake; a certificate Warden issued must also
// be active in its certificate store (a revoked SVID still completes a
// handshake until it expires). Every refusal is
// kUnauthenticated with problem "invalid_client" and a reason that never
// contains the presented secret. Failed authentications are rate limited
// per source address (AuthFailureThrottle): past the limit, attempts from
// that address are refused with kResourceExhausted before the store is
// read. A client_id over kMaxClientIdBytes is refused (kInvalidArgument,
// "invalid_request") before any use: it would become an audit actor and a
// rate-limiter key.
//
// Thread-safety: all methods may be called concurrently.
#ifndef WARDEN_OAUTH_CLIENT_CREDENTIAL_SERVICE_H_
#define WARDEN_OAUTH_CLIENT_CREDENTIAL_SERVICE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/client_certificate.h"
#include "oauth/key_custody.h"
#include "service/auditor.h"
#include "service/auth_failure_throttle.h"
#include "service/caller.h"
#include "service/invalidated_cache.h"
#include "store/store.h"
#include "tokens/client_assertion_validator.h"

namespace warden::oauth {

// A client_id is an identity id (36-character UUID text); anything longer
// is refused before it is used as an audit actor or a rate-limiter key.
inline constexpr size_t kMaxClientIdBytes = 64;

inline constexpr std::chrono::seconds kDefaultClientSecretOverlap{3600};
inline constexpr std::chrono::seconds kMaxClientSecretOverlap{7 * 24 * 3600};

struct CredentialRequest {
  std::string method;  // a k...Method of store/oauth_records.h
  // private_key_jwt: JWKS JSON text; self_signed_tls_client_auth: a JWKS
  // whose keys carry the certificates ("x5c").
  std::string jwks;
  std::optional<std::chrono::seconds> overlap;  // client_secret rotation
  // tls_client_auth: one of kTlsClientAuthFields and its value.
  std::string certificate_field;
  std::string certificate_value;
};

struct IssuedCredential {
  std::string client_id;
  std::string method;
  std::string client_secret;  // client_secret only; SECRET, shown once
  std::optional<Timestamp> previous_valid_until;
};

// What a client presented at an OAuth endpoint.
struct ClientPresentation {
  std::string client_id;  // may be empty with an assertion (read from iss)
  std::optional<std::string> client_secret;     // SECRET
  std::optional<std::string> client_assertion;  // SECRET
  // The TLS handshake's client certificate; null without mutual TLS.
  std::shared_ptr<const ClientCertificate> certificate;
  // "client_secret_basic", "..._post", "private_key_jwt", "none" (which
  // becomes the registered certificate method when a certificate
  // authenticates the client).
  std::string auth_method;
  std::string remote;  // peer address (failure throttle, audit)
  std::string request_id;
};

// An authenticated client: its identity as stored.
struct AuthenticatedClient {
  Identity identity;
  std::string auth_method;
};

class ClientCredentialService {
 public:
  // `throttle` may be null (no per-source failure limit); borrowed.
  ClientCredentialService(Store& store, Auditor& auditor,
                          const OAuthKeyCustody& custody,
                          tokens::ClientAssertionOptions assertion_options,
                          AuthFailureThrottle* throttle = nullptr);

  // Errors: kNotFound, kInvalidArgument (method, jwks, overlap),
  // kPermissionDenied.
  Result<IssuedCredential> Register(const Caller& caller,
                                    std::string_view identity_id,
                                    const CredentialRequest& request);

  // kUnauthenticated ("invalid_client") for any failure; kUnavailable when
  // the store cannot be read; kInvalidArgument ("invalid_request") for a
  // client_id over kMaxClientIdBytes; kResourceExhausted (retry hint set)
  // when the source is throttled, or when a private_key_jwt client has
  // kMaxReplayEntriesPerClient live assertions (tokens/replay_cache.h).
  Result<AuthenticatedClient> Authenticate(const ClientPresentation& client);

  // The same answer as a successful Authenticate() without blocking or any
  // side effect: a client_secret presentation of a cached client whose
  // secret matches and whose source is not throttled. nullopt for anything
  // else (not cached, wrong secret, an assertion, no cache): ask
  // Authenticate(), which reads, audits and throttles.
  std::optional<AuthenticatedClient> AuthenticateFromCache(
      const ClientPresentation& client) const;

  // The client_id the presentation claims: client_id, or else the
  // unverified iss of its assertion ("" when neither). For rate limiting
  // and audit only; never trusted before Authenticate() succeeds.
  // kInvalidArgument ("invalid_request") when over kMaxClientIdBytes.
  static Result<std::string> ClaimedClientId(const ClientPresentation& client);

  // Caches each client's identity and credential as read for its
  // authentication, evicted by `feed` (the store's change feed: any change
  // of the identity, its credential or its gating flags) and after
  // kClientCacheTtl. The presented secret or assertion is still checked on
  // every request. Borrowed; must outlive this. Call before serving.
  void CacheLookups(ChangeFeed& feed);

  static constexpr char kAuthenticateAction[] = "oauth.client.authenticate";

 private:
  struct Client {
    Identity identity;
    ClientCredentialRecord record;
  };
  Result<AuthenticatedClient> Check(const std::string& client_id,
                                    const ClientPresentation& client);
  Result<std::shared_ptr<const Client>> Lookup(const std::string& client_id);
  Result<std::shared_ptr<const Client>> Read(const std::string& client_id);
  Status CheckSecret(const ClientCredentialRecord& record,
                     std::string_view secret) const;
  Status CheckAssertion(const ClientCredentialRecord& record,
                        std::string_view client_id, std::string_view assertion);
  Status RecordSharedJti(const tokens::ClientAssertionClaims& claims);
  Status CheckCertificate(const ClientCredentialRecord& record,
                          const ClientCertificate& certificate);
  Result<ClientCredentialRecord> BuildRecord(
      const CredentialRequest& request,
      const std::optional<ClientCredentialRecord>& previous, Timestamp now,
      IssuedCredential* issued) const;

  Store& store_;
  Auditor& auditor_;
  const OAuthKeyCustody& custody_;
  AuthFailureThrottle* const throttle_;  // may be null
  tokens::ReplayCache replay_cache_;
  tokens::ClientAssertionValidator assertions_;
  std::unique_ptr<InvalidatedCache<Client>> cache_;  // null: no cache
};

// Bounds a cached client lookup when no change is published for it (a
// change made by another process whose commits this feed does not see).
inline constexpr std::chrono::seconds kClientCacheTtl{30};
inline constexpr size_t kMaxCachedClients = 100'000;

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_CLIENT_CREDENTIAL_SERVICE_H_
