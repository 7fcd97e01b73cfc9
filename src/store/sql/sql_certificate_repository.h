// CertificateRepository in SQL (either store) (table `certificates`, migration
// 5). Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_CERTIFICATE_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_CERTIFICATE_REPOSITORY_H_

#include "store/certificate_repository.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlCertificateRepository final : public CertificateRepository {
 public:
  explicit SqlCertificateRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const CertificateRecord& record) override;
  Status Update(const CertificateRecord& record) override;
  Result<CertificateRecord> Get(std::string_view serial) override;
  Result<std::vector<CertificateRecord>> List(std::string_view identity_id,
                                              int limit) override;
  Result<std::vector<CertificateRecord>> ListRevokedUnexpired(
      Timestamp now) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_CERTIFICATE_REPOSITORY_H_
