#include "http/oauth_server.h"

#include <cstdio>

namespace warden {

OAuthServer::~OAuthServer() { Stop(); }

Result<std::unique_ptr<OAuthServer>> OAuthServer::Create(
    Store& store, Auditor& auditor, const ConfigFeed& feed,
    InventoryService& inventory, OAuthServerOptions options) {
  WARDEN_ASSIGN_OR_RETURN(OAuthKeyCustody custody,
                          OAuthKeyCustody::FromFile(options.kek_path));
  std::unique_ptr<OAuthServer> server(
      new OAuthServer(std::move(options), std::move(custody)));
  const OAuthServerOptions& opts = server->options_;
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
      store, auditor, server->custody_, assertions);
  server->usage_ =
      std::make_unique<UsageRecorder>(store, opts.usage_flush_period);
  server->tokens_ = std::make_unique<TokenService>(
      store, auditor, *server->keys_, *server->clients_, feed, *server->usage_,
      TokenServiceOptions{opts.issuer, opts.rate_limit}, lifetimes);
  WARDEN_RETURN_IF_ERROR(server->tokens_->LoadRevocations());
  TokenService* tokens = server->tokens_.get();
  inventory.set_transition_listener([tokens](const Identity& identity) {
    if (identity.status == IdentityStatus::kActive) return;
    Status revoked =
        tokens->RevokeIdentity(identity.id, identity.status_reason);
    if (!revoked.ok()) {
      std::fprintf(stderr, "revoke tokens of %s: %s\n", identity.id.c_str(),
                   revoked.ToString().c_str());
    }
  });
  return server;
}

}  // namespace warden
