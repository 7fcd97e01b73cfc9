// libFuzzer target: the keyword automaton, differentially. The input is
// "kw1\nkw2\n...\n\0text": every hit the automaton reports must be a real
// case-insensitive occurrence, and their number must equal a naive count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/keyword_matcher.h"

namespace {

char Fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool OccursAt(std::string_view text, size_t end, const std::string& word) {
  if (word.empty() || word.size() > end) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Fold(text[end - word.size() + i]) != Fold(word[i])) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  if (split == std::string_view::npos) return 0;
  std::vector<std::string> keywords;
  std::string_view list = input.substr(0, split);
  std::string_view text = input.substr(split + 1);
  while (!list.empty() && keywords.size() < 64) {
    size_t nl = list.find('\n');
    keywords.emplace_back(list.substr(0, nl));
    list =
        nl == std::string_view::npos ? std::string_view() : list.substr(nl + 1);
  }
  warden::discovery::KeywordMatcher matcher(keywords);
  size_t hits = 0;
  size_t last_end = 0;
  matcher.Scan(text, [&](size_t keyword, size_t end) {
    if (keyword >= keywords.size() || end < last_end ||
        !OccursAt(text, end, keywords[keyword])) {
      std::abort();
    }
    last_end = end;
    ++hits;
    return true;
  });
  size_t expected = 0;
  for (size_t end = 1; end <= text.size(); ++end) {
    for (const std::string& word : keywords)
      expected += OccursAt(text, end, word);
  }
  if (hits != expected) std::abort();
  return 0;
}
