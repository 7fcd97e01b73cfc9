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
//   kTrigramCandidates  rows whose names hold every trigram of the needle
//                       (a superset of the matches), sorted by id. Costs
//                       O(candidates): right when they are few.
//   kScanInIdOrder      rows in id order (or in the order of another
//                       filter's index) until the page is full. Costs
//                       O(page * rows / matches): right when matches are
//                       dense, and the only plan for needles under three
//                       characters, which have no trigram.
//
// ChooseNamePlan counts candidates up to kMaxTrigramCandidates to decide.
// PostgreSQL needs none of this (a pg_trgm GIN index on lower(name) is
// used by the planner itself); it stays inside the SQLite repository.
//
// Thread safety: free functions; ChooseNamePlan runs on the caller's
// connection, one thread at a time as that connection's transaction.
#ifndef WARDEN_STORE_SQLITE_IDENTITY_NAME_SEARCH_H_
#define WARDEN_STORE_SQLITE_IDENTITY_NAME_SEARCH_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/identity.h"
#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace warden::sqlite {

// The FTS5 table holding the trigrams of identities.name.
inline constexpr char kIdentityNameTrigrams[] = "identity_name_trigrams";

// Above this many candidates the scan is the cheaper plan: sorting C
// candidates costs about C row visits, a scan about page * N / C, and the
// two meet near sqrt(page * N) (~7,000 for 50-row pages over 1M names).
// Also bounds the cost of deciding (the count stops here).
inline constexpr int kMaxTrigramCandidates = 5000;

enum class NamePlan { kScanInIdOrder, kTrigramCandidates };

// The FTS5 query matching names that contain every trigram of `needle`
// ("abc" AND "bcd" ...; each quoted, so no character of the needle is FTS5
// syntax). nullopt when the needle has fewer than three characters or is
// not valid UTF-8 without NUL (no trigram the index could hold for it).
std::optional<std::string> TrigramMatchExpression(std::string_view needle);

// kScanInIdOrder when `filter` has no name_contains, when it has no
// trigram, or when it has more than kMaxTrigramCandidates candidates;
// kTrigramCandidates otherwise. Errors: the connection's, on a failed
// count.
Result<NamePlan> ChooseNamePlan(Connection& connection,
                                const IdentityFilter& filter);

}  // namespace warden::sqlite

#endif  // WARDEN_STORE_SQLITE_IDENTITY_NAME_SEARCH_H_
