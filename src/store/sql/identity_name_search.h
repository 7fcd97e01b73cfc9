// Name search (IdentityFilter::name_contains) on SQLite: the trigram index
// of identity names and the choice, per query, between using it and
// scanning in keyset order.
//
// The index is an FTS5 table with the trigram tokenizer over the
// identities table (external content, keyed by identities' rowid, kept
// right by triggers; schema.cc). It only ever narrows the rows to look at:
// every query still checks the exact condition, a case-insensitive (ASCII)
// substring of the name, so results are those of a scan. Two plans:
//
//   kTrigramCandidates  rows whose names hold the needle's narrowing
//                       trigrams (a superset of the matches), sorted by
//                       id. Costs O(candidates): right when they are few.
//   kScanInIdOrder      rows in id order (or in the order of another
//                       filter's index) until the page is full. Costs
//                       O(page * rows / matches): right when matches are
//                       dense, and the only plan for needles under three
//                       characters, which have no trigram.
//
// ChooseNameSearch samples candidates (counts capped at
// kMaxTrigramCandidates + 1) to decide.
// PostgreSQL needs none of this (a pg_trgm GIN index on lower(name) is
// used by the planner itself); it stays inside the SQLite repository.
//
// Thread safety: free functions; ChooseNameSearch runs on the caller's
// connection, one thread at a time as that connection's transaction.
#ifndef WARDEN_STORE_SQL_IDENTITY_NAME_SEARCH_H_
#define WARDEN_STORE_SQL_IDENTITY_NAME_SEARCH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"
#include "core/status.h"
#include "store/sql/connection.h"

namespace warden::sql {

// The FTS5 table holding the trigrams of identities.name.
inline constexpr char kIdentityNameTrigrams[] = "identity_name_trigrams";

// Above this many candidates the scan is the cheaper plan: sorting C
// candidates costs about C row visits, a scan about page * N / C, and the
// two meet near sqrt(page * N) (~7,000 for 50-row pages over 1M names).
// Also bounds the cost of deciding (the count stops here).
inline constexpr int kMaxTrigramCandidates = 5000;

// Trigrams of the needle probed one by one when choosing (a bound on the
// cost of deciding for long needles; any subset narrows correctly).
inline constexpr int kMaxProbedTrigrams = 8;

// kLowerNameLike: PostgreSQL, whose pg_trgm index on lower(name) the
// planner uses by itself (like_pattern.h).
enum class NamePlan { kScanInIdOrder, kTrigramCandidates, kLowerNameLike };

// How one query searches names.
struct NameSearch {
  NamePlan plan = NamePlan::kScanInIdOrder;
  // kTrigramCandidates: the FTS5 query naming the candidates.
  std::string match;
};

// The distinct trigrams (three characters) of `needle`, in needle order.
// Empty when the needle has fewer than three characters or is not valid
// UTF-8 without NUL (no trigram the index could hold for it).
std::vector<std::string> NeedleTrigrams(std::string_view needle);

// The FTS5 query matching names that contain every one of `trigrams`
// ("abc" AND "bcd" ...; each quoted, so no character is FTS5 syntax).
std::string MatchEveryTrigram(const std::vector<std::string>& trigrams);

// MatchEveryTrigram(NeedleTrigrams(needle)) with the trigrams sorted;
// nullopt when the needle has none.
std::optional<std::string> TrigramMatchExpression(std::string_view needle);

// How to search `filter.name_contains`:
//  - kScanInIdOrder when there is none, when it has no trigram, or when
//    its match names more than kMaxTrigramCandidates rows (dense matches:
//    the scan fills a page soon);
//  - else kTrigramCandidates, matching the needle's first
//    kMaxProbedTrigrams trigrams except those on more than half the names
//    (a trigram on nearly every name narrows little and its posting list
//    costs the match more than it saves), or all of them when each is.
// Costs a capped count per probed trigram, and one for the match unless a
// trigram alone bounds it. Errors: the connection's, on a failed count.
Result<NameSearch> ChooseNameSearch(sql::Connection& connection,
                                    const IdentityFilter& filter);

}  // namespace warden::sql

#endif  // WARDEN_STORE_SQL_IDENTITY_NAME_SEARCH_H_
