// MurmurHash3 x86_32 (Austin Appleby, public domain algorithm) and flagd's
// fractional bucketing built on it.
#ifndef WARDEN_EVAL_MURMUR3_H_
#define WARDEN_EVAL_MURMUR3_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace warden::eval {

// Incremental MurmurHash3 x86_32: Update() over pieces gives the same hash
// as one call over their concatenation, so "flagKey + targetingKey" is
// hashed without building the string. Not thread-safe (a local value).
class Murmur3Hasher {
 public:
  explicit Murmur3Hasher(uint32_t seed = 0) : h_(seed) {}
  void Update(std::string_view data);
  uint32_t Finish() const;

 private:
  void MixBlock(uint32_t k);

  uint32_t h_;
  uint32_t carry_ = 0;   // pending little-endian bytes of a partial block
  int carry_bytes_ = 0;  // 0..3
  size_t total_ = 0;
};

uint32_t Murmur3X86_32(std::string_view data, uint32_t seed = 0);

// flagd fractional v2: maps a hash to [0, total_weight) with integer
// arithmetic. REQUIRES: total_weight > 0.
inline uint64_t FractionalBucket(uint32_t hash, uint32_t total_weight) {
  return (static_cast<uint64_t>(hash) * total_weight) >> 32;
}

}  // namespace warden::eval

#endif  // WARDEN_EVAL_MURMUR3_H_
