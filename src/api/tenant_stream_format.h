// TenantStreamFormat: GET /v1/stream for a tenant-bound SDK token. Every
// frame is a full "config" event (sse_stream.h) whose configuration is the
// tenant's view (exposure/tenant_view.h), never the environment's: patches
// are cut from the whole wire and would name other tenants. The view is a
// tenant's flags plus its own facts, small next to the environment, so a
// full state per revision costs little; Last-Event-ID is accepted and
// answered with the current view.
//
// Streams of one tenant share each revision's frame through
// TenantFrameCache. Thread-safety: as SseFormat; the cache locks.
#ifndef WARDEN_API_TENANT_STREAM_FORMAT_H_
#define WARDEN_API_TENANT_STREAM_FORMAT_H_

#include <array>
#include <memory>
#include <string>
#include <unordered_map>

#include "api/sse_stream.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace warden::api {

// The frames of the current revision per environment and tenant; a new
// revision drops the old ones, so memory is one frame per tenant streaming.
//
// Thread-safety: Frame() may be called from any thread.
class TenantFrameCache {
 public:
  std::shared_ptr<const std::string> Frame(
      const exposure::PublishedConfig& config, const std::string& tenant,
      std::string_view run_id);

 private:
  struct Revision {
    int64_t revision = -1;
    std::string run_id;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> frames;
  };
  Mutex mu_;
  // Indexed by Environment.
  std::array<Revision, 3> by_environment_ WARDEN_GUARDED_BY(mu_);
};

class TenantStreamFormat final : public SseFormat {
 public:
  TenantStreamFormat(std::string tenant,
                     std::shared_ptr<TenantFrameCache> cache)
      : tenant_(std::move(tenant)), cache_(std::move(cache)) {}

  std::vector<std::string> Opening(const exposure::ConfigFeed& feed,
                                   Environment env,
                                   std::optional<int64_t> resume_after,
                                   std::string_view run_id,
                                   int64_t* last_sent) const override;
  std::string Frame(const exposure::PublishedConfig& config, bool gap,
                    std::string_view run_id) const override;
  std::vector<std::shared_ptr<const std::string>> SharedOpening(
      const exposure::ConfigFeed& feed, Environment env,
      std::optional<int64_t> resume_after, std::string_view run_id,
      int64_t* last_sent) const override;
  std::shared_ptr<const std::string> SharedFrame(
      const exposure::PublishedConfig& config, bool gap,
      std::string_view run_id) const override;

 private:
  const std::string tenant_;
  const std::shared_ptr<TenantFrameCache> cache_;
};

}  // namespace warden::api

#endif  // WARDEN_API_TENANT_STREAM_FORMAT_H_
