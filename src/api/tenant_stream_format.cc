#include "api/tenant_stream_format.h"

#include <algorithm>

#include "exposure/tenant_view.h"
#include "wire/exposure_wire.h"

namespace warden::api {
namespace {

// What of `snapshot` a view for `tenant` may show, before TenantView cuts
// it further: every flag, limit and gate, `tenant` alone, and the segments
// with their members cut to it. Copies no other tenant's data.
eval::EnvironmentConfig ConfigForTenant(const eval::Snapshot& snapshot,
                                        const std::string& tenant) {
  const eval::SnapshotSections& sections = snapshot.sections();
  eval::EnvironmentConfig config;
  config.flags = sections.flags->flags;
  config.evaluators = sections.flags->evaluators;
  config.metadata = sections.flags->metadata;
  config.limits = *sections.limits;
  config.gates = *sections.gates;
  config.bound_tenant = sections.bound_tenant;
  if (const eval::Tenant* stored = sections.tenants->Find(tenant)) {
    config.tenants.push_back(*stored);
  }
  for (const eval::Segment& segment : sections.segments->segments()) {
    eval::Segment cut{segment.key, {}, segment.rules};
    if (std::find(segment.tenant_keys.begin(), segment.tenant_keys.end(),
                  tenant) != segment.tenant_keys.end()) {
      cut.tenant_keys.push_back(tenant);
    }
    config.segments.push_back(std::move(cut));
  }
  return config;
}

std::string BuildFrame(const exposure::PublishedConfig& config,
                       const std::string& tenant, std::string_view run_id) {
  exposure::PublishedConfig view;
  view.environment = config.environment;
  view.revision = config.revision;
  view.wire_json = exposure::WireText(wire::WireJson(
      exposure::TenantView(ConfigForTenant(*config.snapshot, tenant), tenant),
      config.environment, config.revision));
  return SseEvent(view, /*full_state=*/true, run_id);
}

}  // namespace

// Built under the mutex, as ConfigStreamFormat's full frames are: a stream
// of the same tenant waits for the frame rather than building a copy.
std::shared_ptr<const std::string> TenantFrameCache::Frame(
    const exposure::PublishedConfig& config, const std::string& tenant,
    std::string_view run_id) {
  MutexLock lock(mu_);
  Revision& current =
      by_environment_.at(static_cast<size_t>(config.environment));
  if (current.revision != config.revision || current.run_id != run_id) {
    current.frames.clear();
    current.revision = config.revision;
    current.run_id = std::string(run_id);
  }
  std::shared_ptr<const std::string>& frame = current.frames[tenant];
  if (frame == nullptr) {
    frame =
        std::make_shared<const std::string>(BuildFrame(config, tenant, run_id));
  }
  return frame;
}

std::vector<std::string> TenantStreamFormat::Opening(
    const exposure::ConfigFeed& feed, Environment env,
    std::optional<int64_t> /*resume_after*/, std::string_view run_id,
    int64_t* last_sent) const {
  std::shared_ptr<const exposure::PublishedConfig> current = feed.Current(env);
  *last_sent = current->revision;
  return {BuildFrame(*current, tenant_, run_id)};
}

std::string TenantStreamFormat::Frame(const exposure::PublishedConfig& config,
                                      bool /*gap*/,
                                      std::string_view run_id) const {
  return BuildFrame(config, tenant_, run_id);
}

std::vector<std::shared_ptr<const std::string>>
TenantStreamFormat::SharedOpening(const exposure::ConfigFeed& feed,
                                  Environment env,
                                  std::optional<int64_t> /*resume_after*/,
                                  std::string_view run_id,
                                  int64_t* last_sent) const {
  std::shared_ptr<const exposure::PublishedConfig> current = feed.Current(env);
  *last_sent = current->revision;
  return {cache_->Frame(*current, tenant_, run_id)};
}

std::shared_ptr<const std::string> TenantStreamFormat::SharedFrame(
    const exposure::PublishedConfig& config, bool /*gap*/,
    std::string_view run_id) const {
  return cache_->Frame(config, tenant_, run_id);
}

}  // namespace warden::api
