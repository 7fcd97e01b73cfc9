// JSON wire forms of Warden's resources, both directions.
//
// To JSON: field names follow DESIGN.md ("Identity JSON fields"), plus
// `risk_reason`, `risk_tier_declared`, `status_reason` and `version`.
// Timestamps are RFC 3339 UTC; absent optional values are null. Secrets and
// secret hashes are never written.
//
// From JSON: strict (see json_reader.h): unknown fields, wrong types and
// missing required fields are kInvalidArgument with a stable problem slug.
// Semantic validation (lengths, scope syntax, policy) stays in the services.
#ifndef WARDEN_API_RESOURCE_JSON_H_
#define WARDEN_API_RESOURCE_JSON_H_

#include <boost/json/object.hpp>
#include <string>

#include "core/api_token.h"
#include "core/audit_record.h"
#include "core/identity.h"
#include "core/policy_exception.h"
#include "core/team.h"
#include "http/json_reader.h"
#include "inventory/access_service.h"
#include "inventory/inventory_service.h"

namespace warden::api {

boost::json::object ToJson(const Identity& identity);
boost::json::object ToJson(const Team& team);
boost::json::object ToJson(const User& user);
boost::json::object ToJson(const ApiToken& token);
boost::json::object ToJson(const PolicyException& exception);
// `details` is embedded as a JSON object when it parses as one.
boost::json::object ToJson(const AuditRecord& record);

// {"name", "members"?}
Result<Team> TeamFromJson(const boost::json::object& json);
// {"members"} (and optionally "name", which must equal `name`).
Result<std::vector<std::string>> TeamMembersFromJson(
    const boost::json::object& json, std::string_view name);
// Required: name, kind, owner, environment, expires_at.
Result<inventory::IdentityDraft> IdentityDraftFromJson(
    const boost::json::object& json);
// Every field optional; "risk_tier": null returns to the derived tier.
Result<inventory::IdentityPatch> IdentityPatchFromJson(
    const boost::json::object& json);
// {"reason"}: for suspend/resume/revoke (may be empty for resume), and
// required where a reason must be given (revoking a certificate, lifting
// an exposure limit).
Result<std::string> ReasonFromJson(const boost::json::object& json,
                                   Presence presence = Presence::kOptional);
// {"identity_name", "rule", "justification", "expires_at"}.
Result<PolicyException> ExceptionRequestFromJson(
    const boost::json::object& json);
// {"name", "email"?, "role", "team"?}.
Result<User> UserFromJson(const boost::json::object& json);
// {"user"?, "role"?, "team"?, "environment"?, "tenant"?, "description"?,
//  "ttl"? ("90d", "12h" ...)}.
Result<inventory::TokenRequest> TokenRequestFromJson(
    const boost::json::object& json);

}  // namespace warden::api

#endif  // WARDEN_API_RESOURCE_JSON_H_
