#include "discovery/keyword_matcher.h"

#include <gtest/gtest.h>

#include <random>
#include <utility>

namespace warden::discovery {
namespace {

using Hits = std::vector<std::pair<size_t, size_t>>;

Hits AllHits(const KeywordMatcher& matcher, std::string_view text) {
  Hits hits;
  matcher.Scan(text, [&hits](size_t keyword, size_t end) {
    hits.emplace_back(keyword, end);
    return true;
  });
  return hits;
}

// The obvious quadratic search, as the reference.
Hits NaiveHits(const std::vector<std::string>& keywords,
               std::string_view text) {
  Hits hits;
  for (size_t end = 1; end <= text.size(); ++end) {
    for (size_t k = 0; k < keywords.size(); ++k) {
      const std::string& word = keywords[k];
      if (word.empty() || word.size() > end) continue;
      bool same = true;
      for (size_t i = 0; i < word.size(); ++i) {
        char c = text[end - word.size() + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        same &= c == word[i];
      }
      if (same) hits.emplace_back(k, end);
    }
  }
  return hits;
}

TEST(KeywordMatcherTest, FindsOverlappingKeywordsInOrder) {
  KeywordMatcher matcher({"he", "she", "his", "hers"});
  Hits hits = AllHits(matcher, "ushers");
  EXPECT_EQ(hits, (Hits{{1, 4}, {0, 4}, {3, 6}}));
}

TEST(KeywordMatcherTest, IsCaseInsensitive) {
  KeywordMatcher matcher({"ghp_", "akia"});
  EXPECT_EQ(AllHits(matcher, "x GHP_ y AkIa"), (Hits{{0, 6}, {1, 13}}));
}

TEST(KeywordMatcherTest, PresentReportsEachKeyword) {
  KeywordMatcher matcher({"token", "secret", "xoxb-"});
  std::vector<bool> present = matcher.Present("my_TOKEN = xoxb-1");
  EXPECT_EQ(present, (std::vector<bool>{true, false, true}));
}

TEST(KeywordMatcherTest, HandlesBinaryBytesAndEmptyKeywords) {
  KeywordMatcher matcher({"", "a\xff", "\x01"});
  std::string text("\x00\x01\x41\xff", 4);
  EXPECT_EQ(AllHits(matcher, text), (Hits{{2, 2}, {1, 4}}));
}

TEST(KeywordMatcherTest, StopsWhenTheCallbackSaysSo) {
  KeywordMatcher matcher({"a"});
  int calls = 0;
  matcher.Scan("aaaa", [&calls](size_t, size_t) { return ++calls < 2; });
  EXPECT_EQ(calls, 2);
}

TEST(KeywordMatcherTest, AgreesWithNaiveSearchOnRandomText) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> letter(0, 3);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> keywords;
    for (int k = 0; k < 8; ++k) {
      std::string word;
      int length = 1 + letter(rng);
      for (int i = 0; i < length; ++i) word.push_back("abAc"[letter(rng)]);
      for (char& c : word) c = static_cast<char>(std::tolower(c));
      keywords.push_back(word);
    }
    std::string text;
    for (int i = 0; i < 200; ++i) text.push_back("abcAB"[letter(rng)]);
    KeywordMatcher matcher(keywords);
    Hits expected = NaiveHits(keywords, text);
    Hits actual = AllHits(matcher, text);
    std::sort(expected.begin(), expected.end(), [](auto& a, auto& b) {
      return std::tie(a.second, a.first) < std::tie(b.second, b.first);
    });
    std::sort(actual.begin(), actual.end(), [](auto& a, auto& b) {
      return std::tie(a.second, a.first) < std::tie(b.second, b.first);
    });
    ASSERT_EQ(actual, expected) << text;
  }
}

}  // namespace
}  // namespace warden::discovery
