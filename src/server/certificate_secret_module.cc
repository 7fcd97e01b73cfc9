#include "server/certificate_secret_module.h"

#include <cstdio>
#include <cstdlib>

#include "api/break_glass_routes.h"
#include "api/certificate_routes.h"
#include "api/secret_routes.h"
#include "custody/certificate_ca_files.h"

namespace warden::server {
namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

}  // namespace

std::string TrustDomainFromEnvironment() {
  return Env("WARDEN_TRUST_DOMAIN", kDefaultTrustDomain);
}

CredentialModule::CredentialModule(
    Store& store, Auditor& auditor,
    std::unique_ptr<pki::CertificateAuthority> ca, std::string trust_domain,
    custody::SecretKeyring keyring, custody::WebhookConfig webhook)
    : ca_(std::move(ca)),
      keyring_(std::move(keyring)),
      webhooks_(std::move(webhook)),
      certificates_(store, auditor, *ca_, std::move(trust_domain)),
      secrets_(store, auditor, keyring_),
      break_glass_(store, auditor, secrets_, webhooks_) {}

Result<std::unique_ptr<CredentialModule>> CredentialModule::Create(
    Store& store, Auditor& auditor, const std::string& data_dir,
    Timestamp now) {
  const std::string trust_domain = TrustDomainFromEnvironment();
  Result<std::unique_ptr<pki::CertificateAuthority>> ca =
      custody::LoadOrCreateCa(data_dir, trust_domain, now);
  if (!ca.ok()) return ca.status().WithContext("certificate authority");
  Result<custody::SecretKeyring> keyring =
      custody::SecretKeyring::Load(data_dir);
  if (!keyring.ok()) return keyring.status().WithContext("secret keyring");
  custody::WebhookConfig webhook;
  webhook.url = Env("WARDEN_WEBHOOK_URL");
  webhook.secret = Env("WARDEN_WEBHOOK_SECRET");
  if (!webhook.url.empty() && webhook.secret.empty()) {
    return FailedPrecondition(
        "WARDEN_WEBHOOK_URL is set but WARDEN_WEBHOOK_SECRET is not: "
        "webhooks must be signed");
  }
  return std::unique_ptr<CredentialModule>(
      new CredentialModule(store, auditor, std::move(ca).value(), trust_domain,
                           std::move(keyring).value(), std::move(webhook)));
}

void CredentialModule::AddRoutes(Router& router) {
  api::AddCertificateRoutes(router, certificates_);
  api::AddSecretRoutes(router, secrets_);
  api::AddBreakGlassRoutes(router, break_glass_);
}

void CredentialModule::Sweep() {
  Result<int> ended = break_glass_.ExpireDue();
  if (!ended.ok()) {
    std::fprintf(stderr, "break-glass expiry: %s\n",
                 ended.status().ToString().c_str());
  }
}

}  // namespace warden::server
