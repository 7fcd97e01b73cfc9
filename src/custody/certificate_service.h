// Short-lived X509-SVIDs for workload identities: signing CSRs,
// renewal by presenting the current certificate or the identity's own
// access token, revocation with a CRL, and the inventory of what was issued.
//
// Every call writes exactly one audit record (auditor.h contract). The CA
// is immutable and shared; the service holds references and the CRL cache.
// Thread-safe.
#ifndef WARDEN_CUSTODY_CERTIFICATE_SERVICE_H_
#define WARDEN_CUSTODY_CERTIFICATE_SERVICE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "custody/certificate_policy.h"
#include "pki/certificate_authority.h"
#include "service/auditor.h"
#include "store/certificate_repository.h"

namespace warden::custody {

struct IssuedSvid {
  CertificateRecord record;
  std::string certificate_pem;
  std::string ca_bundle_pem;
  Timestamp renew_after{};
};

// Bound on list pages.
inline constexpr int kMaxCertificatePage = 500;

// The CRL as served, PEM and DER, with what it was signed from.
struct CrlDocument {
  std::string pem;
  std::string der;
  std::vector<pki::RevokedSerial> entries;
  Timestamp signed_at{};
};

// /pki/crl is public: it is signed once per change, not per request.
// Between signatures the store is asked at most once per
// kCrlRecheckPeriod whether the revoked set changed (an identity revoked
// elsewhere, another replica's revocation); a revocation through this
// service drops the cache at once. kCrlResignPeriod keeps lastUpdate fresh
// well inside the 24-hour nextUpdate.
inline constexpr std::chrono::seconds kCrlRecheckPeriod{1};
inline constexpr std::chrono::seconds kCrlResignPeriod{3600};

class CertificateService {
 public:
  CertificateService(Store& store, Auditor& auditor,
                     const pki::CertificateAuthority& ca,
                     std::string trust_domain, CertificatePolicy policy = {})
      : store_(store),
        auditor_(auditor),
        ca_(ca),
        trust_domain_(std::move(trust_domain)),
        policy_(policy) {}

  // Signs `csr_pem` for the identity (id or name). Requires
  // kCertificateIssue on the identity's owner team; the identity must be
  // active and unexpired. The SPIFFE ID is
  // spiffe://TRUST_DOMAIN/ns/ENVIRONMENT/sa/NAME.
  Result<IssuedSvid> Sign(const Caller& caller, std::string_view identity,
                          std::string_view csr_pem,
                          std::optional<std::chrono::seconds> ttl);

  // How a renewing caller proved it holds the current certificate's key.
  enum class Possession {
    // The CSR is signed by that key (the certificate came in the body):
    // the new leaf keeps the key.
    kCsrSignedByCurrentKey,
    // The caller presented the certificate in a mutual-TLS handshake,
    // which proves the key: the CSR may carry a new key (rotation).
    kTlsHandshake,
  };

  // Renewal by possession of the current certificate: it must be ours,
  // unexpired, unrevoked, and its identity still active. The new leaf has
  // the same SPIFFE ID. kUnauthenticated otherwise.
  Result<IssuedSvid> Renew(
      const Caller& caller, std::string_view current_pem,
      std::string_view csr_pem, std::optional<std::chrono::seconds> ttl,
      Possession possession = Possession::kCsrSignedByCurrentKey);

  // Renewal by the identity's own OAuth access token (the workload has no
  // current certificate at hand, or lost its key). REQUIRES nothing of the
  // caller; refuses (403, audited) unless caller.principal.workload carries
  // scope certificates:renew (authz/workload_authorizer.h) and, when
  // `identity` (id or name) is non-empty, it names the token's identity.
  // Why a dedicated scope rather than any live token of the identity: an
  // SVID outlives the token that obtained it and authenticates the workload
  // everywhere its trust domain is accepted, so minting one is a grant of
  // its own, made explicitly on the identity like any scope.
  // The SPIFFE ID comes from the identity, never from the CSR; the identity
  // must be active and unexpired (the token check already requires it).
  Result<IssuedSvid> RenewByToken(const Caller& caller,
                                  std::string_view identity,
                                  std::string_view csr_pem,
                                  std::optional<std::chrono::seconds> ttl);

  Result<CertificateRecord> Revoke(const Caller& caller,
                                   std::string_view serial,
                                   std::string_view reason);
  Result<std::vector<CertificateRecord>> List(const Caller& caller,
                                              std::string_view identity,
                                              int limit);

  // The current CRL, listing revoked unexpired certificates. Public.
  // Cached (see kCrlRecheckPeriod); the CA is fixed for the service's
  // lifetime (a new CA means a restart, hence a new cache).
  Result<std::shared_ptr<const CrlDocument>> Crl();
  // Crl()'s PEM.
  Result<std::string> CrlPem();
  const std::string& ca_bundle_pem() const { return ca_.certificate_pem(); }
  // The service clock (rate limiting at the HTTP layer).
  Timestamp Now() const { return auditor_.clock().Now(); }

  // The SPIFFE ID of `identity`; kInvalidArgument when its name or
  // environment cannot form one.
  Result<std::string> SpiffeIdOf(const Identity& identity) const;

 private:
  Result<IssuedSvid> IssueFor(Transaction& tx, const Identity& identity,
                              const pki::CertificateRequest& request,
                              std::optional<std::chrono::seconds> ttl,
                              Timestamp now, std::string issued_by,
                              std::string renewed_from);

  Result<std::vector<pki::RevokedSerial>> RevokedEntries(Timestamp now);
  Result<std::shared_ptr<const CrlDocument>> Sign(
      std::vector<pki::RevokedSerial> entries, Timestamp now);

  // Immutable after construction.
  Store& store_;
  Auditor& auditor_;
  const pki::CertificateAuthority& ca_;
  const std::string trust_domain_;
  const CertificatePolicy policy_;

  // The CRL cache (crl_mu_ is never held across a read or a signature).
  // crl_generation_ counts revocations through Revoke(): a document built from
  // a read that started before one is not cached.
  Mutex crl_mu_;
  std::shared_ptr<const CrlDocument> crl_ WARDEN_GUARDED_BY(crl_mu_);
  Timestamp crl_checked_at_ WARDEN_GUARDED_BY(crl_mu_) = {};
  uint64_t crl_generation_ WARDEN_GUARDED_BY(crl_mu_) = 0;
};

// kNotFound naming the identity; `key` is an id or a name.
Result<Identity> LoadIdentityByKey(Transaction& tx, std::string_view key);

}  // namespace warden::custody

#endif  // WARDEN_CUSTODY_CERTIFICATE_SERVICE_H_
