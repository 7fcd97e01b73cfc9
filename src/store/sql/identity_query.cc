#include "store/sql/identity_query.h"

#include <algorithm>

#include "store/sql/like_pattern.h"
#include "store/sql/where_clause.h"

namespace warden::sql {

int ClampIdentityPageSize(int limit) {
  return std::clamp(limit, 1, kMaxIdentityPageSize);
}

namespace {

WhereClause IdentityWhere(const IdentityFilter& filter,
                          const NameSearch& name_search) {
  WhereClause where;
  if (filter.owner) where.AddText("owner", *filter.owner);
  if (filter.application) where.AddText("application", *filter.application);
  if (filter.environment) {
    where.AddText("environment", Name(*filter.environment));
  }
  if (filter.kind) where.AddText("kind", Name(*filter.kind));
  if (filter.risk_tier) where.AddText("risk_tier", Name(*filter.risk_tier));
  if (filter.status) where.AddText("status", Name(*filter.status));
  if (filter.vendor) where.AddText("vendor", *filter.vendor);
  if (filter.tenant) where.AddText("tenant", *filter.tenant);
  if (filter.expiring_before) {
    where.Add("expires_at_us < ?", ToMicros(*filter.expiring_before));
  }
  if (filter.name_contains &&
      name_search.plan == NamePlan::kTrigramCandidates) {
    // Narrows to the candidates; the exact test follows.
    where.Add(std::string("rowid IN (SELECT rowid FROM ") +
                  kIdentityNameTrigrams + " WHERE " + kIdentityNameTrigrams +
                  " MATCH ?)",
              name_search.match);
  }
  if (filter.name_contains && name_search.plan == NamePlan::kLowerNameLike) {
    where.Add("lower(name) LIKE ? ESCAPE '\\'",
              ContainsPattern(*filter.name_contains));
  } else if (filter.name_contains) {
    // instr() on lower-cased text: case-insensitive (ASCII) and free of
    // LIKE's wildcard characters, so user input needs no escaping.
    where.Add("instr(lower(name), lower(?)) > 0", *filter.name_contains);
  }
  return where;
}

}  // namespace

SqlQuery BuildIdentityCountQuery(const IdentityFilter& filter,
                                 const NameSearch& name_search) {
  WhereClause where = IdentityWhere(filter, name_search);
  SqlQuery query;
  query.sql = "SELECT COUNT(*) FROM identities" + where.sql();
  query.params = std::move(where.params());
  return query;
}

SqlQuery BuildIdentityListQuery(const IdentityFilter& filter,
                                const PageRequest& page,
                                const NameSearch& name_search) {
  WhereClause where = IdentityWhere(filter, name_search);
  if (page.after_id) where.Add("id > ?", *page.after_id);
  SqlQuery query;
  if (name_search.plan == NamePlan::kTrigramCandidates) {
    // SQLite sorts whole result rows: sort the candidates' (id, rowid)
    // first, then read only the page's rows.
    query.sql = std::string("SELECT ") + kIdentityColumns +
                " FROM identities WHERE rowid IN (SELECT rowid FROM "
                "identities" +
                where.sql() + " ORDER BY id LIMIT ?) ORDER BY id";
  } else {
    query.sql = std::string("SELECT ") + kIdentityColumns + " FROM identities" +
                where.sql() + " ORDER BY id LIMIT ?";
  }
  query.params = std::move(where.params());
  // Bound, not inlined, so the statement cache holds one entry per filter
  // combination rather than one per page size.
  query.params.emplace_back(int64_t{ClampIdentityPageSize(page.limit) + 1});
  return query;
}

}  // namespace warden::sql
