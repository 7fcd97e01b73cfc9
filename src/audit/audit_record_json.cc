#include "audit/audit_record_json.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.h"

namespace warden {

// Field for field as api/resource_json.cc's ToJson(AuditRecord), which the
// api layer owns; audit/ may not reach up to it.
std::string AuditRecordJson(const AuditRecord& record) {
  boost::json::object json;
  json["sequence"] = record.sequence;
  json["time"] = FormatRfc3339(record.event.time);
  json["actor"] = record.event.actor;
  json["action"] = record.event.action;
  json["target"] = record.event.target;
  json["outcome"] = record.event.outcome;
  boost::json::error_code ec;
  boost::json::value details = boost::json::parse(record.event.details, ec);
  if (!ec && details.is_object()) {
    json["details"] = std::move(details);
  } else {
    json["details"] = record.event.details;
  }
  json["prev_hash"] = record.prev_hash;
  json["hash"] = record.hash;
  json["hash_format"] =
      record.format == AuditHashFormat::kHmacSha256 ? "hmac-sha256" : "sha256";
  return boost::json::serialize(json);
}

}  // namespace warden
