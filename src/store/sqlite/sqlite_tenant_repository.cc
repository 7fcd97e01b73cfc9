#include "store/sqlite/sqlite_tenant_repository.h"

#include <algorithm>
#include <string>

namespace warden::sqlite {
namespace {

constexpr char kTenantColumns[] =
    "key, name, account_manager, attributes, created_at_us, updated_at_us, "
    "version";

std::string TenantName(std::string_view key) {
  return "tenant '" + std::string(key) + "'";
}

}  // namespace

Status SqliteTenantRepository::Insert(const TenantRecord& tenant) {
  const std::string context = "insert " + TenantName(tenant.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt, context_.connection.Prepare(
                          std::string("INSERT INTO tenants (") +
                              kTenantColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                          context));
  stmt.Bind(tenant.key);
  stmt.Bind(tenant.name);
  stmt.Bind(tenant.account_manager);
  stmt.Bind(tenant.attributes_json);
  stmt.Bind(ToMicros(tenant.created_at));
  stmt.Bind(ToMicros(tenant.updated_at));
  stmt.Bind(tenant.version);
  WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  return WriteIntegrations(tenant);
}

Status SqliteTenantRepository::Update(const TenantRecord& tenant) {
  const std::string context = "update " + TenantName(tenant.key);
  WARDEN_RETURN_IF_ERROR(context_.CheckWritable(context));
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(
            "UPDATE tenants SET name = ?, account_manager = ?, "
            "attributes = ?, created_at_us = ?, updated_at_us = ?, "
            "version = ? WHERE key = ? AND version = ?",
            context));
    stmt.Bind(tenant.name);
    stmt.Bind(tenant.account_manager);
    stmt.Bind(tenant.attributes_json);
    stmt.Bind(ToMicros(tenant.created_at));
    stmt.Bind(ToMicros(tenant.updated_at));
    stmt.Bind(tenant.version);
    stmt.Bind(tenant.key);
    stmt.Bind(tenant.version - 1);
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
  }
  if (context_.connection.Changes() != 1) {
    WARDEN_ASSIGN_OR_RETURN(TenantRecord stored, Get(tenant.key));
    return FailedPrecondition(TenantName(tenant.key) + " is at version " +
                                  std::to_string(stored.version) +
                                  ", the update expected version " +
                                  std::to_string(tenant.version - 1),
                              "version-conflict");
  }
  WARDEN_ASSIGN_OR_RETURN(
      Statement clear,
      context_.connection.Prepare(
          "DELETE FROM tenant_integrations WHERE tenant = ?", context));
  clear.Bind(tenant.key);
  WARDEN_RETURN_IF_ERROR(clear.Run(context));
  return WriteIntegrations(tenant);
}

Status SqliteTenantRepository::WriteIntegrations(const TenantRecord& tenant) {
  const std::string context = "write integrations of " + TenantName(tenant.key);
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare(
          "INSERT OR IGNORE INTO tenant_integrations (tenant, integration) "
          "VALUES (?, ?)",
          context));
  for (const std::string& integration : tenant.integrations) {
    stmt.Bind(tenant.key);
    stmt.Bind(integration);
    WARDEN_RETURN_IF_ERROR(stmt.Run(context));
    stmt.Reset();
  }
  return Status::Ok();
}

Result<TenantRecord> SqliteTenantRepository::Get(std::string_view key) {
  const std::string context = "get " + TenantName(key);
  TenantRecord tenant;
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(std::string("SELECT ") + kTenantColumns +
                                        " FROM tenants WHERE key = ?",
                                    context));
    stmt.Bind(key);
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return NotFound(TenantName(key) + " not found");
    WARDEN_ASSIGN_OR_RETURN(tenant, Decode(stmt));
  }
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("SELECT integration FROM "
                                  "tenant_integrations WHERE tenant = ? "
                                  "ORDER BY integration",
                                  context));
  stmt.Bind(key);
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(context));
    if (!row) return tenant;
    tenant.integrations.push_back(stmt.Text(0));
  }
}

Result<std::vector<TenantRecord>> SqliteTenantRepository::List() {
  constexpr char kContext[] = "list tenants";
  std::vector<TenantRecord> tenants;
  {
    WARDEN_ASSIGN_OR_RETURN(
        Statement stmt,
        context_.connection.Prepare(std::string("SELECT ") + kTenantColumns +
                                        " FROM tenants ORDER BY key",
                                    kContext));
    while (true) {
      WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
      if (!row) break;
      WARDEN_ASSIGN_OR_RETURN(TenantRecord tenant, Decode(stmt));
      tenants.push_back(std::move(tenant));
    }
  }
  WARDEN_RETURN_IF_ERROR(ReadAllIntegrations(tenants));
  return tenants;
}

// One merge join over the primary key instead of one query per tenant:
// listing 100,000 tenants stays two sequential scans.
Status SqliteTenantRepository::ReadAllIntegrations(
    std::vector<TenantRecord>& tenants) {
  constexpr char kContext[] = "list tenant integrations";
  WARDEN_ASSIGN_OR_RETURN(
      Statement stmt,
      context_.connection.Prepare("SELECT tenant, integration FROM "
                                  "tenant_integrations ORDER BY tenant, "
                                  "integration",
                                  kContext));
  auto next = tenants.begin();
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(bool row, stmt.Step(kContext));
    if (!row) return Status::Ok();
    const std::string tenant = stmt.Text(0);
    next = std::lower_bound(
        next, tenants.end(), tenant,
        [](const TenantRecord& t, const std::string& k) { return t.key < k; });
    if (next == tenants.end() || next->key != tenant) continue;
    next->integrations.push_back(stmt.Text(1));
  }
}

Result<TenantRecord> SqliteTenantRepository::Decode(const Statement& s) const {
  TenantRecord tenant;
  tenant.key = s.Text(0);
  tenant.name = s.Text(1);
  tenant.account_manager = s.Text(2);
  tenant.attributes_json = s.Text(3);
  tenant.created_at = FromMicros(s.Int(4));
  tenant.updated_at = FromMicros(s.Int(5));
  tenant.version = s.Int(6);
  return tenant;
}

}  // namespace warden::sqlite
