#include "access/policy_versions.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.h"

namespace warden::access {
namespace {

std::string Field(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

int64_t Number(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

Result<boost::json::object> ParseStored(const std::string& text,
                                        const std::string& key) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) {
    return Status(StatusCode::kInternal,
                  "setting " + key + " holds no JSON object");
  }
  return std::move(value.get_object());
}

Result<PolicyVersion> FromJson(Environment env, const boost::json::object& o) {
  PolicyVersion v;
  v.environment = env;
  v.version = Number(o, "version");
  v.state = Field(o, "state");
  v.document = Field(o, "document");
  v.sha256 = Field(o, "sha256");
  v.reason = Field(o, "reason");
  v.created_by = Field(o, "created_by");
  WARDEN_ASSIGN_OR_RETURN(v.created_at, ParseRfc3339(Field(o, "created_at")));
  v.approval_id = Field(o, "approval_id");
  v.decided_by = Field(o, "decided_by");
  return v;
}

}  // namespace

std::string HeadKey(Environment env) {
  return "access_policy/" + std::string(Name(env));
}

std::string VersionKey(Environment env, int64_t version) {
  return HeadKey(env) + "/" + std::to_string(version);
}

Result<PolicyHead> ReadHead(Transaction& tx, Environment env) {
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          tx.settings().Get(HeadKey(env)));
  PolicyHead head;
  if (!text) return head;
  WARDEN_ASSIGN_OR_RETURN(boost::json::object o,
                          ParseStored(*text, HeadKey(env)));
  head.active = Number(o, "active");
  head.latest = Number(o, "latest");
  return head;
}

Status WriteHead(Transaction& tx, Environment env, const PolicyHead& head) {
  boost::json::object o{{"active", head.active}, {"latest", head.latest}};
  return tx.settings().Put(HeadKey(env), boost::json::serialize(o));
}

Result<PolicyVersion> ReadVersion(Transaction& tx, Environment env,
                                  int64_t version) {
  const std::string key = VersionKey(env, version);
  WARDEN_ASSIGN_OR_RETURN(std::optional<std::string> text,
                          tx.settings().Get(key));
  if (!text) {
    return NotFound("policy version " + std::to_string(version) + " of " +
                    std::string(Name(env)) + " does not exist");
  }
  WARDEN_ASSIGN_OR_RETURN(boost::json::object o, ParseStored(*text, key));
  return FromJson(env, o);
}

Status WriteVersion(Transaction& tx, const PolicyVersion& v) {
  boost::json::object o{{"version", v.version},
                        {"state", v.state},
                        {"document", v.document},
                        {"sha256", v.sha256},
                        {"reason", v.reason},
                        {"created_by", v.created_by},
                        {"created_at", FormatRfc3339(v.created_at)},
                        {"approval_id", v.approval_id},
                        {"decided_by", v.decided_by}};
  return tx.settings().Put(VersionKey(v.environment, v.version),
                           boost::json::serialize(o));
}

Result<std::vector<PolicyVersion>> ReadVersions(Transaction& tx,
                                                Environment env) {
  WARDEN_ASSIGN_OR_RETURN(PolicyHead head, ReadHead(tx, env));
  std::vector<PolicyVersion> out;
  for (int64_t n = head.latest; n >= 1; --n) {
    WARDEN_ASSIGN_OR_RETURN(PolicyVersion v, ReadVersion(tx, env, n));
    out.push_back(std::move(v));
  }
  return out;
}

Status Activate(Transaction& tx, PolicyVersion version,
                std::string_view decided_by) {
  WARDEN_ASSIGN_OR_RETURN(PolicyHead head, ReadHead(tx, version.environment));
  if (head.active > version.version) {
    return FailedPrecondition(
        "policy version " + std::to_string(version.version) +
            " is older than the active version " + std::to_string(head.active),
        "policy-superseded");
  }
  if (head.active > 0) {
    WARDEN_ASSIGN_OR_RETURN(PolicyVersion previous,
                            ReadVersion(tx, version.environment, head.active));
    previous.state = std::string(kPolicySuperseded);
    WARDEN_RETURN_IF_ERROR(WriteVersion(tx, previous));
  }
  version.state = std::string(kPolicyActive);
  version.decided_by = std::string(decided_by);
  WARDEN_RETURN_IF_ERROR(WriteVersion(tx, version));
  head.active = version.version;
  return WriteHead(tx, version.environment, head);
}

boost::json::object ToJson(const PolicyVersion& v, bool with_document) {
  boost::json::object o{{"environment", Name(v.environment)},
                        {"version", v.version},
                        {"state", v.state},
                        {"sha256", v.sha256},
                        {"reason", v.reason},
                        {"created_by", v.created_by},
                        {"created_at", FormatRfc3339(v.created_at)}};
  if (!v.approval_id.empty()) o["approval_id"] = v.approval_id;
  if (!v.decided_by.empty()) o["decided_by"] = v.decided_by;
  if (with_document) {
    boost::system::error_code error;
    boost::json::value document = boost::json::parse(v.document, error);
    o["document"] = error ? boost::json::value(v.document) : document;
  }
  return o;
}

}  // namespace warden::access
