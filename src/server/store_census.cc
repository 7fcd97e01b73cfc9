#include "server/store_census.h"

#include <utility>

#include "core/vocabulary.h"
#include "eval/exposure_limit.h"

namespace warden::server {
namespace {

// Every (status, tier) pair and every limit scope gets a series, zero when
// nothing holds it: a series that vanishes at zero defeats alerts and rates.
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

std::map<std::pair<std::string, std::string>, int64_t> IdentitySeries(
    const std::vector<IdentityCount>& counts) {
  std::map<std::pair<std::string, std::string>, int64_t> series;
  for (IdentityStatus status : kStatuses) {
    for (RiskTier tier : kTiers) {
      series[{std::string(Name(status)), std::string(Name(tier))}] = 0;
    }
  }
  for (const IdentityCount& count : counts) {
    series[{count.status, count.risk_tier}] += count.count;
  }
  return series;
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
            WARDEN_ASSIGN_OR_RETURN(counts->identities,
                                    tx.identities().CountByStatusAndTier());
            // Active limits are few (each is a deliberate kill switch), so the
            // list is as cheap as a count.
            WARDEN_ASSIGN_OR_RETURN(
                std::vector<ExposureLimitRecord> limits,
                tx.exposure_limits().List(/*active_only=*/true));
            for (eval::LimitScope scope : kScopes) {
              counts->active_limits[std::string(eval::LimitScopeName(scope))] =
                  0;
            }
            for (const ExposureLimitRecord& limit : limits) {
              ++counts->active_limits[limit.scope];
            }
            return Status::Ok();
          })
          .WithContext("census"));
  return std::shared_ptr<const CensusCounts>(std::move(counts));
}

void StoreCensus::Collect(MetricsWriter& out) {
  Result<std::shared_ptr<const CensusCounts>> counts = Get();
  if (!counts.ok()) return;
  const CensusCounts& census = **counts;
  out.Family("warden_identities", "gauge",
             "Identities in the store, by status and risk tier.");
  for (const auto& [key, count] : IdentitySeries(census.identities)) {
    out.Sample("warden_identities",
               {{"status", key.first}, {"risk_tier", key.second}},
               static_cast<double>(count));
  }
  out.Family("warden_exposure_limits_active", "gauge",
             "Exposure limits in force (not lifted), by scope.");
  for (const auto& [scope, count] : census.active_limits) {
    out.Sample("warden_exposure_limits_active", {{"scope", scope}},
               static_cast<double>(count));
  }
  out.Family("warden_census_age_seconds", "gauge",
             "Age of the store counts above (cached between scrapes).");
  out.Sample(
      "warden_census_age_seconds",
      std::chrono::duration<double>(clock_.Now() - census.taken_at).count());
}

}  // namespace warden::server
