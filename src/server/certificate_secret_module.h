// The credential custody features as one unit the server owns:
// the CA (DIR/ca.crt, DIR/ca.key), the secret keyring (DIR/kek or
// WARDEN_KEK), the webhook notifier, their three services and routes.
//
// Configuration from the environment (read once at start):
//   WARDEN_TRUST_DOMAIN    SPIFFE trust domain (default "warden.local")
//   WARDEN_WEBHOOK_URL     http:// receiver of break-glass alerts (optional)
//   WARDEN_WEBHOOK_SECRET  HMAC key for X-Warden-Signature
//
// Thread safety: Create/AddRoutes during start-up; Sweep from one thread at
// a time; the services are thread-safe.
#ifndef WARDEN_SERVER_CERTIFICATE_SECRET_MODULE_H_
#define WARDEN_SERVER_CERTIFICATE_SECRET_MODULE_H_

#include <memory>
#include <string>

#include "custody/break_glass_service.h"
#include "custody/certificate_service.h"
#include "custody/secret_service.h"
#include "http/router.h"

namespace warden::server {

inline constexpr char kDefaultTrustDomain[] = "warden.local";

// WARDEN_TRUST_DOMAIN, else kDefaultTrustDomain.
std::string TrustDomainFromEnvironment();

class CredentialModule {
 public:
  // Loads or creates the CA and loads the keyring; errors name the file.
  static Result<std::unique_ptr<CredentialModule>> Create(
      Store& store, Auditor& auditor, const std::string& data_dir,
      Timestamp now);

  void AddRoutes(Router& router);
  // Ends break-glass re-activations whose time box is over.
  void Sweep();

  // For wiring the re-suspension of identities to token revocation.
  custody::BreakGlassService& break_glass() { return break_glass_; }

 private:
  CredentialModule(Store& store, Auditor& auditor,
                   std::unique_ptr<pki::CertificateAuthority> ca,
                   std::string trust_domain, custody::SecretKeyring keyring,
                   custody::WebhookConfig webhook);

  // Immutable after construction; declaration order is construction order.
  std::unique_ptr<pki::CertificateAuthority> ca_;
  custody::SecretKeyring keyring_;
  custody::WebhookNotifier webhooks_;
  custody::CertificateService certificates_;
  custody::SecretService secrets_;
  custody::BreakGlassService break_glass_;
};

}  // namespace warden::server

#endif  // WARDEN_SERVER_CERTIFICATE_SECRET_MODULE_H_
