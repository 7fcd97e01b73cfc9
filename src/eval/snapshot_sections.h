// The sections a Snapshot is linked from: its tenants, segments, flags,
// exposure limits and release gates, each immutable and held by
// shared_ptr<const ...>, so that snapshots built one after another (or for
// several environments) share the sections that did not change instead of
// copying and recompiling them. A kill switch with 100,000 tenants then
// rebuilds only the limits and the flags that point at them, and keeps the
// same TenantTable and SegmentTable objects (the same pointers).
//
// TenantTable and SegmentTable carry their compiled form (hash indexes,
// compiled membership rules) next to the data it views into; they are
// compiled once, by SnapshotBuilder::CompileTenants / CompileSegments.
// The other sections are plain data, compiled on every link (their cost is
// the number of flags, limits and gates, never the number of tenants).
//
// Thread-safety: every section is immutable once built; any number of
// threads may read it and share it between snapshots.
#ifndef WARDEN_EVAL_SNAPSHOT_SECTIONS_H_
#define WARDEN_EVAL_SNAPSHOT_SECTIONS_H_

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eval/exposure_limit.h"
#include "eval/flag.h"
#include "eval/flat_string_map.h"
#include "eval/release_gate.h"
#include "eval/tenant.h"

namespace warden::eval {

class CompiledSegment;
class SnapshotBuilder;

// Every registered tenant, and an index by key. Built only by
// SnapshotBuilder::CompileTenants (which rejects empty and duplicate keys).
class TenantTable {
 public:
  ~TenantTable();
  TenantTable(const TenantTable&) = delete;
  TenantTable& operator=(const TenantTable&) = delete;

  // In the order given to CompileTenants.
  const std::vector<Tenant>& tenants() const { return tenants_; }
  // The tenant registered under `key`, or nullptr. Does not allocate.
  const Tenant* Find(std::string_view key) const {
    const Tenant* const* found = index_.Find(key);
    return found == nullptr ? nullptr : *found;
  }

 private:
  friend class SnapshotBuilder;
  TenantTable() = default;

  std::vector<Tenant> tenants_;
  FlatStringMap<const Tenant*> index_;  // keys view tenants_[i].key
};

// Every segment, with its explicit members compiled to a hash set and its
// rules compiled. Built only by SnapshotBuilder::CompileSegments.
class SegmentTable {
 public:
  ~SegmentTable();
  SegmentTable(const SegmentTable&) = delete;
  SegmentTable& operator=(const SegmentTable&) = delete;

  // In the order given to CompileSegments.
  const std::vector<Segment>& segments() const { return segments_; }
  // The compiled segment `key`, or nullptr.
  const CompiledSegment* Find(std::string_view key) const;

 private:
  friend class SnapshotBuilder;
  SegmentTable() = default;

  std::vector<Segment> segments_;
  // compiled_[i] is segments_[i]; members view segments_[i].tenant_keys.
  std::vector<std::unique_ptr<CompiledSegment>> compiled_;
  std::unordered_map<std::string_view, const CompiledSegment*> by_key_;
};

// The flags of an environment with what their targeting may refer to.
struct FlagSet {
  std::vector<Flag> flags;
  // flagd "$evaluators": name -> JsonLogic, referenced by {"$ref": name}.
  boost::json::object evaluators;
  // flagd flag-set metadata; merged under each flag's metadata in results.
  boost::json::object metadata;
};

// What one snapshot is linked from. A null member links as empty.
struct SnapshotSections {
  std::shared_ptr<const FlagSet> flags;
  std::shared_ptr<const TenantTable> tenants;
  std::shared_ptr<const SegmentTable> segments;
  std::shared_ptr<const std::vector<ExposureLimit>> limits;
  std::shared_ptr<const std::vector<ReleaseGate>> gates;
  // As EnvironmentConfig::bound_tenant.
  std::string bound_tenant;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_SECTIONS_H_
