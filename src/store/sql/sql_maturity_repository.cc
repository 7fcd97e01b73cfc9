#include "store/sql/sql_maturity_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/query.h"
#include "store/sql/upsert.h"

namespace warden::sql {
namespace {

// A history longer than this is read in pieces (a daily snapshot for
// almost three years).
constexpr int kMaxSnapshots = 1000;

}  // namespace

Status SqlMaturityRepository::Insert(const MaturitySnapshotRecord& m) {
  const std::string context =
      "record maturity snapshot of " +
      (m.scope.empty() ? std::string("everything") : Quoted(m.scope));
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 UpsertSql("maturity_snapshots",
                           "scope, taken_at_us, inventoried, observed, "
                           "justified, revocable, identities",
                           "scope, taken_at_us"),
                 context, m.scope, ToMicros(m.taken_at), m.inventoried,
                 m.observed, m.justified, m.revocable, m.identities);
}

Result<std::vector<MaturitySnapshotRecord>> SqlMaturityRepository::List(
    std::string_view scope, int limit) {
  return QueryRows(
      context_.connection,
      "SELECT scope, taken_at_us, inventoried, observed, justified, "
      "revocable, identities FROM maturity_snapshots WHERE scope = ? "
      "ORDER BY taken_at_us DESC LIMIT ?",
      "list maturity snapshots",
      [](const Statement& s) {
        MaturitySnapshotRecord m;
        m.scope = s.Text(0);
        m.taken_at = FromMicros(s.Int(1));
        m.inventoried = s.Int(2);
        m.observed = s.Int(3);
        m.justified = s.Int(4);
        m.revocable = s.Int(5);
        m.identities = s.Int(6);
        return m;
      },
      scope, int64_t{std::clamp(limit, 1, kMaxSnapshots)});
}

}  // namespace warden::sql
