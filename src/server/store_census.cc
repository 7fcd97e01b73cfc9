#include "server/store_census.h"

#include <utility>

#include "core/vocabulary.h"
#include "eval/exposure_limit.h"

namespace warden::server {
namespace {

// Every status, tier and limit scope gets a series, zero when nothing
// holds it: a series that vanishes at zero defeats alerts and rates.
constexpr IdentityStatus kStatuses[] = {
    IdentityStatus::kActive,  IdentityStatus::kSuspended,
    IdentityStatus::kRevoked, IdentityStatus::kExpired,
    IdentityStatus::kPending, IdentityStatus::kDraft};
constexpr RiskTier kTiers[] = {RiskTier::kLow, RiskTier::kMedium,
                               RiskTier::kHigh, RiskTier::kCritical};
constexpr eval::LimitScope kScopes[] = {
    eval::LimitScope::kTenant, eval::LimitScope::kIntegration,
    eval::LimitScope::kAccountOwner, eval::LimitScope::kSegment,
    eval::LimitScope::kFlags};

// One count per status and one per tier, not per pair: each is answered
// from an index alone (status and risk tier lead an index each), where a
// pair would visit every row of the status.
Status CountIdentities(Transaction& tx, CensusCounts& counts) {
  for (IdentityStatus status : kStatuses) {
    IdentityFilter filter;
    filter.status = status;
    WARDEN_ASSIGN_OR_RETURN(counts.by_status[std::string(Name(status))],
                            tx.identities().Count(filter));
  }
  for (RiskTier tier : kTiers) {
    IdentityFilter filter;
    filter.risk_tier = tier;
    WARDEN_ASSIGN_OR_RETURN(counts.by_risk_tier[std::string(Name(tier))],
                            tx.identities().Count(filter));
  }
  return Status::Ok();
}

// Active limits are few (each is a deliberate kill switch), so the list is
// as cheap as a count.
Status CountActiveLimits(Transaction& tx, CensusCounts& counts) {
  for (eval::LimitScope scope : kScopes) {
    counts.active_limits[std::string(eval::LimitScopeName(scope))] = 0;
  }
  WARDEN_ASSIGN_OR_RETURN(std::vector<ExposureLimitRecord> limits,
                          tx.exposure_limits().List(/*active_only=*/true));
  for (const ExposureLimitRecord& limit : limits) {
    ++counts.active_limits[limit.scope];
  }
  return Status::Ok();
}

Status FindCurrentSigningKey(Transaction& tx, CensusCounts& counts) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<SigningKeyRecord> keys,
                          tx.oauth().ListSigningKeys());
  for (const SigningKeyRecord& key : keys) {
    if (key.state != "current") continue;
    counts.signing_key_since = key.activated_at.value_or(key.created_at);
  }
  return Status::Ok();
}

double Seconds(std::chrono::microseconds elapsed) {
  return std::chrono::duration<double>(elapsed).count();
}

}  // namespace

Result<std::shared_ptr<const CensusCounts>> StoreCensus::Get() {
  {
    MutexLock lock(mu_);
    if (cached_ && clock_.Now() - cached_->taken_at < max_age_) return cached_;
    if (refreshing_ && cached_) return cached_;
    refreshing_ = true;
  }
  Result<std::shared_ptr<const CensusCounts>> read = Read();
  MutexLock lock(mu_);
  refreshing_ = false;
  if (read.ok()) {
    cached_ = *read;
    return cached_;
  }
  if (cached_) return cached_;
  return read.status();
}

Result<std::shared_ptr<const CensusCounts>> StoreCensus::Read() const {
  auto counts = std::make_shared<CensusCounts>();
  counts->taken_at = clock_.Now();
  WARDEN_RETURN_IF_ERROR(
      store_
          .Read([&counts](Transaction& tx) -> Status {
            WARDEN_RETURN_IF_ERROR(CountIdentities(tx, *counts));
            WARDEN_RETURN_IF_ERROR(CountActiveLimits(tx, *counts));
            return FindCurrentSigningKey(tx, *counts);
          })
          .WithContext("census"));
  return std::shared_ptr<const CensusCounts>(std::move(counts));
}

void StoreCensus::Collect(MetricsWriter& out) {
  Result<std::shared_ptr<const CensusCounts>> counts = Get();
  if (!counts.ok()) return;
  const CensusCounts& census = **counts;
  const Timestamp now = clock_.Now();
  out.Family("warden_identities_by_status", "gauge",
             "Identities in the store, by status.");
  for (const auto& [status, count] : census.by_status) {
    out.Sample("warden_identities_by_status", {{"status", status}},
               static_cast<double>(count));
  }
  out.Family("warden_identities_by_risk_tier", "gauge",
             "Identities in the store, by risk tier.");
  for (const auto& [tier, count] : census.by_risk_tier) {
    out.Sample("warden_identities_by_risk_tier", {{"risk_tier", tier}},
               static_cast<double>(count));
  }
  out.Family("warden_exposure_limits_active", "gauge",
             "Exposure limits in force (not lifted), by scope.");
  for (const auto& [scope, count] : census.active_limits) {
    out.Sample("warden_exposure_limits_active", {{"scope", scope}},
               static_cast<double>(count));
  }
  if (census.signing_key_since) {
    out.Family("warden_signing_key_age_seconds", "gauge",
               "Time since the current token signing key began signing.");
    out.Sample("warden_signing_key_age_seconds",
               Seconds(std::chrono::duration_cast<std::chrono::microseconds>(
                   now - *census.signing_key_since)));
  }
  out.Family("warden_census_age_seconds", "gauge",
             "Age of the store counts (cached between scrapes).");
  out.Sample("warden_census_age_seconds",
             Seconds(std::chrono::duration_cast<std::chrono::microseconds>(
                 now - census.taken_at)));
}

}  // namespace warden::server
