#include "eval/snapshot_sections.h"

#include "eval/condition.h"

namespace warden::eval {

TenantTable::~TenantTable() = default;
SegmentTable::~SegmentTable() = default;

const CompiledSegment* SegmentTable::Find(std::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second;
}

}  // namespace warden::eval
