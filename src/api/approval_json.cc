#include "api/approval_json.h"

#include <boost/json/parse.hpp>

#include "api/route_glue.h"
#include "core/time_format.h"

namespace warden::api {
namespace {

// Stored JSON texts were checked when written; a damaged one shows as {}
// rather than failing the whole list.
boost::json::value ObjectOrEmpty(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return boost::json::object{};
  return value;
}

boost::json::value Decision(const ApprovalRecord& a) {
  if (!a.decided_at.has_value()) return nullptr;
  return boost::json::object{{"by", a.decided_by},
                             {"at", FormatRfc3339(*a.decided_at)},
                             {"reason", a.decision_reason}};
}

}  // namespace

boost::json::object ToJson(const approvals::ApprovalView& view) {
  const ApprovalRecord& a = view.record;
  boost::json::object json;
  json["id"] = a.id;
  json["kind"] = a.kind;
  json["state"] = a.state;
  json["release_id"] = EmptyAsNull(a.release_id);
  json["tenant"] = EmptyAsNull(a.tenant_key);
  json["identity"] = EmptyAsNull(a.identity_id);
  json["stage"] = a.kind == approvals::kKindStageAdvance
                      ? boost::json::value(a.stage)
                      : boost::json::value(nullptr);
  json["subject"] = ObjectOrEmpty(a.subject_json);
  json["requester"] = a.requester;
  json["approver_role"] = a.approver_role;
  json["approver"] = EmptyAsNull(a.approver);
  json["reason"] = a.reason;
  json["ticket"] = EmptyAsNull(a.ticket);
  json["created_at"] = FormatRfc3339(a.created_at);
  json["expires_at"] = FormatRfc3339(a.expires_at);
  json["decision"] = Decision(a);
  json["context"] = ObjectOrEmpty(view.context_json);
  return json;
}

}  // namespace warden::api
