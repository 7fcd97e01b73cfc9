#include "cli/paged_list.h"

#include <boost/json.hpp>
#include <iostream>

namespace warden::cli {

Result<boost::json::array> FetchAllPages(const CommandContext& context,
                                         const QueryString& query,
                                         size_t max_rows) {
  boost::json::array rows;
  std::string cursor;
  for (int page = 0; page < kMaxListPages; ++page) {
    QueryString target = query;
    target.Add("cursor", cursor);
    WARDEN_ASSIGN_OR_RETURN(std::string answer,
                            context.Call(HttpMethod::kGet, target.target()));
    WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(answer));
    WARDEN_ASSIGN_OR_RETURN(boost::json::array items, ListItems(parsed));
    for (auto& item : items) {
      if (max_rows != 0 && rows.size() >= max_rows) return rows;
      rows.push_back(std::move(item));
    }
    cursor = JsonString(parsed, "next_cursor");
    if (cursor.empty()) return rows;
  }
  return Internal("server returned more than " + std::to_string(kMaxListPages) +
                  " pages for " + query.target());
}

Status PrintPagedList(const CommandContext& context, const QueryString& query,
                      bool all, const std::vector<Column>& columns) {
  if (all) {
    WARDEN_ASSIGN_OR_RETURN(boost::json::array rows,
                            FetchAllPages(context, query));
    boost::json::object document{{"items", std::move(rows)}};
    return context.PrintList(boost::json::serialize(document), columns);
  }
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  WARDEN_RETURN_IF_ERROR(context.PrintList(answer, columns));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(answer));
  if (!JsonString(parsed, "next_cursor").empty() && !context.json_output()) {
    std::cerr << "more results: pass --all to follow the cursor\n";
  }
  return Status::Ok();
}

}  // namespace warden::cli
