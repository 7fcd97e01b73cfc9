#include "core/audit_record_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.h"

namespace warden {

boost::json::object AuditRecordObject(const AuditRecord& record) {
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
  // Which link hash `hash` is (core/audit_record.h): records from before
  // the audit key existed say "sha256".
  json["hash_format"] =
      record.format == AuditHashFormat::kHmacSha256 ? "hmac-sha256" : "sha256";
  return json;
}

std::string AuditRecordJson(const AuditRecord& record) {
  return boost::json::serialize(AuditRecordObject(record));
}

}  // namespace warden
