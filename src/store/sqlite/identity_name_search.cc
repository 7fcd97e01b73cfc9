#include "store/sqlite/identity_name_search.h"

#include <algorithm>
#include <vector>

#include "store/sqlite/sqlite_query.h"

namespace warden::sqlite {
namespace {

// The byte length of the UTF-8 sequence starting at `s[i]`, or 0 when it is
// not a well-formed, shortest-form sequence of a scalar value (or is NUL).
// The trigram tokenizer decodes characters itself; a needle it could read
// differently is left to the scan.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  if (lead == 0) return 0;
  if (lead < 0x80) return 1;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > s.size()) return 0;
  uint32_t code = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10FFFF) return 0;
  if (code >= 0xD800 && code <= 0xDFFF) return 0;  // surrogates
  return length;
}

// `text` as an FTS5 string: double quotes, inner ones doubled.
std::string Fts5String(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

std::vector<std::string> NeedleTrigrams(std::string_view needle) {
  std::vector<size_t> starts;  // byte offset of each character
  for (size_t i = 0; i < needle.size();) {
    size_t length = Utf8SequenceLength(needle, i);
    if (length == 0) return {};
    starts.push_back(i);
    i += length;
  }
  starts.push_back(needle.size());
  std::vector<std::string> trigrams;
  for (size_t c = 0; c + 3 < starts.size(); ++c) {
    std::string trigram(needle.substr(starts[c], starts[c + 3] - starts[c]));
    // A repeated trigram narrows nothing more.
    if (std::find(trigrams.begin(), trigrams.end(), trigram) ==
        trigrams.end()) {
      trigrams.push_back(std::move(trigram));
    }
  }
  return trigrams;
}

std::string MatchEveryTrigram(const std::vector<std::string>& trigrams) {
  std::string expression;
  for (const std::string& trigram : trigrams) {
    if (!expression.empty()) expression += " AND ";
    expression += Fts5String(trigram);
  }
  return expression;
}

std::optional<std::string> TrigramMatchExpression(std::string_view needle) {
  std::vector<std::string> trigrams = NeedleTrigrams(needle);
  if (trigrams.empty()) return std::nullopt;
  std::sort(trigrams.begin(), trigrams.end());
  return MatchEveryTrigram(trigrams);
}

namespace {

// The names `match` names, counted up to kMaxTrigramCandidates + 1.
Result<int64_t> CountCandidates(Connection& connection,
                                const std::string& match) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<int64_t> count,
      QueryFirst(
          connection,
          std::string("SELECT COUNT(*) FROM (SELECT 1 FROM ") +
              kIdentityNameTrigrams + " WHERE " + kIdentityNameTrigrams +
              " MATCH ? LIMIT ?)",
          "count identity name candidates",
          [](const Statement& s) { return s.Int(0); }, match,
          int64_t{kMaxTrigramCandidates + 1}));
  return count.value_or(0);
}

}  // namespace

Result<NameSearch> ChooseNameSearch(Connection& connection,
                                    const IdentityFilter& filter) {
  if (!filter.name_contains) return NameSearch{};
  std::vector<std::string> trigrams = NeedleTrigrams(*filter.name_contains);
  if (trigrams.empty()) return NameSearch{};
  std::vector<std::string> uncommon;
  const size_t probed =
      std::min(trigrams.size(), static_cast<size_t>(kMaxProbedTrigrams));
  for (size_t i = 0; i < probed; ++i) {
    WARDEN_ASSIGN_OR_RETURN(
        int64_t count,
        CountCandidates(connection, MatchEveryTrigram({trigrams[i]})));
    if (count <= kMaxTrigramCandidates) uncommon.push_back(trigrams[i]);
  }
  if (!uncommon.empty()) {
    return NameSearch{NamePlan::kTrigramCandidates,
                      MatchEveryTrigram(uncommon)};
  }
  std::string every = MatchEveryTrigram(trigrams);
  WARDEN_ASSIGN_OR_RETURN(int64_t count, CountCandidates(connection, every));
  if (count > kMaxTrigramCandidates) return NameSearch{};
  return NameSearch{NamePlan::kTrigramCandidates, std::move(every)};
}

}  // namespace warden::sqlite
