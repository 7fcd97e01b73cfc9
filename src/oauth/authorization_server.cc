#include "oauth/authorization_server.h"

#include <boost/json/parse.hpp>
#include <cstdio>

namespace warden::oauth {

AuthorizationServer::~AuthorizationServer() {
  for (exposure::ConfigFeed::SubscriptionId id : subscriptions_)
    feed_.Unsubscribe(id);
  Stop();
}

void AuthorizationServer::SubscribeToLimits() {
  for (Environment env : {Environment::kDevelopment, Environment::kStaging,
                          Environment::kProduction}) {
    subscriptions_.push_back(feed_.Subscribe(
        env, [this](std::shared_ptr<const exposure::PublishedConfig> config) {
          OnPublished(*config);
        }));
  }
}

// A tenant-scoped limit revokes the tenant's live tokens now; other scopes
// are enforced at introspection, where gating flags evaluate LIMITED.
void AuthorizationServer::OnPublished(const exposure::PublishedConfig& config) {
  boost::system::error_code ec;
  boost::json::value change = boost::json::parse(config.change_json, ec);
  if (ec || !change.is_object()) return;
  const auto* kind = change.as_object().if_contains("kind");
  const auto* id = change.as_object().if_contains("id");
  if (!kind || !id || !id->is_string() || *kind != "limit.set") return;
  std::optional<ExposureLimitRecord> limit;
  Status read = store_.Read([&](Transaction& tx) -> Status {
    WARDEN_ASSIGN_OR_RETURN(limit, tx.exposure_limits().Get(id->as_string()));
    return Status::Ok();
  });
  if (!read.ok() || limit->scope != "tenant") return;
  for (const std::string& tenant : limit->scope_values) {
    Status revoked =
        revocation_->RevokeTenant(tenant, "exposure limit " + limit->id);
    if (!revoked.ok()) {
      std::fprintf(stderr, "revoke tokens of tenant %s: %s\n", tenant.c_str(),
                   revoked.ToString().c_str());
    }
  }
}

Result<std::unique_ptr<AuthorizationServer>> AuthorizationServer::Create(
    Store& store, Auditor& auditor, exposure::ConfigFeed& feed,
    inventory::InventoryService& inventory, OAuthKeyCustody custody,
    AuthorizationServerOptions options) {
  std::unique_ptr<AuthorizationServer> server(new AuthorizationServer(
      std::move(options), std::move(custody), store, feed));
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
  server->usage_ =
      std::make_unique<UsageRecorder>(store, opts.usage_flush_period);
  server->identity_policy_ =
      std::make_unique<IdentityTokenPolicy>(store, auditor, feed);
  server->trusted_issuers_ =
      std::make_unique<TrustedIssuerService>(store, auditor);
  server->issuance_ = std::make_unique<TokenIssuance>(
      store, auditor, *server->keys_, *server->clients_,
      *server->identity_policy_, *server->trusted_issuers_, *server->usage_,
      TokenIssuanceOptions{opts.issuer, opts.rate_limit}, lifetimes);
  // Loaded before any thread can reach the revocation service.
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<tokens::RevocationState> revocations,
                          TokenRevocation::LoadState(store));
  server->revocation_ = std::make_unique<TokenRevocation>(
      store, auditor, *server->keys_, *server->identity_policy_,
      *server->usage_, opts.issuer, std::move(revocations), lifetimes,
      opts.summaries);
  AuthorizationServer* self = server.get();
  inventory.set_transition_listener([self](const Identity& identity) {
    self->OnIdentityTransition(identity);
  });
  server->SubscribeToLimits();
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
