// MurmurHash3 x86_32, as in Appleby's reference MurmurHash3.cpp and in
// github.com/twmb/murmur3 (which flagd uses).
#include "eval/murmur3.h"

namespace warden::eval {
namespace {

constexpr uint32_t kC1 = 0xcc9e2d51;
constexpr uint32_t kC2 = 0x1b873593;

uint32_t Rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

uint32_t ScrambleBlock(uint32_t k) {
  k *= kC1;
  k = Rotl(k, 15);
  return k * kC2;
}

}  // namespace

void Murmur3Hasher::MixBlock(uint32_t k) {
  h_ ^= ScrambleBlock(k);
  h_ = Rotl(h_, 13);
  h_ = h_ * 5 + 0xe6546b64;
}

void Murmur3Hasher::Update(std::string_view data) {
  total_ += data.size();
  size_t i = 0;
  // Finish a pending partial block byte by byte.
  while (carry_bytes_ != 0 && i < data.size()) {
    carry_ |= static_cast<uint32_t>(static_cast<uint8_t>(data[i++]))
              << (8 * carry_bytes_);
    if (++carry_bytes_ == 4) {
      MixBlock(carry_);
      carry_ = 0;
      carry_bytes_ = 0;
    }
  }
  for (; i + 4 <= data.size(); i += 4) {
    const auto* p = reinterpret_cast<const uint8_t*>(data.data() + i);
    MixBlock(static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
             static_cast<uint32_t>(p[2]) << 16 |
             static_cast<uint32_t>(p[3]) << 24);
  }
  for (; i < data.size(); ++i) {
    carry_ |= static_cast<uint32_t>(static_cast<uint8_t>(data[i]))
              << (8 * carry_bytes_++);
  }
}

uint32_t Murmur3Hasher::Finish() const {
  uint32_t h = h_;
  if (carry_bytes_ != 0) h ^= ScrambleBlock(carry_);
  h ^= static_cast<uint32_t>(total_);
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

uint32_t Murmur3X86_32(std::string_view data, uint32_t seed) {
  Murmur3Hasher hasher(seed);
  hasher.Update(data);
  return hasher.Finish();
}

}  // namespace warden::eval
