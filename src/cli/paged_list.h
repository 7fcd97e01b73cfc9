// Listing a keyset-paged collection (?limit=&cursor=, answers with "items"
// and "next_cursor"): one page, or every page with --all, printed as one
// table or one {"items": [...]} document.
#ifndef WARDEN_CLI_PAGED_LIST_H_
#define WARDEN_CLI_PAGED_LIST_H_

#include <string>
#include <vector>

#include "cli/command_context.h"

namespace warden::cli {

// Bound on the pages --all follows (500 rows each): a runaway cursor must
// not loop forever.
inline constexpr int kMaxListPages = 1000;

// GETs `query` (its ?limit= already added when wanted), and with `all`
// every following page (adding &cursor=), and prints the rows under
// `columns`. Without `all`, a table output that has more pages says so on
// stderr. kInternal when the server keeps paging past kMaxListPages.
Status PrintPagedList(const CommandContext& context, const QueryString& query,
                      bool all, const std::vector<Column>& columns);

// Every row of every page of `query`, at most `max_rows` (0: unbounded).
Result<boost::json::array> FetchAllPages(const CommandContext& context,
                                         const QueryString& query,
                                         size_t max_rows = 0);

}  // namespace warden::cli

#endif  // WARDEN_CLI_PAGED_LIST_H_
