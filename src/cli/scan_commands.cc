#include "cli/scan_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include "cli/scan_progress.h"
#include "discovery/observation_json.h"
#include "discovery/sarif_log.h"
#include "discovery/scanner_registry.h"
#include "discovery/secret_rules.h"

namespace warden::cli {
namespace {

namespace json = boost::json;
using discovery::ProgressCallback;
using discovery::ScanIssue;
using discovery::ScanReport;

// What the server keeps of a scan's issues (POST /v1/scans/{id}/complete
// takes at most this many samples; the count carries the rest).
constexpr size_t kIssueSamples = 50;
// Issues printed on stderr; a tree of thousands of broken files gets the
// first ones and a count, the SARIF log and -o json get them all.
constexpr size_t kMaxPrintedIssues = 200;

using discovery::ScannerSpec;

// Where the SARIF log's tool links to.
constexpr char kScanningDocs[] =
    "https://github.com/warden/warden/blob/main/docs/SCANNING.md";

json::object IssuesSarif(const ScannerSpec& scanner, const ScanReport& report);

// The --sarif log of a report: the secret scanner's results are the leaks
// themselves (never the secret: see sarif_log.h); the other scanners'
// results are the inputs they could not read.
json::object SarifOf(const ScannerSpec& scanner, const ScanReport& report,
                     const std::vector<std::string>& targets) {
  if (scanner.source != "secrets") return IssuesSarif(scanner, report);
  discovery::SarifToolInfo tool;
  tool.version = "0.1.0";
  tool.information_uri = kScanningDocs;
  std::error_code error;
  const std::filesystem::path root =
      std::filesystem::absolute(targets.front(), error);
  if (!error && std::filesystem::is_directory(root)) {
    tool.source_root_uri = "file://" + root.generic_string() + "/";
  }
  return discovery::SecretScanSarif(report, discovery::BuiltinSecretRules(),
                                    tool);
}

struct ScanOptions {
  std::vector<std::string> targets;
  std::string sarif;
  bool offline = false;
};

struct PostSummary {
  std::string scan_id;
  int64_t accepted = 0, matched = 0, unmanaged = 0, changed = 0;
};

std::string Printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

Status CheckTargets(const ScannerSpec& scanner, const ScanOptions& options) {
  if (!scanner.takes_paths) return Status::Ok();
  if (options.targets.size() != 1) {
    return InvalidArgument("scan " + std::string(scanner.source) +
                           " takes exactly one path");
  }
  std::error_code error;
  if (!std::filesystem::exists(options.targets.front(), error)) {
    return InvalidArgument(options.targets.front() +
                           ": no such file or "
                           "directory");
  }
  return Status::Ok();
}

std::string TargetText(const ScanOptions& options) {
  std::string text;
  for (const std::string& target : options.targets) {
    text += (text.empty() ? "" : " ") + target;
  }
  return text;
}

void PrintIssues(const std::vector<ScanIssue>& issues) {
  for (size_t i = 0; i < issues.size() && i < kMaxPrintedIssues; ++i) {
    std::cerr << Printable(issues[i].location) << ": "
              << Printable(issues[i].message) << "\n";
  }
  if (issues.size() > kMaxPrintedIssues) {
    std::cerr << "... and " << issues.size() - kMaxPrintedIssues
              << " more issues\n";
  }
}

// "path:123" → ("path", 123); a location without a numeric suffix keeps
// its whole text and line 0.
std::pair<std::string, int64_t> SplitLocation(const std::string& location) {
  size_t colon = location.rfind(':');
  if (colon == std::string::npos || colon + 1 == location.size()) {
    return {location, 0};
  }
  int64_t line = 0;
  for (size_t i = colon + 1; i < location.size(); ++i) {
    if (location[i] < '0' || location[i] > '9' || line > 100000000) {
      return {location, 0};
    }
    line = line * 10 + (location[i] - '0');
  }
  return {location.substr(0, colon), line};
}

// The issues as a SARIF 2.1.0 log (OASIS SARIF v2.1.0 §3.13 sarifLog,
// §3.27 result): one run of the scanner, one "malformed-input" result per
// issue, located at its file and line.
json::object IssuesSarif(const ScannerSpec& scanner, const ScanReport& report) {
  json::array results;
  for (const ScanIssue& issue : report.issues) {
    json::object physical;
    if (!scanner.takes_paths) {
      physical["artifactLocation"] = {{"uri", issue.location}};
    } else {
      auto [path, line] = SplitLocation(issue.location);
      physical["artifactLocation"] = {{"uri", path}};
      if (line > 0) physical["region"] = {{"startLine", line}};
    }
    results.push_back(
        {{"ruleId", "malformed-input"},
         {"level", "warning"},
         {"message", {{"text", issue.message}}},
         {"locations", json::array{{{"physicalLocation", physical}}}}});
  }
  json::object rule{
      {"id", "malformed-input"},
      {"shortDescription", {{"text", "input the scanner could not read"}}}};
  json::object driver{{"name", "warden scan " + std::string(scanner.source)},
                      {"informationUri", "https://github.com/warden"},
                      {"rules", json::array{rule}}};
  return {{"version", "2.1.0"},
          {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"runs", json::array{{{"tool", {{"driver", driver}}},
                                {"results", std::move(results)}}}}};
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return InvalidArgument("cannot write " + path);
  return Status::Ok();
}

int64_t IntMember(const json::value& value, std::string_view key) {
  if (!value.is_object()) return 0;
  const json::value* member = value.get_object().if_contains(key);
  return member != nullptr && member->is_int64() ? member->get_int64() : 0;
}

Status PostBatch(const ApiClient& client, const ScanReport& report,
                 size_t begin, PostSummary& summary) {
  json::array batch;
  size_t end = std::min(report.observations.size(),
                        begin + discovery::kMaxObservationsPerBatch);
  for (size_t i = begin; i < end; ++i) {
    batch.push_back(discovery::ObservationToJson(report.observations[i]));
  }
  json::object body{{"observations", std::move(batch)}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      client.Call(HttpMethod::kPost,
                  "/v1/scans/" + PathSegment(summary.scan_id) + "/observations",
                  json::serialize(body)));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  summary.accepted += IntMember(parsed, "accepted");
  summary.matched += IntMember(parsed, "matched");
  summary.unmanaged += IntMember(parsed, "unmanaged");
  summary.changed += IntMember(parsed, "changed");
  return Status::Ok();
}

// Records the report as one scan run: start, observation batches, complete.
Result<PostSummary> PostReport(const CommandContext& context,
                               std::string_view source,
                               const std::string& target,
                               const ScanReport& report) {
  WARDEN_ASSIGN_OR_RETURN(std::unique_ptr<ApiClient> client, context.Client());
  json::object start{{"source", source}, {"target", target}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      client->Call(HttpMethod::kPost, "/v1/scans", json::serialize(start)));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  PostSummary summary;
  summary.scan_id = JsonString(parsed, "id");
  if (summary.scan_id.empty()) {
    return Internal("POST /v1/scans answered without an id");
  }
  for (size_t begin = 0; begin < report.observations.size();
       begin += discovery::kMaxObservationsPerBatch) {
    WARDEN_RETURN_IF_ERROR(PostBatch(*client, report, begin, summary));
  }
  json::array samples;
  for (size_t i = 0; i < report.issues.size() && i < kIssueSamples; ++i) {
    samples.push_back(discovery::ScanIssueToJson(report.issues[i]));
  }
  json::object complete{
      {"issues", std::move(samples)},
      {"issue_count", static_cast<int64_t>(report.issues.size())}};
  WARDEN_RETURN_IF_ERROR(
      client
          ->Call(HttpMethod::kPost,
                 "/v1/scans/" + PathSegment(summary.scan_id) + "/complete",
                 json::serialize(complete))
          .status());
  return summary;
}

json::value SummaryJson(const std::optional<PostSummary>& summary) {
  if (!summary) return nullptr;
  return json::object{{"id", summary->scan_id},
                      {"accepted", summary->accepted},
                      {"matched", summary->matched},
                      {"unmanaged", summary->unmanaged},
                      {"changed", summary->changed}};
}

void PrintJson(std::string_view source, const std::string& target,
               const ScanReport& report,
               const std::optional<PostSummary>& summary) {
  json::array observations, issues;
  for (const auto& o : report.observations) {
    observations.push_back(discovery::ObservationToJson(o));
  }
  for (const auto& i : report.issues) {
    issues.push_back(discovery::ScanIssueToJson(i));
  }
  json::object document{{"source", source},
                        {"target", target},
                        {"files_scanned", report.files_scanned},
                        {"bytes_scanned", report.bytes_scanned},
                        {"observations", std::move(observations)},
                        {"issues", std::move(issues)},
                        {"scan", SummaryJson(summary)}};
  std::cout << json::serialize(document) << "\n";
}

void PrintTable(const ScannerSpec& scanner, const ScanReport& report,
                const std::optional<PostSummary>& summary) {
  json::array rows;
  for (const auto& o : report.observations) {
    rows.push_back(discovery::ObservationToJson(o));
  }
  std::cout << RenderTable({{"KIND", "kind"},
                            {"NAME", "name"},
                            {"LOCATION", "location"},
                            {"KEY", "key"}},
                           rows);
  std::cout << "scanned " << report.files_scanned
            << (!scanner.takes_paths ? " targets: " : " files, ");
  if (!!scanner.takes_paths) {
    std::cout << report.bytes_scanned << " bytes: ";
  }
  std::cout << report.observations.size() << " observations, "
            << report.issues.size() << " issues\n";
  if (summary) {
    std::cout << "recorded as scan " << summary->scan_id << ": accepted "
              << summary->accepted << ", matched " << summary->matched
              << ", unmanaged " << summary->unmanaged << ", changed "
              << summary->changed << "\n";
  }
}

Status RunScan(const CommandContext& context, const ScannerSpec& scanner,
               const ScanOptions& options) {
  WARDEN_RETURN_IF_ERROR(CheckTargets(scanner, options));
  ScanReport report;
  {
    ScanProgressLine line(isatty(STDERR_FILENO) == 1);
    report = scanner.scan(options.targets,
                          [&line](const discovery::ScanProgress& progress) {
                            line.Update(progress);
                          });
  }
  PrintIssues(report.issues);
  if (!options.sarif.empty()) {
    const json::object log = SarifOf(scanner, report, options.targets);
    WARDEN_RETURN_IF_ERROR(
        WriteFile(options.sarif, json::serialize(log) + "\n"));
  }
  const std::string target = TargetText(options);
  std::optional<PostSummary> summary;
  Status posted = Status::Ok();
  if (!options.offline) {
    Result<PostSummary> result =
        PostReport(context, scanner.source, target, report);
    if (result.ok()) {
      summary = *std::move(result);
    } else {
      posted = result.status();  // still show what was seen, then fail
    }
  }
  if (context.json_output()) {
    PrintJson(scanner.source, target, report, summary);
  } else {
    PrintTable(scanner, report, summary);
  }
  return posted;
}

Status ScanList(const CommandContext& context, int limit) {
  QueryString query("/v1/scans");
  query.Add("limit", limit > 0 ? std::to_string(limit) : "");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, {{"ID", "id"},
                                    {"SOURCE", "source"},
                                    {"TARGET", "target"},
                                    {"STATE", "state"},
                                    {"OBSERVATIONS", "observations"},
                                    {"ISSUES", "issues"},
                                    {"BY", "started_by"},
                                    {"STARTED", "started_at"}});
}

void AddScanner(CLI::App& scan, CommandContext& context,
                const ScannerSpec& scanner) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* command = scan.add_subcommand(std::string(scanner.source),
                                          std::string(scanner.what));
  command
      ->add_option("target", options->targets,
                   !scanner.takes_paths ? "host:port (one or more)"
                                        : "file or directory")
      ->required();
  command->add_flag("--offline", options->offline,
                    "do not record the observations on the server");
  command->add_option("--sarif", options->sarif,
                      scanner.source == "secrets"
                          ? "also write the findings as a SARIF 2.1.0 log to "
                            "FILE (GitHub code scanning accepts it)"
                          : "also write the issues as a SARIF 2.1.0 log to "
                            "FILE");
  BindCommand(command, context, [&context, &scanner, options] {
    return RunScan(context, scanner, *options);
  });
}

}  // namespace

void AddScanCommands(CLI::App& app, CommandContext& context) {
  CLI::App* scan = app.add_subcommand(
      "scan", "discover identities and credentials outside Warden");
  scan->require_subcommand(1);
  for (const ScannerSpec& scanner : discovery::Scanners()) {
    AddScanner(*scan, context, scanner);
  }
  auto limit = std::make_shared<int>(0);
  CLI::App* list = scan->add_subcommand("list", "list recorded scan runs");
  list->add_option("--limit", *limit, "how many (1..1000)")
      ->check(CLI::Range(1, 1000));
  BindCommand(list, context,
              [&context, limit] { return ScanList(context, *limit); });
}

}  // namespace warden::cli
