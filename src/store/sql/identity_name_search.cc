#include "store/sql/identity_name_search.h"

#include <algorithm>
#include <vector>

#include "store/sql/query.h"

namespace warden::sql {
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

// The first kMaxTrigramCandidates + 1 names a match names: how many, and
// over how many rowids they spread (rowids follow insertion, so the spread
// tells how dense the match is even when the count stops at the cap).
struct CandidateSample {
  int64_t count = 0;
  int64_t rowid_span = 0;

  bool bounded() const { return count <= kMaxTrigramCandidates; }
  // On more than half the names it passes: narrows by less than 2x, and
  // its posting list costs the match more than that saves.
  bool nearly_everywhere() const {
    return !bounded() && count * 2 > rowid_span;
  }
};

Result<CandidateSample> SampleCandidates(sql::Connection& connection,
                                         const std::string& match) {
  WARDEN_ASSIGN_OR_RETURN(
      std::optional<CandidateSample> sample,
      QueryFirst(
          connection,
          std::string("SELECT COUNT(*), MAX(rowid) - MIN(rowid) + 1 FROM "
                      "(SELECT rowid FROM ") +
              kIdentityNameTrigrams + " WHERE " + kIdentityNameTrigrams +
              " MATCH ? LIMIT ?)",
          "count identity name candidates",
          [](const sql::Statement& s) {
            return CandidateSample{s.Int(0), s.Int(1)};
          },
          match, int64_t{kMaxTrigramCandidates + 1}));
  return sample.value_or(CandidateSample{});
}

}  // namespace

Result<NameSearch> ChooseNameSearch(sql::Connection& connection,
                                    const IdentityFilter& filter) {
  if (!filter.name_contains) return NameSearch{};
  if (connection.dialect() == Dialect::kPostgres) {
    return NameSearch{NamePlan::kLowerNameLike};
  }
  std::vector<std::string> trigrams = NeedleTrigrams(*filter.name_contains);
  if (trigrams.empty()) return NameSearch{};
  // Any subset of the trigrams narrows correctly: keep the probed ones that
  // narrow, and know whether one alone bounds the candidates.
  trigrams.resize(
      std::min(trigrams.size(), static_cast<size_t>(kMaxProbedTrigrams)));
  std::vector<std::string> narrowing;
  bool bounded = false;
  for (const std::string& trigram : trigrams) {
    WARDEN_ASSIGN_OR_RETURN(
        CandidateSample sample,
        SampleCandidates(connection, MatchEveryTrigram({trigram})));
    bounded = bounded || sample.bounded();
    if (!sample.nearly_everywhere()) narrowing.push_back(trigram);
  }
  if (narrowing.empty()) narrowing = std::move(trigrams);
  std::string match = MatchEveryTrigram(narrowing);
  if (!bounded) {
    WARDEN_ASSIGN_OR_RETURN(CandidateSample sample,
                            SampleCandidates(connection, match));
    if (!sample.bounded()) return NameSearch{};
  }
  return NameSearch{NamePlan::kTrigramCandidates, std::move(match)};
}

}  // namespace warden::sql
