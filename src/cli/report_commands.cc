#include "cli/report_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/html_report.h"
#include "core/clock.h"
#include "core/time_format.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

// Days of maturity history charted, and findings fetched for the table.
constexpr int kHistoryDays = 90;
constexpr int kFindingsFetched = 200;

struct ReportOptions {
  std::string out, team;
};

Result<json::value> GetJson(const CommandContext& context,
                            const QueryString& query) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return ParseJsonBody(answer);
}

Result<ReportData> FetchReport(const CommandContext& context,
                               const std::string& team) {
  ReportData data;
  data.team = team;
  data.generated_at = FormatRfc3339(
      std::chrono::floor<std::chrono::seconds>(SystemClock().Now()));
  QueryString summary("/v1/findings/summary");
  summary.Add("state", "unresolved").Add("owner", team);
  WARDEN_ASSIGN_OR_RETURN(data.summary, GetJson(context, summary));
  QueryString maturity("/v1/maturity");
  maturity.Add("history", std::to_string(kHistoryDays)).Add("team", team);
  WARDEN_ASSIGN_OR_RETURN(data.maturity, GetJson(context, maturity));
  QueryString findings("/v1/findings");
  findings.Add("state", "unresolved")
      .Add("owner", team)
      .Add("limit", std::to_string(kFindingsFetched));
  WARDEN_ASSIGN_OR_RETURN(json::value page, GetJson(context, findings));
  WARDEN_ASSIGN_OR_RETURN(json::array items, ListItems(page));
  data.findings = std::move(items);
  return data;
}

// Writes next to `path` then renames, so a reader never sees half a report.
Status WriteReport(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return InvalidArgument("cannot write " + partial);
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) {
    std::filesystem::remove(partial, error);
    return InvalidArgument("cannot write " + path);
  }
  return Status::Ok();
}

Status Report(const CommandContext& context, const ReportOptions& options,
              bool html) {
  WARDEN_ASSIGN_OR_RETURN(ReportData data, FetchReport(context, options.team));
  WARDEN_RETURN_IF_ERROR(WriteReport(
      options.out, html ? RenderHtmlReport(data)
                        : json::serialize(ReportJson(data)) + "\n"));
  std::cerr << "wrote " << options.out << "\n";
  return Status::Ok();
}

}  // namespace

void AddReportCommands(CLI::App& app, CommandContext& context) {
  CLI::App* report =
      app.add_subcommand("report", "the posture report for people");
  report->require_subcommand(1);
  auto options = std::make_shared<ReportOptions>();
  for (bool html : {true, false}) {
    CLI::App* format = report->add_subcommand(
        html ? "html" : "json",
        html ? "one self-contained HTML page (inline CSS and SVG)"
             : "the same data as one JSON document");
    format->add_option("--out", options->out, "file to write")->required();
    format->add_option("--team", options->team, "only this owning team");
    BindCommand(format, context, [&context, options, html] {
      return Report(context, *options, html);
    });
  }
}

}  // namespace warden::cli
