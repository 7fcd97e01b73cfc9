#include "exposure/segment_service.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "exposure/exposure_checks.h"
#include "exposure/exposure_records_codec.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "wire/exposure_json.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

std::string SegmentTarget(std::string_view key) {
  return fmt::format("segment/{}", key);
}

Result<SegmentRecord> LoadSegment(Transaction& tx, std::string_view key) {
  Result<SegmentRecord> found = tx.segments().Get(key);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NotFound(fmt::format("segment \"{}\" does not exist", key));
}

Result<SegmentView> ViewOf(SegmentRecord record) {
  SegmentView view;
  WARDEN_ASSIGN_OR_RETURN(view.rules, SegmentRulesFromRecord(record));
  view.record = std::move(record);
  return view;
}

// Segments are shared by every environment; compiling one environment
// compiles every segment's rules.
Status ValidateRules(ExposurePublisher& publisher, Transaction& tx) {
  return publisher.ValidateInTransaction(tx, Environment::kDevelopment);
}

json::object Describe(const SegmentRecord& segment) {
  return {{"key", segment.key}, {"version", segment.version}};
}

}  // namespace

Result<SegmentView> SegmentService::Create(const Caller& caller,
                                           std::string key,
                                           std::string description,
                                           std::vector<eval::Condition> rules,
                                           std::vector<std::string> tenants) {
  SegmentRecord record;
  record.key = std::move(key);
  record.description = std::move(description);
  record.rules_json = json::serialize(wire::ConditionsToJson(rules));
  AuditedWrite write(store_, auditor_, caller, "segment.create",
                     SegmentTarget(record.key), Permission::kTenantWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckName("key", record.key, kMaxExposureKeyLength));
    WARDEN_RETURN_IF_ERROR(
        CheckText("description", record.description, kMaxExposureText));
    WARDEN_RETURN_IF_ERROR(CheckKeyList("tenants", tenants, kMaxSegmentBatch));
    record.created_at = record.updated_at = write.now();
    const Status inserted = tx.segments().Insert(record);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(
          fmt::format("segment \"{}\" already exists", record.key));
    }
    WARDEN_RETURN_IF_ERROR(inserted);
    WARDEN_ASSIGN_OR_RETURN(record.tenant_count,
                            tx.segments().AddTenants(record.key, tenants));
    WARDEN_RETURN_IF_ERROR(ValidateRules(publisher_, tx));
    json::object details = Describe(record);
    details["tenants_added"] = record.tenant_count;
    return write.Record(tx, std::move(details));
  });
  if (!status.ok()) return status;
  Publish("segment.create", record.key);
  return ViewOf(std::move(record));
}

Result<SegmentView> SegmentService::Get(const Caller& caller,
                                        std::string_view key,
                                        bool with_tenants) {
  SegmentView view;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "segment.read", SegmentTarget(key),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(SegmentRecord record, LoadSegment(tx, key));
        WARDEN_ASSIGN_OR_RETURN(view, ViewOf(std::move(record)));
        if (with_tenants) {
          WARDEN_ASSIGN_OR_RETURN(view.tenants, tx.segments().ListTenants(key));
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return view;
}

Result<std::vector<SegmentView>> SegmentService::List(const Caller& caller) {
  std::vector<SegmentView> views;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "segment.list", "segment",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(std::vector<SegmentRecord> records,
                                tx.segments().List());
        for (SegmentRecord& record : records) {
          WARDEN_ASSIGN_OR_RETURN(SegmentView view, ViewOf(std::move(record)));
          views.push_back(std::move(view));
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return views;
}

Result<SegmentView> SegmentService::Update(const Caller& caller,
                                           std::string_view key,
                                           const SegmentPatch& patch) {
  SegmentRecord record;
  AuditedWrite write(store_, auditor_, caller, "segment.update",
                     SegmentTarget(key), Permission::kTenantWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(record, LoadSegment(tx, key));
    if (patch.expected_version && *patch.expected_version != record.version) {
      return FailedPrecondition(
          fmt::format("segment {} is at version {}, not {}", key,
                      record.version, *patch.expected_version),
          "version-conflict");
    }
    if (patch.description) record.description = *patch.description;
    if (patch.rules) {
      record.rules_json = json::serialize(wire::ConditionsToJson(*patch.rules));
    }
    WARDEN_RETURN_IF_ERROR(
        CheckText("description", record.description, kMaxExposureText));
    record.updated_at = write.now();
    record.version += 1;
    WARDEN_RETURN_IF_ERROR(tx.segments().Update(record));
    WARDEN_RETURN_IF_ERROR(ValidateRules(publisher_, tx));
    return write.Record(tx, Describe(record));
  });
  if (!status.ok()) return status;
  Publish("segment.update", key);
  return ViewOf(std::move(record));
}

Result<int64_t> SegmentService::AddTenants(const Caller& caller,
                                           std::string_view key,
                                           std::vector<std::string> tenants) {
  return ChangeMembers(caller, key, std::move(tenants), /*add=*/true);
}

Result<int64_t> SegmentService::RemoveTenants(
    const Caller& caller, std::string_view key,
    std::vector<std::string> tenants) {
  return ChangeMembers(caller, key, std::move(tenants), /*add=*/false);
}

Result<int64_t> SegmentService::ChangeMembers(const Caller& caller,
                                              std::string_view key,
                                              std::vector<std::string> tenants,
                                              bool add) {
  const char* action = add ? "segment.add_tenants" : "segment.remove_tenants";
  int64_t changed = 0;
  AuditedWrite write(store_, auditor_, caller, action, SegmentTarget(key),
                     Permission::kTenantWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckKeyList("tenants", tenants, kMaxSegmentBatch));
    WARDEN_RETURN_IF_ERROR(LoadSegment(tx, key).status());
    WARDEN_ASSIGN_OR_RETURN(changed,
                            add ? tx.segments().AddTenants(key, tenants)
                                : tx.segments().RemoveTenants(key, tenants));
    // The audit record names the batch size, not 50,000 keys.
    return write.Record(
        tx,
        {{"key", key}, {"requested", tenants.size()}, {"changed", changed}});
  });
  if (!status.ok()) return status;
  if (changed > 0) Publish(action, key);
  return changed;
}

void SegmentService::Publish(std::string_view kind, std::string_view key) {
  ReportPublishFailure(kind,
                       publisher_.PublishAll({{"kind", kind}, {"key", key}},
                                             ExposureSection::kSegments));
}

}  // namespace warden::exposure
