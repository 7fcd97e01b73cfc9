#include "store/sql/sql_observation_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/identity_query.h"
#include "store/sql/query.h"
#include "store/sql/sql_identity_repository.h"
#include "store/sql/upsert.h"
#include "store/sql/where_clause.h"

namespace warden::sql {
namespace {

constexpr char kObservationColumns[] =
    "id, kind, key, source, scan_target, name, location, attributes, "
    "identity_id, state, changes, first_seen_us, last_seen_us";

constexpr char kScanColumns[] =
    "id, source, target, state, observations, issues, issues_detail, "
    "started_by, started_at_us, finished_at_us";

// Missing: an external id, and no present observation matched to it.
constexpr char kMissingCondition[] =
    "external_id != '' AND status NOT IN ('revoked', 'expired') AND NOT "
    "EXISTS (SELECT 1 FROM observations o WHERE o.identity_id = "
    "identities.id AND o.state = 'present')";

ObservationRecord DecodeObservation(const Statement& s) {
  ObservationRecord o;
  o.id = s.Text(0);
  o.kind = s.Text(1);
  o.key = s.Text(2);
  o.source = s.Text(3);
  o.scan_target = s.Text(4);
  o.name = s.Text(5);
  o.location = s.Text(6);
  o.attributes_json = s.Text(7);
  o.identity_id = s.Text(8);
  o.state = s.Text(9);
  o.changes_json = s.Text(10);
  o.first_seen = FromMicros(s.Int(11));
  o.last_seen = FromMicros(s.Int(12));
  return o;
}

ScanRunRecord DecodeScan(const Statement& s) {
  ScanRunRecord r;
  r.id = s.Text(0);
  r.source = s.Text(1);
  r.target = s.Text(2);
  r.state = s.Text(3);
  r.observations = s.Int(4);
  r.issues = s.Int(5);
  r.issues_json = s.Text(6);
  r.started_by = s.Text(7);
  r.started_at = FromMicros(s.Int(8));
  r.finished_at = OptionalTimestamp(s.OptionalInt(9));
  return r;
}

WhereClause ObservationWhere(const ObservationFilter& filter) {
  WhereClause where;
  where.AddTextIfSet("kind", filter.kind);
  if (!filter.kinds.empty()) {
    // kind IN (...) as one condition per WhereClause parameter: an OR of
    // equalities SQLite plans as a multi-index lookup.
    std::string any;
    for (size_t i = 0; i < filter.kinds.size(); ++i) {
      any += i == 0 ? "(kind = ?" : " OR kind = ?";
    }
    where.AddList(any + ")", filter.kinds);
  }
  where.AddTextIfSet("source", filter.source);
  where.AddTextIfSet("state", filter.state);
  where.AddTextIfSet("identity_id", filter.identity_id);
  if (filter.unmanaged_only) where.AddText("identity_id", "");
  if (filter.changed_only) where.Add("changes != ?", std::string("[]"));
  return where;
}

}  // namespace

Status SqlObservationRepository::Put(const ObservationRecord& o) {
  const std::string context =
      "record observation " + o.kind + " " + Quoted(o.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      std::string("INSERT INTO observations (") + kObservationColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (kind, key) DO UPDATE SET source = excluded.source, "
          "scan_target = excluded.scan_target, name = excluded.name, "
          "location = excluded.location, attributes = excluded.attributes, "
          "identity_id = excluded.identity_id, state = excluded.state, "
          "changes = excluded.changes, "
          "last_seen_us = CASE WHEN excluded.last_seen_us > "
          "observations.last_seen_us THEN excluded.last_seen_us ELSE "
          "observations.last_seen_us END",
      context, o.id, o.kind, o.key, o.source, o.scan_target, o.name, o.location,
      o.attributes_json, o.identity_id, o.state, o.changes_json,
      ToMicros(o.first_seen), ToMicros(o.last_seen));
}

Result<ObservationRecord> SqlObservationRepository::Get(std::string_view kind,
                                                        std::string_view key) {
  const std::string context =
      "get observation " + std::string(kind) + " " + Quoted(key);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ObservationRecord> row,
      QueryFirst(context_.connection,
                 std::string("SELECT ") + kObservationColumns +
                     " FROM observations WHERE kind = ? AND key = ?",
                 context, &DecodeObservation, kind, key));
  if (!row) return NotFound(context + ": not found");
  return std::move(*row);
}

Result<Page<ObservationRecord>> SqlObservationRepository::List(
    const ObservationFilter& filter, const PageRequest& page) {
  WhereClause where = ObservationWhere(filter);
  if (page.after_id) {
    // The cursor is "kind/key" of the last row (kinds hold no '/').
    const size_t slash = page.after_id->find('/');
    if (slash == std::string::npos) {
      return InvalidArgument("observation page cursor is malformed");
    }
    where.Add("(kind, key) > (?, ?)", page.after_id->substr(0, slash));
    where.params().emplace_back(page.after_id->substr(slash + 1));
  }
  const int page_size = std::clamp(page.limit, 1, kMaxObservationPageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ObservationRecord> rows,
      QueryRows(context_.connection,
                std::string("SELECT ") + kObservationColumns +
                    " FROM observations" + where.sql() +
                    " ORDER BY kind, key LIMIT ?",
                "list observations", &DecodeObservation, params));
  Page<ObservationRecord> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = rows.back().kind + "/" + rows.back().key;
  }
  result.items = std::move(rows);
  return result;
}

Result<int64_t> SqlObservationRepository::Count(
    const ObservationFilter& filter) {
  WhereClause where = ObservationWhere(filter);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> count,
      QueryFirst(
          context_.connection,
          "SELECT COUNT(*) FROM observations" + where.sql(),
          "count observations", [](const Statement& s) { return s.Int(0); },
          where.params()));
  return count.value_or(0);
}

Result<std::pair<int64_t, int64_t>> SqlObservationRepository::CountInventoried(
    const std::vector<std::string>& kinds, const IdentityFilter& scope) {
  std::string sql =
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.status IS NOT NULL AND "
      "i.status != 'draft' THEN 1 ELSE 0 END), 0) FROM observations o LEFT "
      "JOIN identities i ON i.id = "
      "o.identity_id WHERE o.state = 'present'";
  std::vector<SqlParam> params;
  std::string in;
  for (const std::string& kind : kinds) {
    in += in.empty() ? "?" : ", ?";
    params.emplace_back(kind);
  }
  if (!kinds.empty()) sql += " AND o.kind IN (" + in + ")";
  auto add = [&](const char* column, std::string value) {
    sql += std::string(" AND ") + column + " = ?";
    params.emplace_back(std::move(value));
  };
  if (scope.owner) add("i.owner", *scope.owner);
  if (scope.application) add("i.application", *scope.application);
  if (scope.environment)
    add("i.environment", std::string(Name(*scope.environment)));
  using Counts = std::pair<int64_t, int64_t>;
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<Counts> counts,
      QueryFirst(
          context_.connection, sql, "count inventoried observations",
          [](const Statement& s) {
            return Counts{s.Int(0), s.Int(1)};
          },
          params));
  return counts.value_or(Counts{0, 0});
}

Result<int64_t> SqlObservationRepository::MarkGone(std::string_view source,
                                                   std::string_view target,
                                                   Timestamp before) {
  const std::string context = "mark observations of " + std::string(source) +
                              " " + Quoted(target) + " gone";
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE observations SET state = 'gone' WHERE source = ? AND "
              "scan_target = ? AND last_seen_us < ? AND state = 'present'",
              context, source, target, ToMicros(before)));
  return int64_t{context_.connection.Changes()};
}

Result<Page<Identity>> SqlObservationRepository::ListMissing(
    const PageRequest& page) {
  SqlIdentityRepository identities(context_);
  const int page_size = std::clamp(page.limit, 1, kMaxObservationPageSize);
  std::vector<SqlParam> params;
  std::string sql = std::string("SELECT ") + kIdentityColumns +
                    " FROM identities WHERE " + kMissingCondition;
  if (page.after_id) {
    sql += " AND id > ?";
    params.emplace_back(*page.after_id);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<Identity> rows,
      QueryRows(
          context_.connection, sql, "list missing identities",
          [&identities](const Statement& s) { return identities.Decode(s); },
          params));
  Page<Identity> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<int64_t> SqlObservationRepository::CountMissing() {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> count,
      QueryFirst(context_.connection,
                 std::string("SELECT COUNT(*) FROM identities WHERE ") +
                     kMissingCondition,
                 "count missing identities",
                 [](const Statement& s) { return s.Int(0); }));
  return count.value_or(0);
}

Status SqlObservationRepository::PutScan(const ScanRunRecord& r) {
  const std::string context = "record scan " + Quoted(r.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(context_.connection,
                 UpsertSql("scan_runs", kScanColumns, "id"), context, r.id,
                 r.source, r.target, r.state, r.observations, r.issues,
                 r.issues_json, r.started_by, ToMicros(r.started_at),
                 OptionalMicros(r.finished_at));
}

Result<ScanRunRecord> SqlObservationRepository::GetScan(std::string_view id) {
  const std::string context = "get scan " + Quoted(id);
  WARDEN_ASSIGN_OR_RETURN(std::optional<ScanRunRecord> row,
                          QueryFirst(context_.connection,
                                     std::string("SELECT ") + kScanColumns +
                                         " FROM scan_runs WHERE id = ?",
                                     context, &DecodeScan, id));
  if (!row) return NotFound("scan " + Quoted(id) + " not found");
  return std::move(*row);
}

Result<std::vector<ScanRunRecord>> SqlObservationRepository::ListScans(
    int limit) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kScanColumns +
                       " FROM scan_runs ORDER BY id DESC LIMIT ?",
                   "list scans", &DecodeScan,
                   int64_t{std::clamp(limit, 1, kMaxObservationPageSize)});
}

}  // namespace warden::sql
