// AuthorizationServer: the OAuth 2.0 authorization server's objects, created
// once the server knows its own URL (the issuer): key custody (handed in by
// the process wiring, which loads the key), the persisted signing key ring,
// client credentials, batched usage, the identity token policy, trusted
// issuers, token issuance and token revocation. Owned by ServerApp; routes
// reach it through OAuthRoutes.
//
// Thread-safety: immutable wiring after Create(); the members are
// thread-safe (see their headers).
#ifndef WARDEN_OAUTH_AUTHORIZATION_SERVER_H_
#define WARDEN_OAUTH_AUTHORIZATION_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "exposure/config_feed.h"
#include "inventory/inventory_service.h"
#include "oauth/client_credential_service.h"
#include "oauth/identity_token_policy.h"
#include "oauth/key_custody.h"
#include "oauth/signing_keys.h"
#include "oauth/token_issuance.h"
#include "oauth/token_limits.h"
#include "oauth/token_revocation.h"
#include "oauth/trusted_issuer_service.h"
#include "oauth/usage_recorder.h"

namespace warden::oauth {

struct AuthorizationServerOptions {
  std::string issuer;  // "http://127.0.0.1:PORT"
  tokens::KeyRotationPolicy key_policy;
  RateLimit rate_limit;
  std::chrono::milliseconds usage_flush_period{2000};
  // Borrowed; must outlive the server. Null: no per-source limit on failed
  // client authentication, resp. introspection goes unaudited (tests).
  AuthFailureThrottle* throttle = nullptr;
  // The store's change feed: client lookups are cached and evicted by it.
  // Borrowed; null: every client authentication reads the store.
  ChangeFeed* changes = nullptr;
  AuditSummaryRecorder* summaries = nullptr;
  // The RFC 8705 client authentication this listener makes possible, for
  // the metadata: tls_client_auth needs a client CA bundle,
  // self_signed_tls_client_auth a listener that takes self-signed client
  // certificates. Either means tokens can be certificate-bound.
  bool tls_client_auth = false;
  bool self_signed_tls_client_auth = false;
};

class AuthorizationServer {
 public:
  // Loads keys, revocation state and the active exposure limits' ties;
  // hooks identity transitions so a suspended or revoked identity's tokens
  // read inactive at once. Exposure limits reach tokens through limits()
  // (TokenLimits), which the process wires into the LimitService: setting
  // one revokes its tied tokens in the unit that sets it.
  static Result<std::unique_ptr<AuthorizationServer>> Create(
      Store& store, Auditor& auditor, exposure::ConfigFeed& feed,
      inventory::InventoryService& inventory, OAuthKeyCustody custody,
      AuthorizationServerOptions options);

  ~AuthorizationServer();

  const std::string& issuer() const { return options_.issuer; }
  const AuthorizationServerOptions& options() const { return options_; }
  std::string endpoint(std::string_view path) const {
    return options_.issuer + std::string(path);
  }
  OAuthSigningKeys& keys() { return *keys_; }
  ClientCredentialService& clients() { return *clients_; }
  UsageRecorder& usage() { return *usage_; }
  IdentityTokenPolicy& identity_policy() { return *identity_policy_; }
  TrustedIssuerService& trusted_issuers() { return *trusted_issuers_; }
  TokenIssuance& issuance() { return *issuance_; }
  TokenRevocation& revocation() { return *revocation_; }
  TokenLimits& limits() { return *limits_; }
  // Null when the options named none.
  AuthFailureThrottle* throttle() const { return options_.throttle; }

  // Makes the live tokens of an identity that left `active` inactive (any
  // service that changes identity status reports here after its commit).
  void OnIdentityTransition(const Identity& identity);

  // Scheduled work of every replica: the periodic re-read of trusted
  // issuers' file/URI key sets (TrustedIssuerService) and of what active
  // exposure limits are tied to (TokenLimits::Reload).
  Status Refresh(Timestamp now) {
    trusted_issuers_->RefreshKeys(now);
    return limits_->Reload();
  }
  // Refresh, plus the cluster's own scheduled work (one replica: the
  // ClusterLease holder): key rotation and pruning.
  Status Maintain(Timestamp now) {
    const Status limits = Refresh(now);
    WARDEN_RETURN_IF_ERROR(keys_->Maintain(now));
    return limits;
  }
  // Flushes usage and stops its thread (before the store closes).
  void Stop() {
    if (usage_) usage_->Stop();
  }

 private:
  AuthorizationServer(AuthorizationServerOptions options,
                      OAuthKeyCustody custody)
      : options_(std::move(options)), custody_(std::move(custody)) {}

  const AuthorizationServerOptions options_;
  const OAuthKeyCustody custody_;
  std::unique_ptr<OAuthSigningKeys> keys_;
  std::unique_ptr<ClientCredentialService> clients_;
  std::unique_ptr<UsageRecorder> usage_;
  std::unique_ptr<IdentityTokenPolicy> identity_policy_;
  std::unique_ptr<TrustedIssuerService> trusted_issuers_;
  std::unique_ptr<TokenIssuance> issuance_;
  std::unique_ptr<TokenRevocation> revocation_;
  std::unique_ptr<TokenLimits> limits_;
};

}  // namespace warden::oauth

#endif  // WARDEN_OAUTH_AUTHORIZATION_SERVER_H_
