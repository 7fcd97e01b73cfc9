// Internal to src/eval: what a Snapshot holds. The sections it was linked
// from (shared with other snapshots, snapshot_sections.h) and the compiled
// rule part, which is its own: flags, limits and gates point at each other
// and into the shared segment table.
#ifndef WARDEN_EVAL_SNAPSHOT_DATA_H_
#define WARDEN_EVAL_SNAPSHOT_DATA_H_

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eval/compiled_flag.h"
#include "eval/snapshot_sections.h"

namespace warden::eval {

struct SnapshotData {
  // Never null members (SnapshotBuilder::Link fills empty ones). Keeps the
  // segment table alive for the compiled conditions and limits that point
  // into it.
  SnapshotSections sections;
  uint64_t version = 0;
  // Pointer-stable storage; maps index into it.
  std::vector<std::unique_ptr<CompiledLimit>> limits;
  std::vector<std::unique_ptr<CompiledGate>> gates;
  // Keys view CompiledFlag::key.
  std::unordered_map<std::string_view, std::unique_ptr<CompiledFlag>,
                     StringHash, std::equal_to<>>
      flags;
  std::vector<const CompiledFlag*> ordered_flags;  // by key
  FlatStringMap<const CompiledFlag*> flag_index;   // the read path's lookup
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_SNAPSHOT_DATA_H_
