// Internal to src/eval: string equality and hashing for the read path,
// inlined so that short keys (flag keys, attribute names, tenant keys,
// operands; nearly all under 17 bytes) cost a few loads and compares
// instead of a call into libc's memcmp or libstdc++'s _Hash_bytes.
//
// BytesHash is not a cryptographic or flood-resistant hash: it indexes
// immutable maps built from configuration (flag keys, segment members);
// untrusted callers only probe them, they cannot insert.
//
// Pure functions; thread-safe.
#ifndef WARDEN_EVAL_STRING_BYTES_H_
#define WARDEN_EVAL_STRING_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace warden::eval {

namespace string_bytes_internal {

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The first and last bytes of `s` (overlapping loads): together they cover
// every byte when s.size() <= 16. REQUIRES: s.size() <= 16 for that.
inline void HeadTail(std::string_view s, uint64_t* head, uint64_t* tail) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n >= 8) {
    *head = Load64(p);
    *tail = Load64(p + n - 8);
  } else if (n >= 4) {
    *head = Load32(p);
    *tail = Load32(p + n - 4);
  } else if (n > 0) {
    *head = static_cast<uint64_t>(static_cast<uint8_t>(p[0])) << 16 |
            static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8 |
            static_cast<uint8_t>(p[n - 1]);
    *tail = 0;
  } else {
    *head = 0;
    *tail = 0;
  }
}

// 64x64 -> 128 multiply folded to 64 bits (as in wyhash).
__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline constexpr uint64_t kK0 = 0xa0761d6478bd642full;
inline constexpr uint64_t kK1 = 0xe7037ed1a0b428dbull;

}  // namespace string_bytes_internal

// a == b, without a library call up to 16 bytes.
inline bool BytesEqual(std::string_view a, std::string_view b) {
  namespace in = string_bytes_internal;
  if (a.size() != b.size()) return false;
  if (a.size() > 16) return std::memcmp(a.data(), b.data(), a.size()) == 0;
  uint64_t ah, at, bh, bt;
  in::HeadTail(a, &ah, &at);
  in::HeadTail(b, &bh, &bt);
  return ah == bh && at == bt;
}

// s ends with suffix.
inline bool BytesEndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         BytesEqual(s.substr(s.size() - suffix.size()), suffix);
}

// s starts with prefix.
inline bool BytesStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         BytesEqual(s.substr(0, prefix.size()), prefix);
}

// A 64-bit hash of s; both halves are well mixed (maps use the low bits for
// the slot and the high bits as a tag).
inline uint64_t BytesHash(std::string_view s) {
  namespace in = string_bytes_internal;
  uint64_t seed = in::kK0 ^ s.size();
  const char* p = s.data();
  size_t n = s.size();
  for (; n > 16; p += 16, n -= 16) {
    seed = in::Fold(in::Load64(p) ^ in::kK1, in::Load64(p + 8) ^ seed);
  }
  uint64_t head, tail;
  in::HeadTail(std::string_view(p, n), &head, &tail);
  return in::Fold(in::Fold(head ^ in::kK1, tail ^ seed), in::kK0);
}

}  // namespace warden::eval

#endif  // WARDEN_EVAL_STRING_BYTES_H_
