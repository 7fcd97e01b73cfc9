// The JSON form of an approval request (GET /v1/approvals, the 202 answer
// of a change held for approval). Pure; any thread.
#ifndef WARDEN_API_APPROVAL_JSON_H_
#define WARDEN_API_APPROVAL_JSON_H_

#include <boost/json/object.hpp>

#include "approvals/approval_engine.h"

namespace warden::api {

// id, kind, state, release_id, tenant, identity, stage, subject (object),
// requester, approver_role, approver, reason, ticket, created_at,
// expires_at, decision ({by, at, reason} or null), context (object: the
// kind's description). Empty text fields are null; stage is null unless
// the kind is stage_advance.
boost::json::object ToJson(const approvals::ApprovalView& view);

}  // namespace warden::api

#endif  // WARDEN_API_APPROVAL_JSON_H_
