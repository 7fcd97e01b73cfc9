// Console sessions in SQL (either store): one row of `console_sessions` each,
// keyed by the SHA-256 of the cookie value.
//
// Thread safety: as the Transaction it belongs to.
#ifndef WARDEN_STORE_SQL_SQL_CONSOLE_SESSION_REPOSITORY_H_
#define WARDEN_STORE_SQL_SQL_CONSOLE_SESSION_REPOSITORY_H_

#include "store/signin_records.h"
#include "store/sql/repository_context.h"

namespace warden::sql {

class SqlConsoleSessionRepository final : public ConsoleSessionRepository {
 public:
  explicit SqlConsoleSessionRepository(RepositoryContext& context)
      : context_(context) {}
  Status Insert(const ConsoleSession& session) override;
  Result<ConsoleSession> Get(std::string_view id_hash) override;
  Status End(std::string_view id_hash, Timestamp at) override;
  Result<int64_t> EndAllOf(std::string_view user, Timestamp at) override;
  Status Touch(std::string_view id_hash, Timestamp at) override;
  Result<int64_t> DeleteFinishedBefore(Timestamp before) override;

 private:
  RepositoryContext& context_;
};

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_SQL_CONSOLE_SESSION_REPOSITORY_H_
