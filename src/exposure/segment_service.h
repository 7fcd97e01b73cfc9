// Segments (cohorts of tenants): explicit member lists and attribute rules.
// Members are added and removed in batches (AddTenants) whose cost follows
// the batch, not the segment's size. Rules are validated by compiling them
// inside the write. Every change is one audited Store::Write, then every
// environment is republished. Thread-safe.
#ifndef WARDEN_EXPOSURE_SEGMENT_SERVICE_H_
#define WARDEN_EXPOSURE_SEGMENT_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "eval/flag.h"
#include "exposure/exposure_publisher.h"
#include "service/auditor.h"

namespace warden::exposure {

// Keys accepted in one AddTenants/RemoveTenants call (one request body);
// larger cohorts arrive in several batches.
inline constexpr size_t kMaxSegmentBatch = 50'000;

struct SegmentView {
  SegmentRecord record;
  std::vector<eval::Condition> rules;
  std::optional<std::vector<std::string>> tenants;  // when asked for
};

struct SegmentPatch {
  std::optional<std::string> description;
  std::optional<std::vector<eval::Condition>> rules;
  std::optional<int64_t> expected_version;
};

class SegmentService {
 public:
  SegmentService(Store& store, Auditor& auditor, ExposurePublisher& publisher)
      : store_(store), auditor_(auditor), publisher_(publisher) {}

  Result<SegmentView> Create(const Caller& caller, std::string key,
                             std::string description,
                             std::vector<eval::Condition> rules,
                             std::vector<std::string> tenants);
  Result<SegmentView> Get(const Caller& caller, std::string_view key,
                          bool with_tenants);
  Result<std::vector<SegmentView>> List(const Caller& caller);
  Result<SegmentView> Update(const Caller& caller, std::string_view key,
                             const SegmentPatch& patch);
  // Returns how many keys were new (or removed).
  Result<int64_t> AddTenants(const Caller& caller, std::string_view key,
                             std::vector<std::string> tenants);
  Result<int64_t> RemoveTenants(const Caller& caller, std::string_view key,
                                std::vector<std::string> tenants);

 private:
  Result<int64_t> ChangeMembers(const Caller& caller, std::string_view key,
                                std::vector<std::string> tenants, bool add);
  void Publish(std::string_view kind, std::string_view key);

  Store& store_;
  Auditor& auditor_;
  ExposurePublisher& publisher_;
};

}  // namespace warden::exposure

#endif  // WARDEN_EXPOSURE_SEGMENT_SERVICE_H_
