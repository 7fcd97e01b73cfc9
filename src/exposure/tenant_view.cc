#include "exposure/tenant_view.h"

#include <algorithm>
#include <string>

namespace warden::exposure {
namespace {

bool Names(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The limit as T may see it, or nullopt when it cannot apply to T.
std::optional<eval::ExposureLimit> LimitFor(const eval::ExposureLimit& limit,
                                            std::string_view tenant,
                                            const eval::Tenant* stored) {
  eval::ExposureLimit seen = limit;
  seen.reason.clear();
  seen.actor.clear();
  switch (limit.scope) {
    case eval::LimitScope::kTenant:
      if (!Names(limit.scope_values, tenant)) return std::nullopt;
      seen.scope_values = {std::string(tenant)};
      return seen;
    case eval::LimitScope::kAccountOwner:
      if (stored == nullptr || stored->account_manager.empty() ||
          !Names(limit.scope_values, stored->account_manager)) {
        return std::nullopt;
      }
      seen.scope_values = {stored->account_manager};
      return seen;
    case eval::LimitScope::kIntegration:
    case eval::LimitScope::kSegment:
    case eval::LimitScope::kFlags:
      return seen;
  }
  return std::nullopt;
}

// `values` cut to T: [T] when it names T, else empty.
std::vector<std::string> OnlyTenant(const std::vector<std::string>& values,
                                    std::string_view tenant) {
  if (!Names(values, tenant)) return {};
  return {std::string(tenant)};
}

// The gate as T may see it: every per-tenant list cut to T (a tenant never
// learns which other tenants are cleared, opted in or in the audience).
eval::ReleaseGate GateFor(const eval::ReleaseGate& gate,
                          std::string_view tenant) {
  eval::ReleaseGate seen = gate;
  seen.tenants = OnlyTenant(gate.tenants, tenant);
  seen.cleared_tenants = OnlyTenant(gate.cleared_tenants, tenant);
  seen.pending_approvals.clear();
  for (const auto& [key, id] : gate.pending_approvals) {
    if (key == tenant) seen.pending_approvals.emplace_back(key, id);
  }
  for (auto& [flag, tenants] : seen.opt_ins) {
    tenants = OnlyTenant(tenants, tenant);
  }
  return seen;
}

}  // namespace

eval::EnvironmentConfig TenantView(const eval::EnvironmentConfig& config,
                                   std::string_view tenant) {
  eval::EnvironmentConfig view;
  view.bound_tenant = std::string(tenant);
  view.flags = config.flags;
  view.evaluators = config.evaluators;
  view.metadata = config.metadata;
  const eval::Tenant* stored = nullptr;
  for (const eval::Tenant& candidate : config.tenants) {
    if (candidate.key == tenant) stored = &candidate;
  }
  if (stored != nullptr) view.tenants.push_back(*stored);
  for (const eval::Segment& segment : config.segments) {
    eval::Segment seen{segment.key, {}, segment.rules};
    if (Names(segment.tenant_keys, tenant)) {
      seen.tenant_keys.emplace_back(tenant);
    }
    view.segments.push_back(std::move(seen));
  }
  for (const eval::ExposureLimit& limit : config.limits) {
    if (auto seen = LimitFor(limit, tenant, stored)) {
      view.limits.push_back(std::move(*seen));
    }
  }
  for (const eval::ReleaseGate& gate : config.gates) {
    view.gates.push_back(GateFor(gate, tenant));
  }
  return view;
}

}  // namespace warden::exposure
