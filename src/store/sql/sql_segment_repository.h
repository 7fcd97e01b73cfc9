// Segments in SQL (either store): `segments`, with explicit members as rows of
// `segment_tenants` (primary key (segment, tenant_key)): adding or removing
// keys costs one index operation per key, whatever the segment's size.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_SEGMENT_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_SEGMENT_REPOSITORY_H_

#include "store/sql/repository_context.h"
#include "store/store.h"

namespace warden::sql {

class SqlSegmentRepository final : public SegmentRepository {
 public:
  explicit SqlSegmentRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const SegmentRecord& segment) override;
  Status Update(const SegmentRecord& segment) override;
  Result<SegmentRecord> Get(std::string_view key) override;
  Result<std::vector<SegmentRecord>> List() override;
  Result<int64_t> AddTenants(
      std::string_view key,
      const std::vector<std::string>& tenant_keys) override;
  Result<int64_t> RemoveTenants(
      std::string_view key,
      const std::vector<std::string>& tenant_keys) override;
  Result<std::vector<std::string>> ListTenants(std::string_view key) override;

 private:
  Status RequireSegment(std::string_view key);
  // Runs `sql` (parameters: segment, tenant key) once per key; returns the
  // number of rows changed.
  Result<int64_t> ApplyToMembers(const char* sql, std::string_view operation,
                                 std::string_view key,
                                 const std::vector<std::string>& tenant_keys);
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_SEGMENT_REPOSITORY_H_
