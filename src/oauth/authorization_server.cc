#include "oauth/authorization_server.h"

#include <cstdio>

namespace warden::oauth {

AuthorizationServer::~AuthorizationServer() { Stop(); }

Result<std::unique_ptr<AuthorizationServer>> AuthorizationServer::Create(
    Store& store, Auditor& auditor, exposure::ConfigFeed& feed,
    inventory::InventoryService& inventory, OAuthKeyCustody custody,
    AuthorizationServerOptions options) {
  std::unique_ptr<AuthorizationServer> server(
      new AuthorizationServer(std::move(options), std::move(custody)));
  const AuthorizationServerOptions& opts = server->options_;
  tokens::LifetimePolicy lifetimes;
  tokens::KeyRotationPolicy key_policy = opts.key_policy;
  key_policy.max_token_lifetime =
      lifetimes.MaxLifetime() + std::chrono::seconds(60);
  WARDEN_ASSIGN_OR_RETURN(
      server->keys_, OAuthSigningKeys::Load(store, server->custody_, key_policy,
                                            auditor.clock().Now()));
  tokens::ClientAssertionOptions assertions;
  assertions.token_endpoint = server->endpoint("/oauth/token");
  assertions.issuer = opts.issuer;
  server->clients_ = std::make_unique<ClientCredentialService>(
      store, auditor, server->custody_, assertions, opts.throttle);
  if (opts.changes != nullptr) server->clients_->CacheLookups(*opts.changes);
  server->usage_ =
      std::make_unique<UsageRecorder>(store, opts.usage_flush_period);
  server->identity_policy_ =
      std::make_unique<IdentityTokenPolicy>(store, auditor, feed);
  server->trusted_issuers_ =
      std::make_unique<TrustedIssuerService>(store, auditor);
  // Loaded before any thread can reach the revocation service.
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<tokens::RevocationState> revocations,
                          TokenRevocation::LoadState(store));
  server->revocation_ = std::make_unique<TokenRevocation>(
      store, auditor, *server->keys_, *server->identity_policy_,
      *server->usage_, opts.issuer, std::move(revocations), lifetimes,
      opts.summaries);
  WARDEN_ASSIGN_OR_RETURN(server->limits_,
                          TokenLimits::Load(store, *server->revocation_));
  server->issuance_ = std::make_unique<TokenIssuance>(
      store, auditor, *server->keys_, *server->clients_,
      *server->identity_policy_, *server->trusted_issuers_, *server->usage_,
      TokenIssuanceOptions{opts.issuer, opts.rate_limit}, lifetimes,
      server->limits_.get());
  AuthorizationServer* self = server.get();
  inventory.set_transition_listener([self](const Identity& identity) {
    self->OnIdentityTransition(identity);
  });
  return server;
}

void AuthorizationServer::OnIdentityTransition(const Identity& identity) {
  if (identity.status == IdentityStatus::kActive) return;
  const Status revoked =
      revocation_->RevokeIdentity(identity.id, identity.status_reason);
  if (!revoked.ok()) {
    std::fprintf(stderr, "revoke tokens of %s: %s\n", identity.id.c_str(),
                 revoked.ToString().c_str());
  }
}

}  // namespace warden::oauth
