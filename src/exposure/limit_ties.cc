#include "exposure/limit_ties.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string_view>

namespace warden::exposure {
namespace {

using Resolver = Status (*)(Transaction&, const ExposureLimitRecord&,
                            LimitTies&);

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool Intersects(const std::vector<std::string>& a,
                const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (Contains(b, x)) return true;
  }
  return false;
}

void SortUnique(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

// Calls `visit` for every identity matching `filter`, a page at a time.
Status ForEachIdentity(Transaction& tx, IdentityFilter filter,
                       const std::function<Status(const Identity&)>& visit) {
  PageRequest page;
  page.limit = 500;
  while (true) {
    WARDEN_ASSIGN_OR_RETURN(Page<Identity> found,
                            tx.identities().List(filter, page));
    for (const Identity& identity : found.items) {
      WARDEN_RETURN_IF_ERROR(visit(identity));
    }
    if (!found.next_after_id) return Status::Ok();
    page.after_id = found.next_after_id;
  }
}

IdentityFilter InEnvironment(const ExposureLimitRecord& limit) {
  IdentityFilter filter;
  filter.environment = limit.environment;
  return filter;
}

// Registered tenants that `matches`.
Status TenantsWhere(Transaction& tx, LimitTies& ties,
                    const std::function<bool(const TenantRecord&)>& matches) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<TenantRecord> tenants,
                          tx.tenants().List());
  for (const TenantRecord& tenant : tenants) {
    if (matches(tenant)) ties.tenants.push_back(tenant.key);
  }
  return Status::Ok();
}

Status ResolveTenants(Transaction&, const ExposureLimitRecord& limit,
                      LimitTies& ties) {
  ties.tenants = limit.scope_values;
  return Status::Ok();
}

Status ResolveAccountOwners(Transaction& tx, const ExposureLimitRecord& limit,
                            LimitTies& ties) {
  return TenantsWhere(tx, ties, [&](const TenantRecord& tenant) {
    return !tenant.account_manager.empty() &&
           Contains(limit.scope_values, tenant.account_manager);
  });
}

Status ResolveSegments(Transaction& tx, const ExposureLimitRecord& limit,
                       LimitTies& ties) {
  for (const std::string& segment : limit.scope_values) {
    Result<std::vector<std::string>> members =
        tx.segments().ListTenants(segment);
    if (!members.ok() && members.status().code() == StatusCode::kNotFound) {
      continue;  // the service refuses unknown segments before resolving
    }
    WARDEN_RETURN_IF_ERROR(members.status());
    ties.tenants.insert(ties.tenants.end(), members->begin(), members->end());
  }
  return Status::Ok();
}

Status ResolveIntegrations(Transaction& tx, const ExposureLimitRecord& limit,
                           LimitTies& ties) {
  for (const std::string& integration : limit.scope_values) {
    for (bool by_vendor : {true, false}) {
      IdentityFilter filter = InEnvironment(limit);
      (by_vendor ? filter.vendor : filter.application) = integration;
      WARDEN_RETURN_IF_ERROR(
          ForEachIdentity(tx, filter, [&](const Identity& identity) {
            ties.identity_ids.push_back(identity.id);
            return Status::Ok();
          }));
    }
  }
  return TenantsWhere(tx, ties, [&](const TenantRecord& tenant) {
    return Intersects(tenant.integrations, limit.scope_values);
  });
}

// One gating-flag read per identity: identities are thousands, and a
// flags limit is the rarest and broadest of kill switches.
Status ResolveGatingFlags(Transaction& tx, const ExposureLimitRecord& limit,
                          LimitTies& ties) {
  return ForEachIdentity(
      tx, InEnvironment(limit), [&](const Identity& identity) -> Status {
        WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> gating,
                                tx.oauth().GetGatingFlags(identity.id));
        if (Intersects(gating, limit.flag_keys)) {
          ties.identity_ids.push_back(identity.id);
        }
        return Status::Ok();
      });
}

// The identities a release uses (its tokens go with its exposure).
Status ResolveRelease(Transaction& tx, const ExposureLimitRecord& limit,
                      LimitTies& ties) {
  for (const std::string& id : limit.scope_values) {
    WARDEN_ASSIGN_OR_RETURN(ReleaseRecord release, tx.releases().Get(id));
    ties.identity_ids.insert(ties.identity_ids.end(),
                             release.identities.begin(),
                             release.identities.end());
  }
  return Status::Ok();
}

struct ScopeResolver {
  std::string_view scope;
  Resolver resolve;
};

// One row per limit scope (eval::LimitScopeName).
constexpr ScopeResolver kResolvers[] = {
    {"tenant", &ResolveTenants},    {"account_owner", &ResolveAccountOwners},
    {"segment", &ResolveSegments},  {"integration", &ResolveIntegrations},
    {"flags", &ResolveGatingFlags}, {"release", &ResolveRelease},
};

Resolver FindResolver(std::string_view scope) {
  for (const ScopeResolver& row : kResolvers) {
    if (row.scope == scope) return row.resolve;
  }
  return nullptr;
}

}  // namespace

Result<LimitTies> ResolveLimitTies(Transaction& tx,
                                   const ExposureLimitRecord& limit) {
  const Resolver resolver = FindResolver(limit.scope);
  if (resolver == nullptr) {
    return InvalidArgument(
        fmt::format("exposure limit {}: no resolver for scope \"{}\"", limit.id,
                    limit.scope),
        "validation-failed");
  }
  LimitTies ties;
  WARDEN_RETURN_IF_ERROR(resolver(tx, limit, ties));
  SortUnique(ties.tenants);
  SortUnique(ties.identity_ids);
  return ties;
}

}  // namespace warden::exposure
