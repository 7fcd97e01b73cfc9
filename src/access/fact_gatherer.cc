#include "access/fact_gatherer.h"

#include <chrono>
#include <ctime>

#include "core/time_format.h"
#include "pki/spiffe_id.h"
#include "policy/decision_input.h"
#include "service/would_block.h"

namespace warden::access {
namespace {

// Identity facts stay cached at most this long (besides eviction on every
// change of the row): bounds the age of "scopes_used".
constexpr std::chrono::seconds kIdentityFactsTtl{60};
constexpr size_t kMaxCachedIdentities = 100'000;

boost::json::array Strings(const std::vector<std::string>& list) {
  boost::json::array out;
  for (const std::string& s : list) out.emplace_back(s);
  return out;
}

boost::json::object IdentityJson(std::string_view trust_domain,
                                 const Identity& id,
                                 const std::vector<ScopeUsageRecord>& used) {
  boost::json::array scopes_used;
  for (const ScopeUsageRecord& record : used)
    scopes_used.emplace_back(record.scope);
  return {{"id", id.id},
          {"name", id.name},
          {"kind", Name(id.kind)},
          {"owner", id.owner},
          {"application", id.application},
          {"environment", Name(id.environment)},
          {"risk_tier", Name(id.risk_tier)},
          {"status", Name(id.status)},
          {"spiffe_id",
           pki::WorkloadSpiffeId(trust_domain, Name(id.environment), id.name)},
          {"scopes", Strings(id.scopes)},
          {"scopes_used", std::move(scopes_used)},
          {"tenant", id.tenant},
          {"vendor", id.vendor},
          {"auth_method", id.auth_method}};
}

// The string at `key` of `object` (may be null), or empty.
std::string_view StringAt(const boost::json::object* object,
                          std::string_view key) {
  if (object == nullptr) return {};
  const boost::json::value* v = object->if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string())
                                        : std::string_view();
}

// The first non-empty of the request's resource property, context member
// and `fallback`.
std::string FirstOf(const policy::AccessRequest& request, std::string_view key,
                    std::string_view fallback) {
  std::string_view value = StringAt(request.resource.properties, key);
  if (value.empty()) value = StringAt(request.context, key);
  if (value.empty()) value = fallback;
  return std::string(value);
}

}  // namespace

FactGatherer::FactGatherer(Store& store, ChangeFeed& changes,
                           const exposure::ConfigFeed& exposure,
                           std::string trust_domain, const Clock& clock)
    : store_(store),
      exposure_(exposure),
      trust_domain_(std::move(trust_domain)),
      clock_(clock),
      identities_(changes, kIdentityFactsTtl, kMaxCachedIdentities) {}

Result<std::shared_ptr<const boost::json::object>> FactGatherer::IdentityFacts(
    std::string_view key, bool may_block) {
  if (auto cached = identities_.Find(key, clock_.Now())) return cached;
  if (!may_block) return WouldBlock();
  return LoadIdentity(key);
}

Result<std::shared_ptr<const boost::json::object>> FactGatherer::LoadIdentity(
    std::string_view key) {
  const uint64_t generation = identities_.BeginFill();
  const std::optional<pki::WorkloadName> spiffe =
      pki::ParseWorkloadSpiffeId(key, trust_domain_);
  std::optional<warden::Identity> found;
  std::vector<ScopeUsageRecord> used;
  WARDEN_RETURN_IF_ERROR(store_.Read([&](Transaction& tx) -> Status {
    Result<warden::Identity> identity =
        spiffe ? tx.identities().GetByName(spiffe->name)
               : tx.identities().Get(key);
    // A name's SPIFFE ID names its environment too.
    if (identity.ok() && spiffe &&
        Name(identity->environment) != spiffe->environment) {
      return Status::Ok();
    }
    if (identity.status().code() == StatusCode::kNotFound) return Status::Ok();
    WARDEN_RETURN_IF_ERROR(identity.status());
    WARDEN_ASSIGN_OR_RETURN(used, tx.oauth().ListScopesUsed(identity->id));
    found = std::move(*identity);
    return Status::Ok();
  }));
  if (!found) return std::shared_ptr<const boost::json::object>();
  auto facts = std::make_shared<const boost::json::object>(
      IdentityJson(trust_domain_, *found, used));
  identities_.Insert(std::string(key), facts, {ChangeKey::Identity(found->id)},
                     generation, clock_.Now());
  return facts;
}

Result<Environment> FactGatherer::EnvironmentOf(const Caller& caller,
                                                bool may_block) {
  const Principal& p = caller.principal;
  if (p.workload) {
    WARDEN_ASSIGN_OR_RETURN(auto identity,
                            IdentityFacts(p.workload->identity_id, may_block));
    if (identity != nullptr) {
      std::optional<Environment> env =
          ParseEnvironment(StringAt(identity.get(), "environment"));
      if (env) return *env;
    }
  }
  return p.environment.value_or(Environment::kProduction);
}

boost::json::object FactGatherer::CallerJson(
    const Caller& caller,
    const std::shared_ptr<const boost::json::object>& identity) const {
  const Principal& p = caller.principal;
  if (p.workload) {
    boost::json::object out{{"type", "workload"},
                            {"id", p.workload->identity_id},
                            {"scopes", Strings(p.workload->scopes)}};
    if (identity != nullptr) out["identity"] = *identity;
    return out;
  }
  return {{"type", "token"}, {"id", p.subject}, {"role", Name(p.role)}};
}

boost::json::object FactGatherer::NowFacts() const {
  const Timestamp now = clock_.Now();
  const int64_t unix =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
          .count();
  const std::time_t t = static_cast<std::time_t>(unix);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return {{"unix", unix},
          {"time", FormatRfc3339(now)},
          {"hour", utc.tm_hour},
          {"weekday", utc.tm_wday}};
}

void FactGatherer::AddTenant(const policy::AccessRequest& request,
                             RequestFacts& facts) {
  const boost::json::object* subject = facts.subject_identity.get();
  const std::string key =
      FirstOf(request, "tenant", StringAt(subject, "tenant"));
  std::string_view vendor = StringAt(subject, "vendor");
  const std::string integration =
      FirstOf(request, "integration",
              vendor.empty() ? StringAt(subject, "application") : vendor);
  facts.flag_context.targeting_key = key;
  facts.flag_context.now = clock_.Now();
  if (!integration.empty()) {
    facts.flag_context.attributes["integration"] = integration;
  }
  if (key.empty()) return;
  facts.tenant = {{"key", key}, {"registered", false}, {"limited", false}};
  if (facts.exposure == nullptr) return;
  if (const eval::Tenant* tenant = facts.exposure->FindTenant(key)) {
    facts.tenant["registered"] = true;
    facts.tenant["account_manager"] = tenant->account_manager;
    facts.tenant["integrations"] = Strings(tenant->integrations);
    facts.tenant["attributes"] = tenant->attributes;
  }
}

// A limit holds on the tenant, or on any integration the subject is: the
// explicit one, or the identity's vendor and application.
void FactGatherer::AddDenial(RequestFacts& facts) const {
  const boost::json::object* subject = facts.subject_identity.get();
  std::string_view status = StringAt(subject, "status");
  if (subject != nullptr && status != "active") {
    facts.denial_code = "identity-inactive";
    facts.denial_detail = std::string(status);
    return;
  }
  if (facts.exposure == nullptr) return;
  const bool tied = !facts.flag_context.targeting_key.empty() ||
                    facts.flag_context.attributes.contains("integration");
  if (!tied) return;
  eval::EvaluationContext probe = facts.flag_context;
  std::string_view limit = facts.exposure->LimitOnEverything(probe);
  for (std::string_view other :
       {StringAt(subject, "vendor"), StringAt(subject, "application")}) {
    if (!limit.empty() || other.empty()) continue;
    probe.attributes["integration"] = other;
    limit = facts.exposure->LimitOnEverything(probe);
  }
  if (limit.empty()) return;
  facts.denial_code = "limit";
  facts.denial_detail = std::string(limit);
  if (!facts.tenant.empty()) {
    facts.tenant["limited"] = true;
    facts.tenant["limit"] = facts.denial_detail;
  }
}

Result<CallFacts> FactGatherer::BeginCall(const Caller& caller, Environment env,
                                          bool may_block) {
  CallFacts call;
  std::shared_ptr<const boost::json::object> caller_identity;
  if (caller.principal.workload) {
    WARDEN_ASSIGN_OR_RETURN(
        caller_identity,
        IdentityFacts(caller.principal.workload->identity_id, may_block));
  }
  call.caller = std::make_shared<const boost::json::object>(
      CallerJson(caller, caller_identity));
  call.now = std::make_shared<const boost::json::object>(NowFacts());
  if (auto published = exposure_.Current(env)) {
    call.exposure = published->snapshot;
  }
  return call;
}

Result<std::unique_ptr<RequestFacts>> FactGatherer::Gather(
    const CallFacts& call, const policy::AccessRequest& request,
    bool may_block) {
  auto facts = std::make_unique<RequestFacts>();
  if (request.subject.type == kWorkloadSubjectType) {
    WARDEN_ASSIGN_OR_RETURN(facts->subject_identity,
                            IdentityFacts(request.subject.id, may_block));
  }
  facts->caller = call.caller;
  facts->now = call.now;
  facts->exposure = call.exposure;
  AddTenant(request, *facts);
  AddDenial(*facts);
  return facts;
}

}  // namespace warden::access
