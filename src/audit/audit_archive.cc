#include "audit/audit_archive.h"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/crypto.h"
#include "core/json_text.h"
#include "core/time_format.h"

namespace warden {
namespace {

constexpr size_t kHashHexDigits = 64;
constexpr size_t kKeyIdHexDigits = 16;
// The manifest is a flat object.
constexpr int kMaxManifestJsonDepth = 2;

Status Malformed(std::string_view what) {
  return AuditArchiveBroken("manifest: " + std::string(what));
}

Result<std::string_view> StringField(const boost::json::object& object,
                                     std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) {
    return Malformed(std::string(name) + ": missing or not a string");
  }
  const boost::json::string& text = value->get_string();
  return std::string_view(text.data(), text.size());
}

Result<std::string> HexField(const boost::json::object& object,
                             std::string_view name, size_t digits) {
  WARDEN_ASSIGN_OR_RETURN(std::string_view text, StringField(object, name));
  if (!IsLowerHexOfLength(text, digits)) {
    return Malformed(std::string(name) + ": not " + std::to_string(digits) +
                     " lowercase hex digits");
  }
  return std::string(text);
}

Result<int64_t> CountField(const boost::json::object& object,
                           std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value != nullptr && value->is_int64() && value->get_int64() > 0) {
    return value->get_int64();
  }
  return Malformed(std::string(name) + ": missing or not a positive integer");
}

Result<AuditArchiveManifest> FromObject(const boost::json::object& object) {
  WARDEN_ASSIGN_OR_RETURN(std::string_view format,
                          StringField(object, "format"));
  if (format != kAuditArchiveFormat) {
    return Malformed("format: expected \"" + std::string(kAuditArchiveFormat) +
                     "\"");
  }
  AuditArchiveManifest m;
  WARDEN_ASSIGN_OR_RETURN(m.first_sequence,
                          CountField(object, "first_sequence"));
  WARDEN_ASSIGN_OR_RETURN(m.last_sequence, CountField(object, "last_sequence"));
  WARDEN_ASSIGN_OR_RETURN(m.records, CountField(object, "records"));
  WARDEN_ASSIGN_OR_RETURN(m.anchor_hash,
                          HexField(object, "anchor_hash", kHashHexDigits));
  WARDEN_ASSIGN_OR_RETURN(m.last_hash,
                          HexField(object, "last_hash", kHashHexDigits));
  WARDEN_ASSIGN_OR_RETURN(m.records_sha256,
                          HexField(object, "records_sha256", kHashHexDigits));
  WARDEN_ASSIGN_OR_RETURN(std::string_view created,
                          StringField(object, "created_at"));
  Result<Timestamp> time = ParseRfc3339(created);
  if (!time.ok()) return Malformed("created_at: not an RFC 3339 date-time");
  m.created_at = *time;
  WARDEN_ASSIGN_OR_RETURN(m.key_id,
                          HexField(object, "key_id", kKeyIdHexDigits));
  WARDEN_ASSIGN_OR_RETURN(std::string_view signature,
                          StringField(object, "signature"));
  Result<std::string> raw = Base64UrlDecode(signature);
  if (!raw.ok() || raw->size() != crypto_sign_BYTES) {
    return Malformed("signature: not base64url of 64 bytes");
  }
  m.signature = std::move(raw).value();
  return m;
}

}  // namespace

Status AuditArchiveBroken(std::string_view message) {
  return FailedPrecondition("audit archive: " + std::string(message),
                            kAuditArchiveBrokenProblem);
}

bool IsLowerHexOfLength(std::string_view text, size_t digits) {
  if (text.size() != digits) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ManifestSigningInput(const AuditArchiveManifest& m) {
  return std::string(kAuditArchiveFormat) + "\n" +
         std::to_string(m.first_sequence) + "\n" +
         std::to_string(m.last_sequence) + "\n" + std::to_string(m.records) +
         "\n" + m.anchor_hash + "\n" + m.last_hash + "\n" + m.records_sha256 +
         "\n" + std::to_string(ToMicros(m.created_at)) + "\n" + m.key_id;
}

std::string EncodeAuditArchiveManifest(const AuditArchiveManifest& m) {
  boost::json::object object{{"format", kAuditArchiveFormat},
                             {"first_sequence", m.first_sequence},
                             {"last_sequence", m.last_sequence},
                             {"records", m.records},
                             {"anchor_hash", m.anchor_hash},
                             {"last_hash", m.last_hash},
                             {"records_sha256", m.records_sha256},
                             {"created_at", FormatRfc3339(m.created_at)},
                             {"key_id", m.key_id},
                             {"signature", Base64UrlEncode(m.signature)}};
  return boost::json::serialize(object);
}

std::string EncodeAuditArchiveRecord(const AuditRecordView& r) {
  auto text = [](std::string_view s) {
    return boost::json::string(s.data(), s.size());
  };
  boost::json::object object{
      {"sequence", r.sequence},     {"time_us", r.time_us},
      {"actor", text(r.actor)},     {"action", text(r.action)},
      {"target", text(r.target)},   {"outcome", text(r.outcome)},
      {"details", text(r.details)}, {"prev_hash", text(r.prev_hash)},
      {"hash", text(r.hash)},       {"format", r.format}};
  return boost::json::serialize(object);
}

Result<AuditArchiveManifest> ParseAuditArchiveManifest(std::string_view line) {
  if (line.size() > kMaxAuditArchiveLineBytes) return Malformed("too long");
  Result<boost::json::object> object =
      ParseJsonObjectText(line, {.max_depth = kMaxManifestJsonDepth});
  if (!object.ok()) return Malformed(object.status().message());
  return FromObject(*object);
}

}  // namespace warden
