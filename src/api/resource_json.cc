#include "api/resource_json.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "api/route_glue.h"
#include "core/audit_record_json.h"
#include "core/time_format.h"
#include "http/json_reader.h"

namespace warden::api {
namespace {

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const std::string& item : items) array.emplace_back(item);
  return array;
}

template <typename T>
Result<T> Finished(const JsonObjectReader& reader, T value) {
  Status status = reader.Finish();
  if (!status.ok()) return status;
  return value;
}

}  // namespace

boost::json::object ToJson(const Identity& identity) {
  boost::json::object json;
  json["id"] = identity.id;
  json["name"] = identity.name;
  json["kind"] = Name(identity.kind);
  json["owner"] = identity.owner;
  json["application"] = identity.application;
  json["environment"] = Name(identity.environment);
  json["business_function"] = identity.business_function;
  json["risk_tier"] = Name(identity.risk_tier);
  json["risk_tier_declared"] = identity.risk_tier_declared;
  json["risk_reason"] = identity.risk_reason;
  json["auth_method"] = identity.auth_method;
  json["scopes"] = Strings(identity.scopes);
  json["rotation_days"] = identity.rotation_days
                              ? boost::json::value(*identity.rotation_days)
                              : boost::json::value(nullptr);
  json["expires_at"] = FormatRfc3339(identity.expires_at);
  json["justification"] = identity.justification;
  json["vendor"] = identity.vendor;
  json["tenant"] = identity.tenant;
  json["external_id"] = identity.external_id;
  json["sponsor"] = identity.sponsor;
  json["task_scope"] = identity.task_scope;
  json["status"] = Name(identity.status);
  json["status_reason"] = identity.status_reason;
  json["created_at"] = FormatRfc3339(identity.created_at);
  json["updated_at"] = FormatRfc3339(identity.updated_at);
  json["last_used_at"] = TimeOrNull(identity.last_used_at);
  json["version"] = identity.version;
  return json;
}

boost::json::object ToJson(const Team& team) {
  boost::json::object json;
  json["name"] = team.name;
  json["members"] = Strings(team.members);
  json["created_at"] = FormatRfc3339(team.created_at);
  json["updated_at"] = FormatRfc3339(team.updated_at);
  return json;
}

boost::json::object ToJson(const User& user) {
  boost::json::object json;
  json["name"] = user.name;
  json["email"] = user.email;
  json["role"] = Name(user.role);
  json["team"] = EmptyAsNull(user.team);
  json["disabled"] = user.disabled;
  json["created_at"] = FormatRfc3339(user.created_at);
  json["updated_at"] = FormatRfc3339(user.updated_at);
  return json;
}

boost::json::object ToJson(const ApiToken& token) {
  boost::json::object json;
  json["id"] = token.id;
  json["user"] = EmptyAsNull(token.user);
  json["role"] = Name(token.role);
  json["team"] = EmptyAsNull(token.team);
  json["environment"] = token.environment
                            ? boost::json::value(Name(*token.environment))
                            : boost::json::value(nullptr);
  json["tenant"] = EmptyAsNull(token.tenant);
  json["description"] = token.description;
  json["created_by"] = token.created_by;
  json["created_at"] = FormatRfc3339(token.created_at);
  json["expires_at"] = FormatRfc3339(token.expires_at);
  json["revoked_at"] = TimeOrNull(token.revoked_at);
  json["last_used_at"] = TimeOrNull(token.last_used_at);
  return json;
}

boost::json::object ToJson(const PolicyException& exception) {
  boost::json::object json;
  json["id"] = exception.id;
  json["identity_name"] = exception.identity_name;
  json["rule"] = exception.rule;
  json["justification"] = exception.justification;
  json["requested_by"] = exception.requested_by;
  json["approved_by"] = EmptyAsNull(exception.approved_by);
  json["state"] = Name(exception.state);
  json["expires_at"] = FormatRfc3339(exception.expires_at);
  json["created_at"] = FormatRfc3339(exception.created_at);
  json["decided_at"] = TimeOrNull(exception.decided_at);
  return json;
}

boost::json::object ToJson(const AuditRecord& record) {
  return AuditRecordObject(record);
}

Result<Team> TeamFromJson(const boost::json::object& json) {
  JsonObjectReader reader(json);
  Team team;
  reader.String("name", &team.name, Presence::kRequired);
  reader.StringArray("members", &team.members);
  return Finished(reader, std::move(team));
}

Result<std::vector<std::string>> TeamMembersFromJson(
    const boost::json::object& json, std::string_view name) {
  JsonObjectReader reader(json);
  std::vector<std::string> members;
  std::string body_name;
  reader.String("name", &body_name);
  reader.StringArray("members", &members, Presence::kRequired);
  if (!body_name.empty() && body_name != name) {
    reader.Fail(InvalidArgument(
        "name \"" + body_name.substr(0, 64) + "\" does not match the path",
        "invalid-value"));
  }
  return Finished(reader, std::move(members));
}

Result<inventory::IdentityDraft> IdentityDraftFromJson(
    const boost::json::object& json) {
  JsonObjectReader reader(json);
  inventory::IdentityDraft draft;
  Identity& identity = draft.identity;
  std::optional<IdentityKind> kind;
  std::optional<Environment> environment;
  std::optional<int64_t> rotation_days;
  std::optional<Timestamp> expires_at;
  reader.String("name", &identity.name, Presence::kRequired);
  reader.Enum("kind", &kind, &ParseIdentityKind, &AllowedIdentityKinds,
              Presence::kRequired);
  reader.String("owner", &identity.owner, Presence::kRequired);
  reader.String("application", &identity.application);
  reader.Enum("environment", &environment, &ParseEnvironment,
              &AllowedEnvironments, Presence::kRequired);
  reader.String("business_function", &identity.business_function);
  reader.Enum("risk_tier", &draft.declared_risk_tier, &ParseRiskTier,
              &AllowedRiskTiers);
  reader.String("auth_method", &identity.auth_method);
  reader.StringArray("scopes", &identity.scopes);
  reader.Int("rotation_days", &rotation_days);
  reader.Time("expires_at", &expires_at, Presence::kRequired);
  reader.String("justification", &identity.justification);
  reader.String("vendor", &identity.vendor);
  reader.String("tenant", &identity.tenant);
  reader.String("external_id", &identity.external_id);
  reader.String("sponsor", &identity.sponsor);
  reader.String("task_scope", &identity.task_scope);
  reader.Bool("interactive", &draft.interactive);
  reader.String("ticket", &draft.ticket);
  if (rotation_days && (*rotation_days < 0 || *rotation_days > 100000)) {
    reader.Fail(
        InvalidArgument("rotation_days is out of range", "invalid-value"));
  }
  if (kind) identity.kind = *kind;
  if (environment) identity.environment = *environment;
  if (rotation_days) identity.rotation_days = static_cast<int>(*rotation_days);
  if (expires_at) identity.expires_at = *expires_at;
  return Finished(reader, std::move(draft));
}

Result<inventory::IdentityPatch> IdentityPatchFromJson(
    const boost::json::object& json) {
  JsonObjectReader reader(json);
  inventory::IdentityPatch patch;
  std::optional<int64_t> rotation_days;
  reader.String("owner", &patch.owner);
  reader.String("application", &patch.application);
  reader.String("business_function", &patch.business_function);
  patch.clear_declared_risk_tier = reader.IsNull("risk_tier");
  reader.Enum("risk_tier", &patch.risk_tier, &ParseRiskTier, &AllowedRiskTiers);
  reader.String("auth_method", &patch.auth_method);
  reader.StringArray("scopes", &patch.scopes);
  reader.Int("rotation_days", &rotation_days);
  reader.Time("expires_at", &patch.expires_at);
  reader.String("justification", &patch.justification);
  reader.String("vendor", &patch.vendor);
  reader.String("tenant", &patch.tenant);
  reader.String("external_id", &patch.external_id);
  reader.String("sponsor", &patch.sponsor);
  reader.String("task_scope", &patch.task_scope);
  reader.String("ticket", &patch.ticket);
  if (rotation_days && (*rotation_days < 0 || *rotation_days > 100000)) {
    reader.Fail(
        InvalidArgument("rotation_days is out of range", "invalid-value"));
  }
  if (rotation_days) patch.rotation_days = static_cast<int>(*rotation_days);
  return Finished(reader, std::move(patch));
}

Result<std::string> ReasonFromJson(const boost::json::object& json,
                                   Presence presence) {
  JsonObjectReader reader(json);
  std::string reason;
  reader.String("reason", &reason, presence);
  return Finished(reader, std::move(reason));
}

Result<PolicyException> ExceptionRequestFromJson(
    const boost::json::object& json) {
  JsonObjectReader reader(json);
  PolicyException request;
  std::optional<Timestamp> expires_at;
  reader.String("identity_name", &request.identity_name, Presence::kRequired);
  reader.String("rule", &request.rule, Presence::kRequired);
  reader.String("justification", &request.justification, Presence::kRequired);
  reader.Time("expires_at", &expires_at, Presence::kRequired);
  if (expires_at) request.expires_at = *expires_at;
  return Finished(reader, std::move(request));
}

Result<User> UserFromJson(const boost::json::object& json) {
  JsonObjectReader reader(json);
  User user;
  std::optional<Role> role;
  reader.String("name", &user.name, Presence::kRequired);
  reader.String("email", &user.email);
  reader.Enum("role", &role, &ParseRole, &AllowedRoles, Presence::kRequired);
  reader.String("team", &user.team);
  if (role) user.role = *role;
  return Finished(reader, std::move(user));
}

Result<inventory::TokenRequest> TokenRequestFromJson(
    const boost::json::object& json) {
  JsonObjectReader reader(json);
  inventory::TokenRequest request;
  std::optional<std::string> ttl;
  reader.String("user", &request.user);
  reader.Enum("role", &request.role, &ParseRole, &AllowedRoles);
  reader.String("team", &request.team);
  reader.Enum("environment", &request.environment, &ParseEnvironment,
              &AllowedEnvironments);
  reader.String("tenant", &request.tenant);
  reader.String("description", &request.description);
  reader.String("ttl", &ttl);
  if (ttl) {
    Result<std::chrono::seconds> parsed = ParseDuration(*ttl);
    if (parsed.ok()) {
      request.ttl = *parsed;
    } else {
      reader.Fail(InvalidArgument("ttl: " + parsed.status().message(),
                                  "invalid-value"));
    }
  }
  return Finished(reader, std::move(request));
}

}  // namespace warden::api
