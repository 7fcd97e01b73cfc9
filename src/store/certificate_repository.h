// Issued X.509 certificates (X509-SVIDs): the inventory rows behind
// /v1/certificates and the CRL. Private keys are never stored: only what
// was signed. Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_CERTIFICATE_REPOSITORY_H_
#define WARDEN_STORE_CERTIFICATE_REPOSITORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace warden {

struct CertificateRecord {
  std::string serial;  // lower-case hex, primary key
  std::string identity_id;
  std::string spiffe_id;
  std::string key_type;  // "ed25519", "ec-p256", "rsa-2048", ...
  Timestamp not_before{};
  Timestamp not_after{};
  std::string status = "active";  // "active" or "revoked"
  std::optional<Timestamp> revoked_at;
  std::string revocation_reason;
  std::string issued_by;     // principal subject, or "renewal:<serial>"
  std::string renewed_from;  // serial presented at renewal, or empty
  Timestamp created_at{};
};

class CertificateRepository {
 public:
  virtual ~CertificateRepository() = default;
  virtual Status Insert(const CertificateRecord& record) = 0;
  // Replaces status, revoked_at and revocation_reason; kNotFound if absent.
  virtual Status Update(const CertificateRecord& record) = 0;
  virtual Result<CertificateRecord> Get(std::string_view serial) = 0;
  // Newest first; empty identity_id lists all. At most `limit` rows.
  virtual Result<std::vector<CertificateRecord>> List(
      std::string_view identity_id, int limit) = 0;
  // What the CRL lists: certificates still within validity (not_after >
  // now) that were revoked, or whose identity was revoked (returned with
  // status "revoked" and revoked_at = the identity's last update), so
  // revoking an identity also revokes its certificates.
  virtual Result<std::vector<CertificateRecord>> ListRevokedUnexpired(
      Timestamp now) = 0;
};

}  // namespace warden

#endif  // WARDEN_STORE_CERTIFICATE_REPOSITORY_H_
