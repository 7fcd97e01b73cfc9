#include "oauth/client_credential_service.h"

#include "core/crypto.h"
#include "oauth/certificate_client_auth.h"
#include "service/audited_write.h"
#include "tokens/jwks.h"
#include "tokens/token_error.h"

namespace warden::oauth {
namespace {

constexpr std::string_view kSecretPrefix = "wcs_";
constexpr size_t kSecretBytes = 32;

Status InvalidClient(std::string reason) {
  return Status(StatusCode::kUnauthenticated, std::move(reason),
                "invalid_client");
}

std::string NewSecret() {
  return std::string(kSecretPrefix) +
         Base64UrlEncode(RandomBytes(kSecretBytes));
}

}  // namespace

ClientCredentialService::ClientCredentialService(
    Store& store, Auditor& auditor, const OAuthKeyCustody& custody,
    tokens::ClientAssertionOptions assertion_options,
    AuthFailureThrottle* throttle)
    : store_(store),
      auditor_(auditor),
      custody_(custody),
      throttle_(throttle),
      assertions_(std::move(assertion_options), replay_cache_,
                  auditor.clock()) {}

Result<ClientCredentialRecord> ClientCredentialService::BuildRecord(
    const CredentialRequest& request,
    const std::optional<ClientCredentialRecord>& previous, Timestamp now,
    IssuedCredential* issued) const {
  ClientCredentialRecord record;
  record.method = request.method;
  record.updated_at = now;
  if (request.method == kTlsClientAuthMethod) {
    WARDEN_ASSIGN_OR_RETURN(
        record.certificate_value,
        NormalizeTlsClientAuthValue(request.certificate_field,
                                    request.certificate_value));
    record.certificate_field = request.certificate_field;
    return record;
  }
  if (request.method == kSelfSignedTlsClientAuthMethod) {
    WARDEN_RETURN_IF_ERROR(CheckSelfSignedJwks(request.jwks));
    record.jwks = request.jwks;
    return record;
  }
  if (request.method == kPrivateKeyJwtMethod) {
    Result<std::shared_ptr<const tokens::Jwks>> jwks =
        tokens::Jwks::Parse(request.jwks);
    if (!jwks.ok()) return jwks.status().WithContext("jwks");
    if ((*jwks)->keys().empty()) {
      return InvalidArgument("jwks: no usable Ed25519 or P-256 key",
                             "validation-failed");
    }
    record.jwks = request.jwks;
    return record;
  }
  if (request.method != kClientSecretMethod) {
    return InvalidArgument(
        "method must be client_secret, private_key_jwt, tls_client_auth or "
        "self_signed_tls_client_auth",
        "validation-failed");
  }
  const std::chrono::seconds overlap =
      request.overlap.value_or(kDefaultClientSecretOverlap);
  if (overlap.count() < 0 || overlap > kMaxClientSecretOverlap) {
    return InvalidArgument("overlap_seconds must be within 0..604800",
                           "validation-failed");
  }
  issued->client_secret = NewSecret();
  record.secret_hash = custody_.HashClientSecret(issued->client_secret);
  if (previous && !previous->secret_hash.empty() && overlap.count() > 0) {
    record.previous_secret_hash = previous->secret_hash;
    record.previous_valid_until = now + overlap;
    issued->previous_valid_until = record.previous_valid_until;
  }
  return record;
}

Result<IssuedCredential> ClientCredentialService::Register(
    const Caller& caller, std::string_view identity_id,
    const CredentialRequest& request) {
  IssuedCredential issued;
  AuditedWrite write(store_, auditor_, caller, "identity.credentials.set",
                     std::string(identity_id), Permission::kIdentityWrite);
  Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(Identity identity,
                            tx.identities().Get(identity_id));
    WARDEN_RETURN_IF_ERROR(write.Authorize(identity.owner));
    std::optional<ClientCredentialRecord> previous;
    Result<ClientCredentialRecord> stored =
        tx.oauth().GetClientCredential(identity.id);
    if (stored.ok()) previous = std::move(*stored);
    WARDEN_ASSIGN_OR_RETURN(
        ClientCredentialRecord record,
        BuildRecord(request, previous, write.now(), &issued));
    record.identity_id = identity.id;
    WARDEN_RETURN_IF_ERROR(tx.oauth().PutClientCredential(record));
    boost::json::object details;
    details["method"] = record.method;
    if (!record.certificate_field.empty()) {
      details[record.certificate_field] = record.certificate_value;
    }
    details["rotated"] = previous.has_value();
    return write.Record(tx, details);
  });
  if (!status.ok()) return status;
  issued.client_id = std::string(identity_id);
  issued.method = request.method;
  return issued;
}

void ClientCredentialService::CacheLookups(ChangeFeed& feed) {
  cache_ = std::make_unique<InvalidatedCache<Client>>(feed, kClientCacheTtl,
                                                      kMaxCachedClients);
}

Result<std::shared_ptr<const ClientCredentialService::Client>>
ClientCredentialService::Lookup(const std::string& client_id) {
  if (cache_ == nullptr) return Read(client_id);
  const Timestamp now = auditor_.clock().Now();
  if (auto cached = cache_->Find(client_id, now)) return cached;
  const uint64_t generation = cache_->BeginFill();
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const Client> client,
                          Read(client_id));
  cache_->Insert(client_id, client, {ChangeKey::Identity(client_id)},
                 generation, now);
  return client;
}

std::optional<AuthenticatedClient>
ClientCredentialService::AuthenticateFromCache(
    const ClientPresentation& client) const {
  if (cache_ == nullptr || !client.client_secret || client.client_assertion ||
      client.client_id.empty() || client.client_id.size() > kMaxClientIdBytes) {
    return std::nullopt;
  }
  if (throttle_ != nullptr && throttle_->IsExhausted(client.remote)) {
    return std::nullopt;
  }
  std::shared_ptr<const Client> found =
      cache_->Find(client.client_id, auditor_.clock().Now());
  if (found == nullptr ||
      !CheckSecret(found->record, *client.client_secret).ok()) {
    return std::nullopt;
  }
  return AuthenticatedClient{found->identity, client.auth_method};
}

Result<std::shared_ptr<const ClientCredentialService::Client>>
ClientCredentialService::Read(const std::string& client_id) {
  auto client = std::make_shared<Client>();
  Status read = store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(client->record,
                            tx.oauth().GetClientCredential(client_id));
    WARDEN_ASSIGN_OR_RETURN(client->identity, tx.identities().Get(client_id));
    return Status::Ok();
  });
  if (read.code() == StatusCode::kNotFound) {
    return InvalidClient("unknown client or no credential registered");
  }
  if (!read.ok()) return read;
  return std::shared_ptr<const Client>(std::move(client));
}

Status ClientCredentialService::CheckSecret(
    const ClientCredentialRecord& record, std::string_view secret) const {
  if (record.method != kClientSecretMethod) {
    return InvalidClient("client is registered for " + record.method);
  }
  const std::string hash = custody_.HashClientSecret(secret);
  // Both comparisons always run: timing says nothing about which matched.
  const bool current = ConstantTimeEquals(hash, record.secret_hash);
  const bool previous = !record.previous_secret_hash.empty() &&
                        ConstantTimeEquals(hash, record.previous_secret_hash) &&
                        record.previous_valid_until &&
                        auditor_.clock().Now() < *record.previous_valid_until;
  if (current || previous) return Status::Ok();
  return InvalidClient("client secret does not match");
}

Status ClientCredentialService::CheckAssertion(
    const ClientCredentialRecord& record, std::string_view client_id,
    std::string_view assertion) {
  if (record.method != kPrivateKeyJwtMethod) {
    return InvalidClient("client is registered for " + record.method);
  }
  Result<std::shared_ptr<const tokens::Jwks>> jwks =
      tokens::Jwks::Parse(record.jwks);
  if (!jwks.ok()) return InvalidClient("registered JWKS is unusable");
  Result<tokens::ClientAssertionClaims> claims =
      assertions_.Validate(assertion, client_id, **jwks);
  // A genuine assertion refused for capacity (this client's replay quota,
  // or the whole cache) is a rate limit, not a bad credential.
  if (claims.status().code() == StatusCode::kResourceExhausted) {
    return Status(StatusCode::kResourceExhausted, claims.status().message(),
                  "rate_limited")
        .WithRetryAfter(claims.status().retry_after());
  }
  if (!claims.ok()) {
    return InvalidClient(
        "client assertion refused: " + claims.status().problem() + ": " +
        claims.status().message());
  }
  return RecordSharedJti(*claims);
}

// The replay cache is this process's; replicas sharing the store also
// share this record, so an assertion accepted by one replica is refused
// as a replay by every other.
Status ClientCredentialService::RecordSharedJti(
    const tokens::ClientAssertionClaims& claims) {
  const Timestamp now = auditor_.clock().Now();
  const Status recorded = store_.Write([&](Transaction& tx) {
    return tx.oauth().RecordAssertionJti(claims.client_id, claims.jwt_id,
                                         claims.expires_at, now);
  });
  if (recorded.code() == StatusCode::kAlreadyExists) {
    return InvalidClient("client assertion refused: replayed: jti " +
                         claims.jwt_id + " was already used");
  }
  return recorded;
}

// A certificate Warden issued (its serial is in the certificate store) must
// still be active there, and be the client's own: a revoked SVID completes
// the handshake until it expires, since the listener has no CRL of its own
// CA, and one identity's SVID never authenticates another identity, however
// that one's match was registered. A certificate of another CA is not in
// the store; its CA's revocation is its own concern.
Status ClientCredentialService::CheckCertificate(
    const ClientCredentialRecord& record,
    const ClientCertificate& certificate) {
  WARDEN_RETURN_IF_ERROR(MatchClientCertificate(record, certificate));
  if (certificate.serial.empty()) return Status::Ok();
  std::optional<CertificateRecord> issued;
  const Status read = store_.Read([&](Transaction& tx) -> Status {
    Result<CertificateRecord> found = tx.certificates().Get(certificate.serial);
    if (found.ok()) issued = std::move(*found);
    if (found.ok() || found.status().code() == StatusCode::kNotFound) {
      return Status::Ok();
    }
    return found.status();
  });
  WARDEN_RETURN_IF_ERROR(read);
  if (issued && issued->status != "active") {
    return InvalidClient("the client certificate was revoked");
  }
  if (issued && issued->identity_id != record.identity_id) {
    return InvalidClient(
        "the client certificate is another identity's X509-SVID");
  }
  return Status::Ok();
}

Result<std::string> ClientCredentialService::ClaimedClientId(
    const ClientPresentation& client) {
  std::string client_id = client.client_id;
  if (client.client_assertion && client_id.empty()) {
    Result<std::string> iss =
        tokens::PeekClientAssertionClientId(*client.client_assertion);
    if (iss.ok()) client_id = std::move(*iss);
  }
  if (client_id.size() > kMaxClientIdBytes) {
    return Status(
        StatusCode::kInvalidArgument,
        "client_id exceeds " + std::to_string(kMaxClientIdBytes) + " bytes",
        "invalid_request");
  }
  return client_id;
}

// Throttled per source: a failure charges the source, and an exhausted
// source is refused before the store is read.
Result<AuthenticatedClient> ClientCredentialService::Authenticate(
    const ClientPresentation& client) {
  WARDEN_ASSIGN_OR_RETURN(std::string client_id, ClaimedClientId(client));
  if (throttle_ != nullptr) {
    WARDEN_RETURN_IF_ERROR(throttle_->Admit(kAuthenticateAction, client.remote,
                                            client.request_id));
  }
  Result<AuthenticatedClient> authenticated = Check(client_id, client);
  if (throttle_ != nullptr &&
      authenticated.status().code() == StatusCode::kUnauthenticated) {
    throttle_->NoteFailure(client.remote);
  }
  return authenticated;
}

Result<AuthenticatedClient> ClientCredentialService::Check(
    const std::string& client_id, const ClientPresentation& client) {
  if (client_id.empty()) {
    return InvalidClient(client.client_assertion
                             ? "client assertion has no valid iss"
                             : "no client authentication");
  }
  WARDEN_ASSIGN_OR_RETURN(std::shared_ptr<const Client> found,
                          Lookup(client_id));
  if (client.client_assertion) {
    WARDEN_RETURN_IF_ERROR(
        CheckAssertion(found->record, client_id, *client.client_assertion));
  } else if (client.client_secret) {
    WARDEN_RETURN_IF_ERROR(CheckSecret(found->record, *client.client_secret));
  } else if (client.certificate != nullptr) {
    WARDEN_RETURN_IF_ERROR(
        CheckCertificate(found->record, *client.certificate));
    return AuthenticatedClient{found->identity, found->record.method};
  } else {
    return InvalidClient("no client credential presented");
  }
  return AuthenticatedClient{found->identity, client.auth_method};
}

}  // namespace warden::oauth
