#include "store/sql/sql_transaction.h"

#include <exception>
#include <string>

namespace warden::sql {

SqlTransaction::SqlTransaction(Connection& connection, bool writable,
                               const AuditChainKey* audit_key,
                               std::vector<std::string>* changed)
    : context_{connection, writable, audit_key, changed},
      teams_(context_),
      identities_(context_),
      exceptions_(context_),
      users_(context_),
      api_tokens_(context_),
      audit_(context_),
      settings_(context_),
      flags_(context_),
      tenants_(context_),
      segments_(context_),
      exposure_limits_(context_),
      certificates_(context_),
      secrets_(context_),
      break_glass_(context_),
      oauth_(context_),
      releases_(context_),
      approvals_(context_),
      consents_(context_),
      findings_(context_),
      observations_(context_),
      reviews_(context_),
      maturity_(context_),
      usage_(context_),
      user_credentials_(context_),
      console_sessions_(context_),
      oidc_logins_(context_),
      audit_sink_cursors_(context_) {}

Status RunUnitOfWork(const UnitOfWork& work, Transaction& transaction) {
  try {
    return work(transaction);
  } catch (const std::exception& e) {
    return Internal(std::string("unit of work threw: ") + e.what());
  } catch (...) {
    return Internal("unit of work threw a non-standard exception");
  }
}

}  // namespace warden::sql
