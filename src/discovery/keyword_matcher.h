// KeywordMatcher: finds every occurrence of a fixed set of keywords in a
// byte string in one pass (Aho-Corasick, compiled to a dense automaton over
// byte classes). Matching is ASCII case-insensitive: keywords are stored
// lower-case and each input byte is folded before the lookup. The secret
// scanner runs it first over a whole file so that only the rules whose
// keyword occurs run their regular expression.
//
// Thread-safety: immutable after construction; Scan() may be called from
// any number of threads at once.
#ifndef WARDEN_DISCOVERY_KEYWORD_MATCHER_H_
#define WARDEN_DISCOVERY_KEYWORD_MATCHER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::discovery {

class KeywordMatcher {
 public:
  // Builds the automaton. Keywords are folded to lower case; empty keywords
  // are ignored; duplicates report each of their indices. Keyword i is
  // reported as index i.
  explicit KeywordMatcher(const std::vector<std::string>& keywords);

  // Calls on_hit(keyword_index, end) for every occurrence in `text`, in
  // increasing order of `end` (one past the keyword's last byte). The
  // callback returns false to stop the scan early.
  template <typename OnHit>
  void Scan(std::string_view text, OnHit&& on_hit) const;

  // Returns, per keyword, whether it occurs in `text`.
  std::vector<bool> Present(std::string_view text) const;

  size_t keyword_count() const { return keyword_count_; }
  size_t state_count() const { return outputs_begin_.size() - 1; }

 private:
  void BuildTrie(const std::vector<std::string>& keywords,
                 std::vector<std::vector<int32_t>>* outputs);
  void BuildFailureLinks(std::vector<std::vector<int32_t>>* outputs);

  // Set on a transition whose target state reports keywords, so that the
  // scan loop tests a bit instead of loading the output list's bounds.
  static constexpr int32_t kHasOutput = int32_t{1} << 30;

  // Immutable after construction.
  size_t keyword_count_ = 0;
  int32_t class_count_ = 1;                 // byte classes; 0 = "no keyword"
  std::array<uint16_t, 256> byte_class_{};  // folded byte -> class
  // Transitions: next_[state * class_count_ + class] holds the target state
  // pre-multiplied by class_count_, with kHasOutput when it reports.
  std::vector<int32_t> next_;
  std::vector<uint32_t> outputs_begin_;  // per state, into outputs_
  std::vector<int32_t> outputs_;         // keyword indices
};

template <typename OnHit>
void KeywordMatcher::Scan(std::string_view text, OnHit&& on_hit) const {
  const int32_t* next = next_.data();
  const uint16_t* classes = byte_class_.data();
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  int32_t state = 0;  // pre-multiplied by class_count_
  size_t i = 0;
  while (i < size) {
    // The hot loop: one table load per byte, no call, until a hit.
    do {
      state = next[state + classes[bytes[i++]]];
    } while ((state & kHasOutput) == 0 && i < size);
    if ((state & kHasOutput) == 0) return;
    state &= ~kHasOutput;
    int32_t target = state / class_count_;
    for (uint32_t k = outputs_begin_[target]; k < outputs_begin_[target + 1];
         ++k) {
      if (!on_hit(static_cast<size_t>(outputs_[k]), i)) return;
    }
  }
}

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_KEYWORD_MATCHER_H_
