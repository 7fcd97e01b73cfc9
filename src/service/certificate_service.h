// Short-lived X509-SVIDs for workload identities (issue 4): signing CSRs,
// renewal by presenting the current certificate, revocation with a CRL, and
// the inventory of what was issued.
//
// Every call writes exactly one audit record (auditor.h contract). The CA
// is immutable and shared; the service holds references only.
// Thread-safe.
#ifndef WARDEN_SERVICE_CERTIFICATE_SERVICE_H_
#define WARDEN_SERVICE_CERTIFICATE_SERVICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/certificate_authority.h"
#include "service/auditor.h"
#include "service/certificate_policy.h"
#include "store/certificate_repository.h"

namespace warden {

struct IssuedSvid {
  CertificateRecord record;
  std::string certificate_pem;
  std::string ca_bundle_pem;
  Timestamp renew_after{};
};

// Bound on list pages.
inline constexpr int kMaxCertificatePage = 500;

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

  // Renewal by possession of the current certificate: it must be ours,
  // unexpired, unrevoked, and its identity still active. The new leaf has
  // the same SPIFFE ID. kUnauthenticated otherwise.
  Result<IssuedSvid> Renew(const Caller& caller, std::string_view current_pem,
                           std::string_view csr_pem,
                           std::optional<std::chrono::seconds> ttl);

  Result<CertificateRecord> Revoke(const Caller& caller,
                                   std::string_view serial,
                                   std::string_view reason);
  Result<std::vector<CertificateRecord>> List(const Caller& caller,
                                              std::string_view identity,
                                              int limit);

  // The current CRL (PEM), listing revoked unexpired certificates. Public.
  Result<std::string> CrlPem();
  const std::string& ca_bundle_pem() const { return ca_.certificate_pem(); }

  // The SPIFFE ID of `identity`; kInvalidArgument when its name or
  // environment cannot form one.
  Result<std::string> SpiffeIdOf(const Identity& identity) const;

 private:
  Result<IssuedSvid> IssueFor(Transaction& tx, const Identity& identity,
                              const pki::CertificateRequest& request,
                              std::optional<std::chrono::seconds> ttl,
                              Timestamp now, std::string issued_by,
                              std::string renewed_from);

  Store& store_;
  Auditor& auditor_;
  const pki::CertificateAuthority& ca_;
  const std::string trust_domain_;
  const CertificatePolicy policy_;
};

// kNotFound naming the identity; `key` is an id or a name.
Result<Identity> LoadIdentityByKey(Transaction& tx, std::string_view key);

}  // namespace warden

#endif  // WARDEN_SERVICE_CERTIFICATE_SERVICE_H_
