// The SQL of IdentityRepository::List and Count, built from the filter so
// that only present filters appear in the WHERE clause (a "? IS NULL OR"
// form would hide every index from SQLite's planner), and from the plan
// chosen for a name search (identity_name_search.h). Separate from the
// repository so tests can check the query plan of each filter.
#ifndef WARDEN_STORE_SQL_IDENTITY_QUERY_H_
#define WARDEN_STORE_SQL_IDENTITY_QUERY_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/identity.h"
#include "store/sql/identity_name_search.h"

namespace warden::sql {

// Page sizes outside [1, kMaxIdentityPageSize] are clamped: a bound on the
// memory and time one request can take.
inline constexpr int kMaxIdentityPageSize = 500;

// Every column of an identity row, in the order DecodeIdentity reads them.
inline constexpr char kIdentityColumns[] =
    "id, name, kind, owner, application, environment, business_function, "
    "risk_tier, risk_tier_declared, risk_reason, auth_method, scopes, "
    "rotation_days, expires_at_us, justification, vendor, tenant, status, "
    "status_reason, created_at_us, updated_at_us, last_used_at_us, "
    "external_id, sponsor, task_scope, version";

struct SqlQuery {
  std::string sql;
  std::vector<std::variant<int64_t, std::string>> params;  // in order
};

// The clamped page size.
int ClampIdentityPageSize(int limit);

// SELECT COUNT(*) of the identities matching `filter`. `name_search`
// (ChooseNameSearch) says how to search names.
// REQUIRES: a kTrigramCandidates match names a superset of the identities
// whose names hold filter.name_contains.
SqlQuery BuildIdentityCountQuery(const IdentityFilter& filter,
                                 const NameSearch& name_search = {});

// SELECT kIdentityColumns ... ORDER BY id LIMIT <clamped limit + 1> (the
// last parameter): one row more than the page, to tell whether another
// page follows. With kTrigramCandidates the candidates' ids are sorted
// before their rows are read, so the sort never carries whole rows.
// REQUIRES: as BuildIdentityCountQuery.
SqlQuery BuildIdentityListQuery(const IdentityFilter& filter,
                                const PageRequest& page,
                                const NameSearch& name_search = {});

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_IDENTITY_QUERY_H_
