// Internal to src/eval: an immutable open-addressing hash map from string
// views to small values, for the read path (segment members, flag keys).
// One contiguous slot array: a lookup is usually one cache line, against a
// node chase per probe in std::unordered_map, and it never allocates.
//
// Keys are views: the strings must outlive the map (they live in the
// snapshot's EnvironmentConfig). Immutable after Build; thread-safe reads.
#ifndef WARDEN_EVAL_FLAT_STRING_MAP_H_
#define WARDEN_EVAL_FLAT_STRING_MAP_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::eval {

template <typename V>
class FlatStringMap {
 public:
  // Builds from `entries`; a later duplicate key is ignored and Build
  // returns false in that case.
  bool Build(const std::vector<std::pair<std::string_view, V>>& entries) {
    size_t capacity = 16;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    size_ = 0;
    bool unique = true;
    for (const auto& [key, value] : entries) unique &= Insert(key, value);
    return unique;
  }

  // The value stored under `key`, or nullptr.
  const V* Find(std::string_view key) const {
    if (slots_.empty()) return nullptr;
    size_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.data == nullptr) return nullptr;
      if (slot.hash == h && slot.size == key.size() &&
          std::memcmp(slot.data, key.data(), key.size()) == 0) {
        return &slot.value;
      }
    }
  }

  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  size_t size() const { return size_; }
  size_t MemoryUsage() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    size_t hash = 0;
    const char* data = nullptr;  // nullptr: empty slot
    size_t size = 0;
    V value{};
  };

  static size_t Hash(std::string_view key) {
    return std::hash<std::string_view>{}(key);
  }

  bool Insert(std::string_view key, const V& value) {
    size_t h = Hash(key);
    // Empty keys need a non-null data pointer to mark the slot used.
    const char* data = key.data() != nullptr ? key.data() : "";
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.data == nullptr) {
        slot = Slot{h, data, key.size(), value};
        ++size_;
        return true;
      }
      if (slot.hash == h && slot.size == key.size() &&
          std::memcmp(slot.data, data, key.size()) == 0) {
        return false;
      }
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace warden::eval

#endif  // WARDEN_EVAL_FLAT_STRING_MAP_H_
