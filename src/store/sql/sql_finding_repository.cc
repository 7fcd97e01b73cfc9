#include "store/sql/sql_finding_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/query.h"
#include "store/sql/string_list_column.h"
#include "store/sql/where_clause.h"

namespace warden::sql {
namespace {

constexpr char kFindingColumns[] =
    "f.id, f.fingerprint, f.rule, f.severity, f.subject_key, f.identity_id, "
    "f.subject, f.owner, f.owasp, f.csf, f.evidence, f.remediation, f.state, "
    "f.ack_reason, f.ack_by, f.ack_expires_at_us, f.first_seen_us, "
    "f.last_seen_us, f.resolved_at_us, f.version";

std::string FindingName(std::string_view id) {
  return "finding '" + std::string(id) + "'";
}

// Binds every column but id and version, in kFindingColumns order.
void BindMutableColumns(Statement& stmt, const FindingRecord& f) {
  BindAll(stmt, f.fingerprint, f.rule, f.severity, f.subject_key, f.identity_id,
          f.subject, f.owner, f.owasp, EncodeStringList(f.csf), f.evidence_json,
          f.remediation, f.state, f.ack_reason, f.ack_by,
          OptionalMicros(f.ack_expires_at), ToMicros(f.first_seen),
          ToMicros(f.last_seen), OptionalMicros(f.resolved_at));
}

Result<FindingRecord> Decode(const Statement& s) {
  FindingRecord f;
  f.id = s.Text(0);
  f.fingerprint = s.Text(1);
  f.rule = s.Text(2);
  f.severity = s.Text(3);
  f.subject_key = s.Text(4);
  f.identity_id = s.Text(5);
  f.subject = s.Text(6);
  f.owner = s.Text(7);
  f.owasp = s.Text(8);
  auto csf = DecodeStringList(s.Text(9));
  if (!csf) return Internal("corrupt row: findings.csf = '" + s.Text(9) + "'");
  f.csf = std::move(*csf);
  f.evidence_json = s.Text(10);
  f.remediation = s.Text(11);
  f.state = s.Text(12);
  f.ack_reason = s.Text(13);
  f.ack_by = s.Text(14);
  f.ack_expires_at = OptionalTimestamp(s.OptionalInt(15));
  f.first_seen = FromMicros(s.Int(16));
  f.last_seen = FromMicros(s.Int(17));
  f.resolved_at = OptionalTimestamp(s.OptionalInt(18));
  f.version = s.Int(19);
  return f;
}

// The filters on f (and on the identity i when application or environment
// are set: the caller then joins identities).
WhereClause FindingWhere(const FindingFilter& filter) {
  WhereClause where;
  where.AddTextIfSet("f.rule", filter.rule);
  where.AddTextIfSet("f.severity", filter.severity);
  where.AddTextIfSet("f.owner", filter.owner);
  where.AddTextIfSet("f.owasp", filter.owasp);
  where.AddTextIfSet("f.identity_id", filter.identity_id);
  if (filter.state == "unresolved") {
    where.Add("f.state != ?", std::string("resolved"));
  } else {
    where.AddTextIfSet("f.state", filter.state);
  }
  where.AddTextIfSet("i.application", filter.application);
  if (filter.environment) {
    where.AddText("i.environment", Name(*filter.environment));
  }
  return where;
}

std::string FindingSource(const FindingFilter& filter) {
  if (filter.application.empty() && !filter.environment) {
    return " FROM findings f";
  }
  return " FROM findings f JOIN identities i ON i.id = f.identity_id";
}

}  // namespace

Status SqlFindingRepository::Insert(const FindingRecord& finding) {
  const std::string context = "insert " + FindingName(finding.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      "INSERT INTO findings (id, fingerprint, rule, severity, subject_key, "
      "identity_id, subject, owner, owasp, csf, evidence, remediation, state, "
      "ack_reason, ack_by, ack_expires_at_us, first_seen_us, last_seen_us, "
      "resolved_at_us, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?)",
      context, finding.id,
      [&finding](Statement& s) { BindMutableColumns(s, finding); },
      finding.version);
}

Status SqlFindingRepository::Update(const FindingRecord& finding) {
  const std::string context = "update " + FindingName(finding.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE findings SET fingerprint = ?, rule = ?, severity = ?, "
      "subject_key = ?, identity_id = ?, subject = ?, owner = ?, owasp = ?, "
      "csf = ?, evidence = ?, remediation = ?, state = ?, ack_reason = ?, "
      "ack_by = ?, ack_expires_at_us = ?, first_seen_us = ?, "
      "last_seen_us = ?, resolved_at_us = ?, version = ? "
      "WHERE id = ? AND version = ?",
      context, [&finding](Statement& s) { BindMutableColumns(s, finding); },
      finding.version, finding.id, finding.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(FindingRecord stored, Get(finding.id));
  return FailedPrecondition(FindingName(finding.id) + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(finding.version - 1),
                            "version-conflict");
}

Result<FindingRecord> SqlFindingRepository::Get(std::string_view id) {
  const std::string context = "get " + FindingName(id);
  WARDEN_ASSIGN_OR_RETURN(std::optional<FindingRecord> finding,
                          QueryFirst(context_.connection,
                                     std::string("SELECT ") + kFindingColumns +
                                         " FROM findings f WHERE f.id = ?",
                                     context, &Decode, id));
  if (!finding) return NotFound(FindingName(id) + " not found");
  return std::move(*finding);
}

Result<Page<FindingRecord>> SqlFindingRepository::List(
    const FindingFilter& filter, const PageRequest& page) {
  WhereClause where = FindingWhere(filter);
  if (page.after_id) where.Add("f.id < ?", *page.after_id);
  const int page_size = std::clamp(page.limit, 1, kMaxFindingPageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(std::vector<FindingRecord> rows,
                          QueryRows(context_.connection,
                                    std::string("SELECT ") + kFindingColumns +
                                        FindingSource(filter) + where.sql() +
                                        " ORDER BY f.id DESC LIMIT ?",
                                    "list findings", &Decode, params));
  Page<FindingRecord> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<std::vector<FindingRecord>> SqlFindingRepository::ListBySubjectBetween(
    std::string_view after_key, std::string_view last_key) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kFindingColumns +
                       " FROM findings f WHERE f.subject_key > ? AND "
                       "f.subject_key <= ? ORDER BY f.subject_key, f.rule",
                   "list findings in a subject range", &Decode, after_key,
                   last_key);
}

Result<std::vector<FindingCount>> SqlFindingRepository::Count(
    const FindingFilter& filter) {
  WhereClause where = FindingWhere(filter);
  return QueryRows(
      context_.connection,
      "SELECT f.rule, f.severity, f.owner, f.owasp, f.state, COUNT(*)" +
          FindingSource(filter) + where.sql() +
          " GROUP BY f.rule, f.severity, f.owner, f.owasp, f.state",
      "count findings",
      [](const Statement& s) {
        return FindingCount{s.Text(0), s.Text(1), s.Text(2),
                            s.Text(3), s.Text(4), s.Int(5)};
      },
      where.params());
}

}  // namespace warden::sql
