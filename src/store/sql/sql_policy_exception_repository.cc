#include "store/sql/sql_policy_exception_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

constexpr char kExceptionColumns[] =
    "id, identity_name, rule, justification, requested_by, approved_by, "
    "state, expires_at_us, created_at_us, decided_at_us";

// Binds every column but id, in kExceptionColumns order.
void BindMutableColumns(Statement& stmt, const PolicyException& e) {
  BindAll(stmt, e.identity_name, e.rule, e.justification, e.requested_by,
          e.approved_by, Name(e.state), ToMicros(e.expires_at),
          ToMicros(e.created_at), OptionalMicros(e.decided_at));
}

}  // namespace

Status SqlPolicyExceptionRepository::Insert(const PolicyException& e) {
  std::string context = "insert policy exception " + Quoted(e.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      std::string("INSERT INTO policy_exceptions (") + kExceptionColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      context, e.id, [&e](Statement& s) { BindMutableColumns(s, e); });
}

Status SqlPolicyExceptionRepository::Update(const PolicyException& e) {
  std::string context = "update policy exception " + Quoted(e.id);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(Execute(
      context_.connection,
      "UPDATE policy_exceptions SET identity_name = ?, rule = ?, "
      "justification = ?, requested_by = ?, approved_by = ?, state = ?, "
      "expires_at_us = ?, created_at_us = ?, decided_at_us = ? "
      "WHERE id = ?",
      context, [&e](Statement& s) { BindMutableColumns(s, e); }, e.id));
  return context_.RequireChanged("policy exception " + Quoted(e.id));
}

Result<PolicyException> SqlPolicyExceptionRepository::Get(std::string_view id) {
  std::string context = "get policy exception " + Quoted(id);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<PolicyException> exception,
      QueryFirst(
          context_.connection,
          std::string("SELECT ") + kExceptionColumns +
              " FROM policy_exceptions WHERE id = ?",
          context, [this](const Statement& s) { return Decode(s); }, id));
  if (!exception) {
    return NotFound("policy exception " + Quoted(id) + " not found");
  }
  return std::move(*exception);
}

Result<std::vector<PolicyException>> SqlPolicyExceptionRepository::List(
    std::string_view identity_name) {
  constexpr char kContext[] = "list policy exceptions";
  std::string sql =
      std::string("SELECT ") + kExceptionColumns + " FROM policy_exceptions";
  if (!identity_name.empty()) sql += " WHERE identity_name = ?";
  sql += " ORDER BY created_at_us, id";
  return QueryRows(
      context_.connection, sql, kContext,
      [this](const Statement& s) { return Decode(s); },
      [identity_name](Statement& s) {
        if (!identity_name.empty()) s.Bind(identity_name);
      });
}

Result<PolicyException> SqlPolicyExceptionRepository::Decode(
    const Statement& s) const {
  PolicyException e;
  e.id = s.Text(0);
  e.identity_name = s.Text(1);
  e.rule = s.Text(2);
  e.justification = s.Text(3);
  e.requested_by = s.Text(4);
  e.approved_by = s.Text(5);
  WARDEN_ASSIGN_OR_RETURN(
      e.state,
      context_.Decode(s, 6, "policy_exceptions.state", ParseExceptionState));
  e.expires_at = FromMicros(s.Int(7));
  e.created_at = FromMicros(s.Int(8));
  e.decided_at = OptionalTimestamp(s.OptionalInt(9));
  return e;
}

}  // namespace warden::sql
