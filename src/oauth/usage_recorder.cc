#include "oauth/usage_recorder.h"

#include <cstdio>

#include "service/usage_source.h"

namespace warden::oauth {
namespace {

// A user agent is a label, not a document: long ones are cut so one
// client cannot grow a row without bound.
constexpr size_t kMaxUserAgentBytes = 200;

// Distinct sightings held between flushes; beyond it new combinations
// are dropped until the next flush (uses of known ones still count).
constexpr size_t kMaxPendingSightings = 100000;

std::string TruncatedAgent(std::string_view agent) {
  return std::string(agent.substr(0, kMaxUserAgentBytes));
}

}  // namespace

UsageRecorder::UsageRecorder(Store& store, std::chrono::milliseconds period)
    : store_(store), flusher_(period, [this] { FlushAndLog(); }) {}

UsageRecorder::~UsageRecorder() { Stop(); }

void UsageRecorder::Stop() {
  if (flusher_.Stop()) (void)Flush();
}

void UsageRecorder::Note(std::string_view identity_id,
                         const std::vector<std::string>& scopes, Timestamp at,
                         const UsageSource& source) {
  SightingKey key{std::string(identity_id), SourceNetworkOf(source.remote),
                  TruncatedAgent(source.user_agent), source.client};
  const UseTime when = UseTimeOf(at);
  MutexLock lock(mu_);
  Usage& usage = pending_[std::string(identity_id)];
  usage.last_used = std::max(usage.last_used, at);
  usage.scopes.insert(scopes.begin(), scopes.end());
  auto found = sightings_.find(key);
  if (found == sightings_.end()) {
    if (sightings_.size() >= kMaxPendingSightings) return;
    UsageSightingRecord fresh;
    fresh.identity_id = std::get<0>(key);
    fresh.source_network = std::get<1>(key);
    fresh.user_agent = std::get<2>(key);
    fresh.client = std::get<3>(key);
    fresh.first_seen = at;
    found = sightings_.emplace(std::move(key), std::move(fresh)).first;
  }
  UsageSightingRecord& sighting = found->second;
  sighting.first_seen = std::min(sighting.first_seen, at);
  sighting.last_seen = std::max(sighting.last_seen, at);
  sighting.uses += 1;
  sighting.hours_mask |= int64_t{1} << when.hour;
  sighting.weekdays_mask |= int64_t{1} << when.weekday;
}

Status UsageRecorder::Flush() {
  std::map<std::string, Usage> batch;
  std::map<SightingKey, UsageSightingRecord> sightings;
  {
    MutexLock lock(mu_);
    batch.swap(pending_);
    sightings.swap(sightings_);
  }
  if (batch.empty()) return Status::Ok();
  std::vector<UsageSightingRecord> rows;
  rows.reserve(sightings.size());
  for (auto& [key, sighting] : sightings) rows.push_back(std::move(sighting));
  return store_.Write([&](Transaction& tx) -> Status {
    for (const auto& [id, usage] : batch) {
      WARDEN_RETURN_IF_ERROR(
          tx.identities().TouchLastUsed(id, usage.last_used));
      std::vector<std::string> scopes(usage.scopes.begin(), usage.scopes.end());
      WARDEN_RETURN_IF_ERROR(
          tx.oauth().AddScopesUsed(id, scopes, usage.last_used));
    }
    return tx.usage().AddSightings(rows);
  });
}

void UsageRecorder::FlushAndLog() {
  const Status flushed = Flush();
  if (!flushed.ok()) {
    std::fprintf(stderr, "usage flush: %s\n", flushed.ToString().c_str());
  }
}

}  // namespace warden::oauth
