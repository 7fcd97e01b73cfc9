// CertificateRepository on SQLite (table `certificates`, migration 5).
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQLITE_SQLITE_CERTIFICATE_REPOSITORY_H_
#define WARDEN_STORE_SQLITE_SQLITE_CERTIFICATE_REPOSITORY_H_

#include "store/certificate_repository.h"
#include "store/sqlite/repository_context.h"

namespace warden::sqlite {

class SqliteCertificateRepository final : public CertificateRepository {
 public:
  explicit SqliteCertificateRepository(RepositoryContext& context)
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

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_SQLITE_CERTIFICATE_REPOSITORY_H_
