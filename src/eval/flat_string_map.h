// Internal to src/eval: an immutable open-addressing hash map from string
// views to small values, for the read path (segment members, flag keys).
// Slots are 8 bytes (32 hash bits + entry index) in one array, so a probe
// that misses (the common case for block lists) usually touches one cache
// line of a small array, and a lookup never allocates.
//
// Keys are views: the strings must outlive the map (they live in the
// snapshot's EnvironmentConfig). Immutable after Build; thread-safe reads.
#ifndef WARDEN_EVAL_FLAT_STRING_MAP_H_
#define WARDEN_EVAL_FLAT_STRING_MAP_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "eval/string_bytes.h"

namespace warden::eval {

template <typename V>
class FlatStringMap {
 public:
  // Builds from `entries`; returns false if a key repeats (the first one
  // wins). REQUIRES: fewer than 2^32 - 1 entries.
  bool Build(const std::vector<std::pair<std::string_view, V>>& entries) {
    size_t capacity = 16;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    entries_.clear();
    entries_.reserve(entries.size());
    bool unique = true;
    for (const auto& [key, value] : entries) unique &= Insert(key, value);
    return unique;
  }

  // The value stored under `key`, or nullptr.
  const V* Find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    uint64_t h = Hash(key);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      uint64_t slot = slots_[i];
      if (slot == 0) return nullptr;
      if (static_cast<uint32_t>(slot >> 32) != tag) continue;
      const Entry& e = entries_[static_cast<uint32_t>(slot) - 1];
      if (BytesEqual(e.key, key)) return &e.value;
    }
  }

  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string_view key;
    V value;
  };

  // Inline (string_bytes.h): on every flag lookup and segment probe.
  static uint64_t Hash(std::string_view key) { return BytesHash(key); }

  bool Insert(std::string_view key, const V& value) {
    if (Find(key) != nullptr) return false;
    uint64_t h = Hash(key);
    size_t i = h & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    entries_.push_back({key, value});
    slots_[i] = (static_cast<uint64_t>(h >> 32) << 32) | entries_.size();
    return true;
  }

  std::vector<uint64_t> slots_;  // 0: empty; else tag << 32 | (index + 1)
  std::vector<Entry> entries_;
  size_t mask_ = 0;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_FLAT_STRING_MAP_H_
