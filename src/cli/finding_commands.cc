#include "cli/finding_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/paged_list.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

struct FindingOptions {
  std::string id, rule, severity, owner, owasp, state, identity, application,
      environment, reason, expires_in, expires_at;
  int limit = 0;
  bool all = false;
};

const std::vector<Column>& FindingColumns() {
  static const std::vector<Column> kColumns = {
      {"ID", "id"},       {"SEVERITY", "severity"},  {"RULE", "rule"},
      {"OWASP", "owasp"}, {"OWNER", "owner"},        {"SUBJECT", "subject"},
      {"STATE", "state"}, {"LAST SEEN", "last_seen"}};
  return kColumns;
}

std::string FindingPath(const std::string& id) {
  return "/v1/findings/" + PathSegment(id);
}

QueryString FilterQuery(std::string path, const FindingOptions& options) {
  QueryString query(std::move(path));
  query.Add("rule", options.rule)
      .Add("severity", options.severity)
      .Add("owner", options.owner)
      .Add("owasp", options.owasp)
      .Add("state", options.state)
      .Add("identity", options.identity)
      .Add("application", options.application)
      .Add("environment", options.environment);
  return query;
}

Status FindingList(const CommandContext& context,
                   const FindingOptions& options) {
  QueryString query = FilterQuery("/v1/findings", options);
  query.Add("limit", options.limit > 0 ? std::to_string(options.limit) : "");
  return PrintPagedList(context, query, options.all, FindingColumns());
}

Status FindingShow(const CommandContext& context,
                   const FindingOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, FindingPath(options.id)));
  return context.PrintRecord(answer);
}

Status FindingAck(const CommandContext& context,
                  const FindingOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string expires_at,
                          InstantFlag(options.expires_at, options.expires_in,
                                      "--expires-at/--expires-in"));
  if (expires_at.empty()) {
    return InvalidArgument(
        "--expires-at/--expires-in: an acknowledgement needs an expiry");
  }
  json::object body{{"reason", options.reason}, {"expires_at", expires_at}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, FindingPath(options.id) + "/acknowledge",
                   json::serialize(body)));
  return context.PrintRecord(answer);
}

Status FindingRules(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/findings/rules"));
  return context.PrintList(answer, {{"RULE", "id"},
                                    {"SEVERITY", "severity"},
                                    {"OWASP", "owasp"},
                                    {"CSF", "csf"},
                                    {"TITLE", "title"}});
}

// One "KEY  COUNT" table per dimension, largest first.
void PrintCounts(const char* title, const json::value* counts) {
  if (counts == nullptr || !counts->is_object()) return;
  json::array rows;
  for (const auto& [key, count] : counts->get_object()) {
    rows.push_back({{"key", key}, {"count", count}});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const json::value& a, const json::value& b) {
                     return a.at("count").to_number<int64_t>() >
                            b.at("count").to_number<int64_t>();
                   });
  std::cout << "\n" << RenderTable({{title, "key"}, {"COUNT", "count"}}, rows);
}

Status FindingSummary(const CommandContext& context,
                      const FindingOptions& options) {
  QueryString query = FilterQuery("/v1/findings/summary", options);
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  if (!parsed.is_object()) {
    return Internal("server answered with JSON that is not an object");
  }
  if (context.json_output()) {
    std::cout << answer << (answer.ends_with('\n') ? "" : "\n");
    return Status::Ok();
  }
  const json::object& summary = parsed.get_object();
  std::cout << "total: "
            << CellText(summary.contains("total") ? summary.at("total")
                                                  : json::value(0))
            << "\n";
  PrintCounts("SEVERITY", summary.if_contains("by_severity"));
  PrintCounts("OWASP", summary.if_contains("by_owasp"));
  PrintCounts("OWNER", summary.if_contains("by_owner"));
  PrintCounts("RULE", summary.if_contains("by_rule"));
  PrintCounts("STATE", summary.if_contains("by_state"));
  return Status::Ok();
}

void AddFilterOptions(CLI::App* command, FindingOptions& options) {
  command->add_option("--rule", options.rule, "rule id");
  command->add_option("--severity", options.severity,
                      "critical, high, medium or low");
  command->add_option("--owner", options.owner, "owning team");
  command->add_option("--owasp", options.owasp, "OWASP NHI entry, e.g. NHI7");
  command->add_option("--state", options.state,
                      "open, acknowledged, resolved or unresolved");
  command->add_option("--identity", options.identity, "identity id");
  command->add_option("--application", options.application, "application");
  command->add_option("--environment", options.environment, "environment");
}

void AddAck(CLI::App& findings, CommandContext& context,
            const std::shared_ptr<FindingOptions>& options) {
  CLI::App* ack = findings.add_subcommand(
      "ack", "acknowledge a finding (accepted risk) until an expiry");
  ack->add_option("id", options->id, "finding id")->required();
  ack->add_option("--reason", options->reason, "why the risk is accepted")
      ->required();
  ack->add_option("--expires-in", options->expires_in, "how long, e.g. 30d");
  ack->add_option("--expires-at", options->expires_at, "RFC 3339 instant");
  BindCommand(ack, context,
              [&context, options] { return FindingAck(context, *options); });
}

}  // namespace

void AddFindingCommands(CLI::App& app, CommandContext& context) {
  CLI::App* findings = app.add_subcommand(
      "finding", "posture findings (OWASP NHI Top 10, NIST CSF 2.0)");
  findings->require_subcommand(1);
  auto options = std::make_shared<FindingOptions>();
  CLI::App* list = findings->add_subcommand("list", "list findings");
  AddFilterOptions(list, *options);
  list->add_option("--limit", options->limit, "page size")
      ->check(CLI::Range(1, 500));
  list->add_flag("--all", options->all, "follow cursors to the last page");
  BindCommand(list, context,
              [&context, options] { return FindingList(context, *options); });
  CLI::App* show = findings->add_subcommand("show", "show one finding");
  show->add_option("id", options->id, "finding id")->required();
  BindCommand(show, context,
              [&context, options] { return FindingShow(context, *options); });
  AddAck(*findings, context, options);
  CLI::App* rules = findings->add_subcommand("rules", "list the rules");
  BindCommand(rules, context, [&context] { return FindingRules(context); });
  CLI::App* summary =
      findings->add_subcommand("summary", "counts by severity, OWASP, owner");
  AddFilterOptions(summary, *options);
  BindCommand(summary, context, [&context, options] {
    return FindingSummary(context, *options);
  });
}

}  // namespace warden::cli
