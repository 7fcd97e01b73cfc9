#include "store/sql/sql_release_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/query.h"
#include "store/sql/string_list_column.h"
#include "store/sql/where_clause.h"

namespace warden::sql {
namespace {

constexpr char kReleaseColumns[] =
    "id, service, service_version, environment, owner, risk_tier, "
    "risk_tier_declared, risk_reason, flags, identities, integrations, "
    "notes, plan, stage, stage_entered_at_us, state, state_reason, "
    "next_advance_at_us, runbook, runbook_dry_run_at_us, created_by, "
    "created_at_us, updated_at_us, version";

// kReleaseColumns qualified, for queries that join a dependency table.
constexpr char kQualifiedReleaseColumns[] =
    "releases.id, releases.service, releases.service_version, "
    "releases.environment, releases.owner, releases.risk_tier, "
    "releases.risk_tier_declared, releases.risk_reason, releases.flags, "
    "releases.identities, releases.integrations, releases.notes, "
    "releases.plan, releases.stage, releases.stage_entered_at_us, "
    "releases.state, releases.state_reason, releases.next_advance_at_us, "
    "releases.runbook, releases.runbook_dry_run_at_us, "
    "releases.created_by, releases.created_at_us, releases.updated_at_us, "
    "releases.version";

std::string ReleaseName(std::string_view id) {
  return "release '" + std::string(id) + "'";
}

// Binds every column but id and version, in kReleaseColumns order.
void BindMutableColumns(Statement& stmt, const ReleaseRecord& r) {
  BindAll(stmt, r.service, r.service_version, Name(r.environment), r.owner,
          Name(r.risk_tier), int64_t{r.risk_tier_declared ? 1 : 0},
          r.risk_reason, EncodeStringList(r.flags),
          EncodeStringList(r.identities), EncodeStringList(r.integrations),
          r.notes_json, r.plan_json, r.stage, ToMicros(r.stage_entered_at),
          r.state, r.state_reason, OptionalMicros(r.next_advance_at),
          r.runbook_json, OptionalMicros(r.runbook_dry_run_at), r.created_by,
          ToMicros(r.created_at), ToMicros(r.updated_at));
}

}  // namespace

Status SqlReleaseRepository::Insert(const ReleaseRecord& release) {
  context_.NoteChanged(ChangeKey::Exposure("gates"));
  const std::string context = "insert " + ReleaseName(release.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      std::string("INSERT INTO releases (") + kReleaseColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?)",
      context, release.id,
      [&release](Statement& s) { BindMutableColumns(s, release); },
      release.version));
  return InsertDependencies(release);
}

Status SqlReleaseRepository::InsertDependencies(const ReleaseRecord& release) {
  const std::string context =
      "insert dependencies of " + ReleaseName(release.id);
  for (const std::string& flag : release.flags) {
    WARDEN_RETURN_IF_ERROR(
        Execute(context_.connection,
                "INSERT INTO release_flags (flag_key, release_id, environment) "
                "VALUES (?, ?, ?)",
                context, flag, release.id, Name(release.environment)));
  }
  for (const std::string& identity : release.identities) {
    WARDEN_RETURN_IF_ERROR(
        Execute(context_.connection,
                "INSERT INTO release_identities (identity_id, release_id) "
                "VALUES (?, ?)",
                context, identity, release.id));
  }
  for (const std::string& integration : release.integrations) {
    WARDEN_RETURN_IF_ERROR(
        Execute(context_.connection,
                "INSERT INTO release_integrations (integration, release_id) "
                "VALUES (?, ?)",
                context, integration, release.id));
  }
  return Status::Ok();
}

Status SqlReleaseRepository::Update(const ReleaseRecord& release) {
  context_.NoteChanged(ChangeKey::Exposure("gates"));
  const std::string context = "update " + ReleaseName(release.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE releases SET service = ?, service_version = ?, environment = "
      "?, owner = ?, risk_tier = ?, risk_tier_declared = ?, risk_reason = "
      "?, flags = ?, identities = ?, integrations = ?, notes = ?, plan = "
      "?, stage = ?, stage_entered_at_us = ?, state = ?, state_reason = ?, "
      "next_advance_at_us = ?, runbook = ?, runbook_dry_run_at_us = ?, "
      "created_by = ?, created_at_us = ?, updated_at_us = ?, version = ? "
      "WHERE id = ? AND version = ?",
      context, [&release](Statement& s) { BindMutableColumns(s, release); },
      release.version, release.id, release.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(ReleaseRecord stored, Get(release.id));
  return FailedPrecondition(ReleaseName(release.id) + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(release.version - 1),
                            "version-conflict");
}

Result<ReleaseRecord> SqlReleaseRepository::Get(std::string_view id) {
  const std::string context = "get " + ReleaseName(id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<ReleaseRecord> release,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kReleaseColumns +
              " FROM releases WHERE id = ?",
          context, [this](const Statement& s) { return Decode(s); }, id));
  if (!release) return NotFound(ReleaseName(id) + " not found");
  return std::move(*release);
}

Result<Page<ReleaseRecord>> SqlReleaseRepository::List(
    const ReleaseFilter& filter, const PageRequest& page) {
  // A reverse-view filter starts from its dependency index; the others
  // filter the releases it yields.
  // With a reverse-view filter, the dependency table's primary key
  // (value, release_id) drives the scan in release order: ordering and
  // paging on d.release_id lets SQLite read just the page from that index
  // instead of walking every release and probing it.
  std::string from = " FROM releases";
  std::string order_column = "releases.id";
  WhereClause where;
  auto join = [&](const char* table, const char* column,
                  const std::string& value) {
    from = std::string(" FROM ") + table +
           " d JOIN releases ON releases.id = d.release_id";
    order_column = "d.release_id";
    where.AddText(std::string("d.") + column, value);
  };
  if (!filter.flag.empty()) {
    join("release_flags", "flag_key", filter.flag);
  } else if (!filter.identity_id.empty()) {
    join("release_identities", "identity_id", filter.identity_id);
  } else if (!filter.integration.empty()) {
    join("release_integrations", "integration", filter.integration);
  }
  where.AddTextIfSet("releases.service", filter.service);
  where.AddTextIfSet("releases.owner", filter.owner);
  where.AddTextIfSet("releases.state", filter.state);
  if (filter.environment) {
    where.AddText("releases.environment", Name(*filter.environment));
  }
  if (page.after_id) where.Add(order_column + " < ?", *page.after_id);
  const int page_size = std::clamp(page.limit, 1, kMaxReleasePageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ReleaseRecord> rows,
      QueryRows(
          context_.connection,
          std::string("SELECT ") + kQualifiedReleaseColumns + from +
              where.sql() + " ORDER BY " + order_column + " DESC LIMIT ?",
          "list releases", [this](const Statement& s) { return Decode(s); },
          params));
  Page<ReleaseRecord> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<std::vector<std::pair<std::string, std::string>>>
SqlReleaseRepository::GoverningReleases(Environment environment) {
  return QueryRows(
      context_.connection,
      "SELECT flag_key, MAX(release_id) FROM release_flags "
      "WHERE environment = ? GROUP BY flag_key ORDER BY flag_key",
      "list governing releases",
      [](const Statement& s) { return std::make_pair(s.Text(0), s.Text(1)); },
      Name(environment));
}

Result<std::vector<ReleaseRecord>> SqlReleaseRepository::ListDue(Timestamp now,
                                                                 int limit) {
  return QueryRows(
      context_.connection,
      std::string("SELECT ") + kReleaseColumns +
          " FROM releases WHERE next_advance_at_us IS NOT NULL AND "
          "next_advance_at_us <= ? AND state = 'active' "
          "ORDER BY next_advance_at_us LIMIT ?",
      "list releases due to advance",
      [this](const Statement& s) { return Decode(s); }, ToMicros(now),
      int64_t{limit});
}

Status SqlReleaseRepository::PutSignal(const SignalRecord& signal) {
  const std::string context =
      "record signal " + signal.name + " of " + ReleaseName(signal.release_id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      "INSERT INTO release_signals (release_id, name, value, source, "
      "observed_at_us) VALUES (?, ?, ?, ?, ?) ON CONFLICT (release_id, name) "
      "DO UPDATE SET value = excluded.value, source = excluded.source, "
      "observed_at_us = excluded.observed_at_us",
      context, signal.release_id, signal.name,
      [&signal](Statement& s) { s.BindReal(signal.value); }, signal.source,
      ToMicros(signal.observed_at));
}

Result<std::vector<SignalRecord>> SqlReleaseRepository::ListSignals(
    std::string_view release_id) {
  return QueryRows(
      context_.connection,
      "SELECT release_id, name, value, source, observed_at_us "
      "FROM release_signals WHERE release_id = ? ORDER BY name",
      "list signals of " + ReleaseName(release_id),
      [](const Statement& s) {
        SignalRecord signal;
        signal.release_id = s.Text(0);
        signal.name = s.Text(1);
        signal.value = s.Real(2);
        signal.source = s.Text(3);
        signal.observed_at = FromMicros(s.Int(4));
        return signal;
      },
      release_id);
}

Result<ReleaseRecord> SqlReleaseRepository::Decode(const Statement& s) const {
  ReleaseRecord r;
  r.id = s.Text(0);
  r.service = s.Text(1);
  r.service_version = s.Text(2);
  WARDEN_ASSIGN_OR_RETURN(
      r.environment,
      context_.Decode(s, 3, "releases.environment", &ParseEnvironment));
  r.owner = s.Text(4);
  WARDEN_ASSIGN_OR_RETURN(
      r.risk_tier, context_.Decode(s, 5, "releases.risk_tier", &ParseRiskTier));
  r.risk_tier_declared = s.Int(6) != 0;
  r.risk_reason = s.Text(7);
  const std::pair<std::vector<std::string>*, const char*> lists[] = {
      {&r.flags, "releases.flags"},
      {&r.identities, "releases.identities"},
      {&r.integrations, "releases.integrations"}};
  int column = 8;
  for (const auto& [list, name] : lists) {
    auto decoded = DecodeStringList(s.Text(column));
    if (!decoded) return context_.Corrupt(name, s.Text(column));
    *list = std::move(*decoded);
    ++column;
  }
  r.notes_json = s.Text(11);
  r.plan_json = s.Text(12);
  r.stage = s.Int(13);
  r.stage_entered_at = FromMicros(s.Int(14));
  r.state = s.Text(15);
  r.state_reason = s.Text(16);
  r.next_advance_at = OptionalTimestamp(s.OptionalInt(17));
  r.runbook_json = s.Text(18);
  r.runbook_dry_run_at = OptionalTimestamp(s.OptionalInt(19));
  r.created_by = s.Text(20);
  r.created_at = FromMicros(s.Int(21));
  r.updated_at = FromMicros(s.Int(22));
  r.version = s.Int(23);
  return r;
}

}  // namespace warden::sql
