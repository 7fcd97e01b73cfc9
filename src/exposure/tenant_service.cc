#include "exposure/tenant_service.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "exposure/exposure_checks.h"
#include "service/audited_write.h"
#include "service/field_checks.h"
#include "wire/exposure_json.h"

namespace warden::exposure {
namespace {

namespace json = boost::json;

std::string TenantTarget(std::string_view key) {
  return fmt::format("tenant/{}", key);
}

Status CheckTenant(TenantRecord& tenant) {
  WARDEN_RETURN_IF_ERROR(CheckName("key", tenant.key, kMaxExposureKeyLength));
  WARDEN_RETURN_IF_ERROR(CheckText("name", tenant.name, kMaxExposureText));
  WARDEN_RETURN_IF_ERROR(CheckKeyList("integrations", tenant.integrations,
                                      kMaxTenantIntegrations));
  Result<json::object> attributes =
      wire::ParseObject(tenant.attributes_json, "attributes");
  if (!attributes.ok()) return FieldError("attributes", "must be an object");
  return Status::Ok();
}

Status NoSuchTenant(std::string_view key) {
  return NotFound(fmt::format("tenant \"{}\" does not exist", key));
}

Result<TenantRecord> LoadTenant(Transaction& tx, std::string_view key) {
  Result<TenantRecord> found = tx.tenants().Get(key);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) {
    return found;
  }
  return NoSuchTenant(key);
}

json::object Describe(const TenantRecord& tenant) {
  return {{"key", tenant.key},
          {"account_manager", tenant.account_manager},
          {"integrations", wire::StringListToJson(tenant.integrations)},
          {"version", tenant.version}};
}

void Apply(const TenantPatch& patch, TenantRecord& tenant) {
  if (patch.name) tenant.name = *patch.name;
  if (patch.account_manager) tenant.account_manager = *patch.account_manager;
  if (patch.attributes)
    tenant.attributes_json = json::serialize(*patch.attributes);
  if (patch.integrations) tenant.integrations = *patch.integrations;
}

}  // namespace

Result<TenantRecord> TenantService::Create(const Caller& caller,
                                           TenantRecord tenant) {
  AuditedWrite write(store_, auditor_, caller, "tenant.create",
                     TenantTarget(tenant.key), Permission::kTenantWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_RETURN_IF_ERROR(CheckTenant(tenant));
    WARDEN_RETURN_IF_ERROR(CheckAccountManager(tx, tenant.account_manager));
    tenant.created_at = tenant.updated_at = write.now();
    tenant.version = 1;
    const Status inserted = tx.tenants().Insert(tenant);
    if (inserted.code() == StatusCode::kAlreadyExists) {
      return AlreadyExists(
          fmt::format("tenant \"{}\" already exists", tenant.key));
    }
    WARDEN_RETURN_IF_ERROR(inserted);
    return write.Record(tx, Describe(tenant));
  });
  if (!status.ok()) return status;
  ReportPublishFailure(
      "tenant.create",
      publisher_.PublishAll({{"kind", "tenant.create"}, {"key", tenant.key}},
                            ExposureSection::kTenants));
  return tenant;
}

Result<TenantRecord> TenantService::Get(const Caller& caller,
                                        std::string_view key) {
  TenantRecord tenant;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "tenant.read", TenantTarget(key),
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(tenant, LoadTenant(tx, key));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return tenant;
}

Result<std::vector<TenantRecord>> TenantService::List(const Caller& caller) {
  std::vector<TenantRecord> tenants;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "tenant.list", "tenant",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(tenants, tx.tenants().List());
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return tenants;
}

Result<Page<TenantRecord>> TenantService::ListPage(const Caller& caller,
                                                   const TenantFilter& filter,
                                                   const PageRequest& page) {
  Page<TenantRecord> tenants;
  const Status status = auditor_.AuditedRead(
      caller, Permission::kTenantRead, "tenant.list", "tenant",
      [&](Transaction& tx) -> Status {
        WARDEN_ASSIGN_OR_RETURN(tenants, tx.tenants().ListPage(filter, page));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return tenants;
}

Result<TenantRecord> TenantService::Update(const Caller& caller,
                                           std::string_view key,
                                           const TenantPatch& patch) {
  TenantRecord tenant;
  AuditedWrite write(store_, auditor_, caller, "tenant.update",
                     TenantTarget(key), Permission::kTenantWrite);
  const Status status = write.Run([&](Transaction& tx) -> Status {
    WARDEN_RETURN_IF_ERROR(write.Authorize());
    WARDEN_ASSIGN_OR_RETURN(tenant, LoadTenant(tx, key));
    if (patch.expected_version && *patch.expected_version != tenant.version) {
      return FailedPrecondition(
          fmt::format("tenant {} is at version {}, not {}", key, tenant.version,
                      *patch.expected_version),
          "version-conflict");
    }
    Apply(patch, tenant);
    WARDEN_RETURN_IF_ERROR(CheckTenant(tenant));
    if (patch.account_manager) {
      WARDEN_RETURN_IF_ERROR(CheckAccountManager(tx, tenant.account_manager));
    }
    tenant.updated_at = write.now();
    tenant.version += 1;
    WARDEN_RETURN_IF_ERROR(tx.tenants().Update(tenant));
    return write.Record(tx, Describe(tenant));
  });
  if (!status.ok()) return status;
  ReportPublishFailure(
      "tenant.update",
      publisher_.PublishAll({{"kind", "tenant.update"}, {"key", tenant.key}},
                            ExposureSection::kTenants));
  return tenant;
}

}  // namespace warden::exposure
