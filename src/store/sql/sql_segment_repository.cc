#include "store/sql/sql_segment_repository.h"

#include <string>

#include "store/sql/query.h"

namespace warden::sql {
namespace {

// tenant_count is a correlated count over the member index (a range scan
// of the segment's own rows, never the whole table).
constexpr char kSelectSegment[] =
    "SELECT key, description, rules, created_at_us, updated_at_us, version, "
    "(SELECT COUNT(*) FROM segment_tenants WHERE segment = segments.key) "
    "FROM segments";

std::string SegmentName(std::string_view key) {
  return "segment '" + std::string(key) + "'";
}

SegmentRecord DecodeSegment(const Statement& s) {
  SegmentRecord segment;
  segment.key = s.Text(0);
  segment.description = s.Text(1);
  segment.rules_json = s.Text(2);
  segment.created_at = FromMicros(s.Int(3));
  segment.updated_at = FromMicros(s.Int(4));
  segment.version = s.Int(5);
  segment.tenant_count = s.Int(6);
  return segment;
}

}  // namespace

Status SqlSegmentRepository::Insert(const SegmentRecord& segment) {
  context_.NoteChanged(ChangeKey::Exposure("segments"));
  const std::string context = "insert " + SegmentName(segment.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  return Execute(
      context_.connection,
      "INSERT INTO segments (key, description, rules, created_at_us, "
      "updated_at_us, version) VALUES (?, ?, ?, ?, ?, ?)",
      context, segment.key, segment.description, segment.rules_json,
      ToMicros(segment.created_at), ToMicros(segment.updated_at),
      segment.version);
}

Status SqlSegmentRepository::Update(const SegmentRecord& segment) {
  context_.NoteChanged(ChangeKey::Exposure("segments"));
  const std::string context = "update " + SegmentName(segment.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(
      Execute(context_.connection,
              "UPDATE segments SET description = ?, rules = ?, "
              "created_at_us = ?, updated_at_us = ?, version = ? "
              "WHERE key = ? AND version = ?",
              context, segment.description, segment.rules_json,
              ToMicros(segment.created_at), ToMicros(segment.updated_at),
              segment.version, segment.key, segment.version - 1));
  if (context_.connection.Changes() == 1) return Status::Ok();
  WARDEN_ASSIGN_OR_RETURN(SegmentRecord stored, Get(segment.key));
  return FailedPrecondition(SegmentName(segment.key) + " is at version " +
                                std::to_string(stored.version) +
                                ", the update expected version " +
                                std::to_string(segment.version - 1),
                            "version-conflict");
}

Result<SegmentRecord> SqlSegmentRepository::Get(std::string_view key) {
  const std::string context = "get " + SegmentName(key);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<SegmentRecord> segment,
      QueryFirst(context_.connection,
                 std::string(kSelectSegment) + " WHERE key = ?", context,
                 DecodeSegment, key));
  if (!segment) return NotFound(SegmentName(key) + " not found");
  return std::move(*segment);
}

Result<std::vector<SegmentRecord>> SqlSegmentRepository::List() {
  return QueryRows(context_.connection,
                   std::string(kSelectSegment) + " ORDER BY key",
                   "list segments", DecodeSegment);
}

Status SqlSegmentRepository::RequireSegment(std::string_view key) {
  const std::string context = "find " + SegmentName(key);
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<bool> found,
      QueryFirst(
          context_.connection, "SELECT 1 FROM segments WHERE key = ?", context,
          [](const Statement&) { return true; }, key));
  if (!found) return NotFound(SegmentName(key) + " not found");
  return Status::Ok();
}

Result<int64_t> SqlSegmentRepository::ApplyToMembers(
    const char* sql, std::string_view operation, std::string_view key,
    const std::vector<std::string>& tenant_keys) {
  context_.NoteChanged(ChangeKey::Exposure("segments"));
  const std::string context =
      std::string(operation) + " members of " + SegmentName(key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_RETURN_IF_ERROR(RequireSegment(key));
  WARDEN_ASSIGN_OR_RETURN(Statement stmt,
                          context_.connection.Prepare(sql, context));
  int64_t changed = 0;
  for (const std::string& tenant : tenant_keys) {
    WARDEN_RETURN_IF_ERROR(Execute(stmt, context, key, tenant));
    changed += context_.connection.Changes();
  }
  return changed;
}

Result<int64_t> SqlSegmentRepository::AddTenants(
    std::string_view key, const std::vector<std::string>& tenant_keys) {
  return ApplyToMembers(
      "INSERT INTO segment_tenants (segment, tenant_key) "
      "VALUES (?, ?) ON CONFLICT DO NOTHING",
      "add", key, tenant_keys);
}

Result<int64_t> SqlSegmentRepository::RemoveTenants(
    std::string_view key, const std::vector<std::string>& tenant_keys) {
  return ApplyToMembers(
      "DELETE FROM segment_tenants WHERE segment = ? AND tenant_key = ?",
      "remove", key, tenant_keys);
}

Result<std::vector<std::string>> SqlSegmentRepository::ListTenants(
    std::string_view key) {
  const std::string context = "list members of " + SegmentName(key);
  WARDEN_RETURN_IF_ERROR(RequireSegment(key));
  return QueryRows(
      context_.connection,
      "SELECT tenant_key FROM segment_tenants "
      "WHERE segment = ? ORDER BY tenant_key",
      context, [](const Statement& s) { return s.Text(0); }, key);
}

}  // namespace warden::sql
