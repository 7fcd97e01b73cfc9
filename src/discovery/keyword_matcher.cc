// Aho-Corasick (Aho and Corasick, "Efficient string matching", CACM 1975)
// with the goto and failure functions folded into one transition table, so
// scanning costs one table load per input byte. The alphabet is reduced to
// the byte classes that occur in some keyword plus one class for every
// other byte, which keeps the table small enough to stay in cache.
#include "discovery/keyword_matcher.h"

#include <cctype>
#include <deque>

namespace warden::discovery {
namespace {

uint8_t Fold(uint8_t byte) {
  return (byte >= 'A' && byte <= 'Z') ? static_cast<uint8_t>(byte + 32) : byte;
}

}  // namespace

KeywordMatcher::KeywordMatcher(const std::vector<std::string>& keywords)
    : keyword_count_(keywords.size()) {
  // Byte classes: each distinct folded byte of a keyword gets its own; the
  // upper-case twin of a letter shares the lower-case one's class.
  for (const std::string& keyword : keywords) {
    for (char c : keyword) {
      uint8_t folded = Fold(static_cast<uint8_t>(c));
      if (byte_class_[folded] == 0) {
        byte_class_[folded] = static_cast<uint16_t>(class_count_++);
      }
    }
  }
  for (int c = 'A'; c <= 'Z'; ++c) byte_class_[c] = byte_class_[c + 32];
  std::vector<std::vector<int32_t>> outputs;
  BuildTrie(keywords, &outputs);
  BuildFailureLinks(&outputs);
  outputs_begin_.reserve(outputs.size() + 1);
  for (const std::vector<int32_t>& list : outputs) {
    outputs_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
    outputs_.insert(outputs_.end(), list.begin(), list.end());
  }
  outputs_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
  for (int32_t& target : next_) {
    bool reports = !outputs[target].empty();
    target *= class_count_;
    if (reports) target |= kHasOutput;
  }
}

// The trie: next_ holds -1 for a missing edge until failure links fill it.
void KeywordMatcher::BuildTrie(const std::vector<std::string>& keywords,
                               std::vector<std::vector<int32_t>>* outputs) {
  next_.assign(class_count_, -1);
  outputs->emplace_back();
  for (size_t k = 0; k < keywords.size(); ++k) {
    if (keywords[k].empty()) continue;
    int32_t state = 0;
    for (char c : keywords[k]) {
      int32_t cls = byte_class_[Fold(static_cast<uint8_t>(c))];
      int32_t& edge = next_[state * class_count_ + cls];
      if (edge < 0) {
        edge = static_cast<int32_t>(outputs->size());
        outputs->emplace_back();
        next_.resize(next_.size() + class_count_, -1);
      }
      state = next_[state * class_count_ + cls];
    }
    (*outputs)[state].push_back(static_cast<int32_t>(k));
  }
}

// Breadth-first: a state's failure target is shallower, so its transitions
// and outputs are final when the state is reached.
void KeywordMatcher::BuildFailureLinks(
    std::vector<std::vector<int32_t>>* outputs) {
  std::vector<int32_t> failure(outputs->size(), 0);
  std::deque<int32_t> queue;
  for (int32_t cls = 0; cls < class_count_; ++cls) {
    int32_t& edge = next_[cls];
    if (edge < 0) {
      edge = 0;
    } else {
      queue.push_back(edge);
    }
  }
  while (!queue.empty()) {
    int32_t state = queue.front();
    queue.pop_front();
    const std::vector<int32_t>& inherited = (*outputs)[failure[state]];
    (*outputs)[state].insert((*outputs)[state].end(), inherited.begin(),
                             inherited.end());
    for (int32_t cls = 0; cls < class_count_; ++cls) {
      int32_t& edge = next_[state * class_count_ + cls];
      int32_t fallback = next_[failure[state] * class_count_ + cls];
      if (edge < 0) {
        edge = fallback;
      } else {
        failure[edge] = fallback;
        queue.push_back(edge);
      }
    }
  }
}

std::vector<bool> KeywordMatcher::Present(std::string_view text) const {
  std::vector<bool> present(keyword_count_, false);
  Scan(text, [&present](size_t keyword, size_t) {
    present[keyword] = true;
    return true;
  });
  return present;
}

}  // namespace warden::discovery
