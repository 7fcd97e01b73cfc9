#include "cli/audit_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/audit_archive_commands.h"
#include "cli/audit_verify_command.h"

namespace warden::cli {
namespace {

// Page size when exporting or following; the API's maximum page.
constexpr int kAuditPageSize = 1000;
// Upper bound on pages exported in one run (100M records).
constexpr int kMaxExportPages = 100000;
constexpr auto kFollowPollInterval = std::chrono::seconds(1);

struct AuditOptions {
  std::string actor, action, target, since, until;
  int limit = 0;
  int tail_count = 20;
  bool follow = false;
  std::string out;
};

const std::vector<Column>& AuditColumns() {
  static const std::vector<Column> kColumns = {
      {"SEQ", "sequence"},  {"TIME", "time"},     {"ACTOR", "actor"},
      {"ACTION", "action"}, {"TARGET", "target"}, {"OUTCOME", "outcome"}};
  return kColumns;
}

QueryString FilterQuery(const AuditOptions& options) {
  QueryString query("/v1/audit");
  query.Add("actor", options.actor)
      .Add("action", options.action)
      .Add("target", options.target)
      .Add("since", options.since)
      .Add("until", options.until);
  return query;
}

int64_t LastSequence(const boost::json::array& rows, int64_t fallback) {
  for (const auto& row : rows) {
    const auto* sequence =
        row.is_object() ? row.get_object().if_contains("sequence") : nullptr;
    if (sequence != nullptr && sequence->is_int64()) {
      fallback = std::max(fallback, sequence->get_int64());
    }
  }
  return fallback;
}

Result<boost::json::array> FetchPage(const CommandContext& context,
                                     QueryString query) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(answer));
  return ListItems(parsed);
}

Status PrintRows(const CommandContext& context, boost::json::array rows,
                 bool header) {
  if (context.json_output()) {
    for (const auto& row : rows)
      std::cout << boost::json::serialize(row) << "\n";
  } else {
    std::string table = RenderTable(AuditColumns(), rows);
    if (!header) table.erase(0, table.find('\n') + 1);
    std::cout << table;
  }
  std::cout.flush();
  return Status::Ok();
}

Status AuditSearch(const CommandContext& context, const AuditOptions& options) {
  QueryString query = FilterQuery(options);
  query.Add("limit", options.limit > 0 ? std::to_string(options.limit) : "");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, AuditColumns());
}

// The newest N records, oldest first; with --follow, then polls for newer
// ones until interrupted.
Status AuditTail(const CommandContext& context, const AuditOptions& options) {
  QueryString newest("/v1/audit");
  newest.Add("order", "desc").Add("limit", std::to_string(options.tail_count));
  WARDEN_ASSIGN_OR_RETURN(boost::json::array rows, FetchPage(context, newest));
  std::reverse(rows.begin(), rows.end());
  int64_t last = LastSequence(rows, 0);
  WARDEN_RETURN_IF_ERROR(PrintRows(context, std::move(rows), true));
  while (options.follow) {
    std::this_thread::sleep_for(kFollowPollInterval);
    QueryString newer("/v1/audit");
    newer.Add("after", std::to_string(last))
        .Add("limit", std::to_string(kAuditPageSize));
    WARDEN_ASSIGN_OR_RETURN(boost::json::array page, FetchPage(context, newer));
    last = LastSequence(page, last);
    WARDEN_RETURN_IF_ERROR(PrintRows(context, std::move(page), false));
  }
  return Status::Ok();
}

// JSON Lines, one record per line, following sequence order page by page.
Status AuditExport(const CommandContext& context, const AuditOptions& options) {
  std::ofstream file;
  if (!options.out.empty()) {
    file.open(options.out, std::ios::trunc);
    if (!file) return InvalidArgument("cannot write " + options.out);
  }
  std::ostream& out = options.out.empty() ? std::cout : file;
  int64_t last = 0, exported = 0;
  for (int page = 0; page < kMaxExportPages; ++page) {
    QueryString query = FilterQuery(options);
    query.Add("after", last > 0 ? std::to_string(last) : "")
        .Add("limit", std::to_string(kAuditPageSize));
    WARDEN_ASSIGN_OR_RETURN(boost::json::array rows, FetchPage(context, query));
    for (const auto& row : rows) out << boost::json::serialize(row) << "\n";
    exported += static_cast<int64_t>(rows.size());
    int64_t next = LastSequence(rows, last);
    if (rows.size() < static_cast<size_t>(kAuditPageSize) || next == last) {
      out.flush();
      if (!out) return Unavailable("writing the export failed");
      std::cerr << "exported " << exported << " audit records\n";
      return Status::Ok();
    }
    last = next;
  }
  return Internal("audit export: more than " + std::to_string(kMaxExportPages) +
                  " pages");
}

void AddFilterOptions(CLI::App* command, AuditOptions& options) {
  command->add_option("--actor", options.actor, "acting subject");
  command->add_option("--action", options.action,
                      "action, e.g. identity.create or identity.*");
  command->add_option("--target", options.target, "e.g. team/payments");
  command->add_option("--since", options.since, "RFC 3339, inclusive");
  command->add_option("--until", options.until, "RFC 3339, exclusive");
}

}  // namespace

void AddAuditCommands(CLI::App& app, CommandContext& context) {
  CLI::App* audit =
      app.add_subcommand("audit", "read and verify the audit log");
  audit->require_subcommand(1);
  auto options = std::make_shared<AuditOptions>();

  CLI::App* tail = audit->add_subcommand("tail", "newest records");
  tail->add_option("-n", options->tail_count, "how many")
      ->check(CLI::Range(1, kAuditPageSize));
  tail->add_flag("--follow,-f", options->follow, "keep printing new records");
  BindCommand(tail, context,
              [&context, options] { return AuditTail(context, *options); });

  CLI::App* search = audit->add_subcommand("search", "filter the log");
  AddFilterOptions(search, *options);
  search->add_option("--limit", options->limit, "at most this many")
      ->check(CLI::Range(1, kAuditPageSize));
  BindCommand(search, context,
              [&context, options] { return AuditSearch(context, *options); });

  CLI::App* exporter = audit->add_subcommand("export", "JSON Lines export");
  AddFilterOptions(exporter, *options);
  exporter->add_option("--out", options->out, "file (default stdout)");
  BindCommand(exporter, context,
              [&context, options] { return AuditExport(context, *options); });

  AddAuditVerifyCommand(*audit, context);
  AddAuditArchiveCommands(*audit, context);
}

}  // namespace warden::cli
