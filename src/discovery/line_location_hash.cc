#include "discovery/line_location_hash.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>

namespace warden::discovery {
namespace {

constexpr int kBlockSize = 100;
constexpr uint64_t kBase = 37;
// Read after the last character so that the final line is hashed too.
constexpr uint32_t kEndOfInput = 0xFFFF;

// Decodes one UTF-8 sequence at `*i` into UTF-16 code units.
void DecodeUtf16(std::string_view text, size_t* i,
                 std::array<uint32_t, 2>* units, int* count) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t lead = byte(*i);
  int length = lead < 0x80         ? 1
               : (lead >> 5) == 6  ? 2
               : (lead >> 4) == 14 ? 3
               : (lead >> 3) == 30 ? 4
                                   : 0;
  uint32_t code = length == 1   ? lead
                  : length == 2 ? (lead & 0x1F)
                  : length == 3 ? (lead & 0x0F)
                                : (lead & 0x07);
  bool valid = length > 0 && *i + length <= text.size();
  for (int k = 1; valid && k < length; ++k) {
    valid = (byte(*i + k) & 0xC0) == 0x80;
    code = (code << 6) | (byte(*i + k) & 0x3F);
  }
  if (!valid || code > 0x10FFFF) {
    (*units)[0] = 0xFFFD;
    *count = 1;
    *i += 1;
    return;
  }
  *i += length;
  if (code >= 0x10000) {
    code -= 0x10000;
    (*units)[0] = 0xD800 + (code >> 10);
    (*units)[1] = 0xDC00 + (code & 0x3FF);
    *count = 2;
  } else {
    (*units)[0] = code;
    *count = 1;
  }
}

class RollingLineHasher {
 public:
  RollingLineHasher(std::vector<std::string>* out, size_t last_line)
      : out_(out), last_line_(last_line) {
    window_.fill(0);
    line_numbers_.fill(-1);
    for (int i = 0; i < kBlockSize; ++i) first_mod_ *= kBase;
  }

  // True once line `last_line` has its fingerprint (lines are emitted in
  // order, so every earlier line has one too).
  bool done() const { return done_; }

  void Add(uint32_t c) {
    if (c == ' ' || c == '\t' || (previous_cr_ && c == '\n')) {
      previous_cr_ = false;
      return;
    }
    previous_cr_ = c == '\r';
    if (c == '\r') c = '\n';
    if (line_numbers_[index_] != -1) Output();
    if (line_start_) {
      line_start_ = false;
      line_numbers_[index_] = ++line_;
    }
    if (c == '\n') line_start_ = true;
    Update(c);
  }

  // Emits the lines whose window is still open, padding with zeros.
  void Finish() {
    for (int i = 0; i < kBlockSize; ++i) {
      if (line_numbers_[index_] != -1) Output();
      Update(0);
    }
  }

 private:
  void Update(uint32_t c) {
    uint64_t begin = window_[index_];
    window_[index_] = c;
    hash_ = kBase * hash_ + c - first_mod_ * begin;
    index_ = (index_ + 1) % kBlockSize;
  }

  void Output() {
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%llx",
                  static_cast<unsigned long long>(hash_));
    int seen = ++counts_[hash_];
    size_t line = static_cast<size_t>(line_numbers_[index_]);
    if (out_->size() < line) out_->resize(line);
    (*out_)[line - 1] = std::string(hex) + ":" + std::to_string(seen);
    line_numbers_[index_] = -1;
    done_ |= line == last_line_;
  }

  std::vector<std::string>* out_;
  size_t last_line_;
  bool done_ = false;
  std::array<uint32_t, kBlockSize> window_;
  std::array<int64_t, kBlockSize> line_numbers_;
  std::map<uint64_t, int> counts_;
  uint64_t first_mod_ = 1;
  uint64_t hash_ = 0;
  int index_ = 0;
  int64_t line_ = 0;
  bool line_start_ = true;
  bool previous_cr_ = false;
};

}  // namespace

std::vector<std::string> LineLocationHashes(std::string_view content,
                                            size_t last_line) {
  std::vector<std::string> hashes;
  RollingLineHasher hasher(&hashes, last_line);
  std::array<uint32_t, 2> units;
  int count = 0;
  for (size_t i = 0; i < content.size() && !hasher.done();) {
    DecodeUtf16(content, &i, &units, &count);
    for (int k = 0; k < count; ++k) hasher.Add(units[k]);
  }
  if (hasher.done()) return hashes;
  hasher.Add(kEndOfInput);
  hasher.Finish();
  return hashes;
}

}  // namespace warden::discovery
