#include "store/sql/sql_approval_repository.h"

#include <algorithm>
#include <string>

#include "store/sql/query.h"
#include "store/sql/where_clause.h"

namespace warden::sql {
namespace {

constexpr char kApprovalColumns[] =
    "id, kind, state, release_id, tenant_key, identity_id, stage, subject, "
    "requester, requester_user, approver_role, approver, reason, ticket, "
    "created_at_us, expires_at_us, decided_by, decided_at_us, "
    "decision_reason, version";

std::string ApprovalName(std::string_view id) {
  return "approval '" + std::string(id) + "'";
}

// Binds every column but id and version, in kApprovalColumns order.
void BindMutableColumns(Statement& stmt, const ApprovalRecord& a) {
  BindAll(stmt, a.kind, a.state, a.release_id, a.tenant_key, a.identity_id,
          a.stage, a.subject_json, a.requester, a.requester_user,
          a.approver_role, a.approver, a.reason, a.ticket,
          ToMicros(a.created_at), ToMicros(a.expires_at), a.decided_by,
          OptionalMicros(a.decided_at), a.decision_reason);
}

}  // namespace

Status SqlApprovalRepository::Insert(const ApprovalRecord& approval) {
  const std::string context = "insert " + ApprovalName(approval.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      std::string("INSERT INTO approvals (") + kApprovalColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?)",
      context, approval.id,
      [&approval](Statement& s) { BindMutableColumns(s, approval); },
      approval.version);
}

Status SqlApprovalRepository::Update(const ApprovalRecord& approval) {
  const std::string context = "update " + ApprovalName(approval.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE approvals SET kind = ?, state = ?, release_id = ?, "
      "tenant_key = ?, identity_id = ?, stage = ?, subject = ?, "
      "requester = ?, requester_user = ?, approver_role = ?, approver = ?, "
      "reason = ?, ticket = ?, created_at_us = ?, expires_at_us = ?, "
      "decided_by = ?, decided_at_us = ?, decision_reason = ?, version = ? "
      "WHERE id = ? AND version = ?",
      context, [&approval](Statement& s) { BindMutableColumns(s, approval); },
      approval.version, approval.id, approval.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(ApprovalRecord stored, Get(approval.id));
  return FailedPrecondition(ApprovalName(approval.id) + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(approval.version - 1),
                            "version-conflict");
}

Result<ApprovalRecord> SqlApprovalRepository::Get(std::string_view id) {
  const std::string context = "get " + ApprovalName(id);
  WARDEN_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> approval,
                          QueryFirst(context_.connection,
                                     std::string("SELECT ") + kApprovalColumns +
                                         " FROM approvals WHERE id = ?",
                                     context, &Decode, id));
  if (!approval) return NotFound(ApprovalName(id) + " not found");
  return std::move(*approval);
}

Result<Page<ApprovalRecord>> SqlApprovalRepository::List(
    const ApprovalFilter& filter, const PageRequest& page) {
  WhereClause where;
  where.AddTextIfSet("state", filter.state);
  where.AddTextIfSet("kind", filter.kind);
  where.AddTextIfSet("approver_role", filter.approver_role);
  where.AddTextIfSet("approver", filter.approver);
  if (filter.unassigned) where.AddText("approver", "");
  where.AddTextIfSet("requester", filter.requester);
  where.AddTextIfSet("release_id", filter.release_id);
  where.AddTextIfSet("tenant_key", filter.tenant_key);
  where.AddTextIfSet("identity_id", filter.identity_id);
  if (page.after_id) where.Add("id < ?", *page.after_id);
  const int page_size = std::clamp(page.limit, 1, kMaxApprovalPageSize);
  std::vector<SqlParam> params = std::move(where.params());
  params.emplace_back(int64_t{page_size + 1});
  WARDEN_ASSIGN_OR_RETURN(
      std::vector<ApprovalRecord> rows,
      QueryRows(context_.connection,
                std::string("SELECT ") + kApprovalColumns + " FROM approvals" +
                    where.sql() + " ORDER BY id DESC LIMIT ?",
                "list approvals", &Decode, params));
  Page<ApprovalRecord> result;
  if (rows.size() > static_cast<size_t>(page_size)) {
    rows.resize(page_size);
    result.next_after_id = rows.back().id;
  }
  result.items = std::move(rows);
  return result;
}

Result<std::vector<ApprovalRecord>> SqlApprovalRepository::ListExpired(
    Timestamp now, int limit) {
  return QueryRows(context_.connection,
                   std::string("SELECT ") + kApprovalColumns +
                       " FROM approvals WHERE state = 'pending' AND "
                       "expires_at_us <= ? ORDER BY expires_at_us LIMIT ?",
                   "list expired approvals", &Decode, ToMicros(now),
                   int64_t{limit});
}

ApprovalRecord SqlApprovalRepository::Decode(const Statement& s) {
  ApprovalRecord a;
  a.id = s.Text(0);
  a.kind = s.Text(1);
  a.state = s.Text(2);
  a.release_id = s.Text(3);
  a.tenant_key = s.Text(4);
  a.identity_id = s.Text(5);
  a.stage = s.Int(6);
  a.subject_json = s.Text(7);
  a.requester = s.Text(8);
  a.requester_user = s.Text(9);
  a.approver_role = s.Text(10);
  a.approver = s.Text(11);
  a.reason = s.Text(12);
  a.ticket = s.Text(13);
  a.created_at = FromMicros(s.Int(14));
  a.expires_at = FromMicros(s.Int(15));
  a.decided_by = s.Text(16);
  a.decided_at = OptionalTimestamp(s.OptionalInt(17));
  a.decision_reason = s.Text(18);
  a.version = s.Int(19);
  return a;
}

}  // namespace warden::sql
