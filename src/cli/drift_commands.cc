#include "cli/drift_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/paged_list.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

struct DriftOptions {
  std::string kind = "unmanaged";
  bool all = false;
  std::vector<std::string> refs;  // import: "kind/key"
  std::string owner, environment;
};

struct ObservationOptions {
  std::string kind, source, state;
  bool unmanaged = false, all = false;
  int limit = 0;
};

// Drift rows are observations (unmanaged, changed) or identities (missing:
// inventoried but no longer seen); the columns cover both.
const std::vector<Column>& DriftColumns() {
  static const std::vector<Column> kColumns = {
      {"KIND", "kind"},          {"KEY", "key"},     {"ID", "id"},
      {"NAME", "name"},          {"OWNER", "owner"}, {"LOCATION", "location"},
      {"LAST SEEN", "last_seen"}};
  return kColumns;
}

const std::vector<Column>& ObservationColumns() {
  static const std::vector<Column> kColumns = {
      {"KIND", "kind"},   {"NAME", "name"},          {"SOURCE", "source"},
      {"STATE", "state"}, {"IDENTITY", "identity"},  {"LOCATION", "location"},
      {"KEY", "key"},     {"LAST SEEN", "last_seen"}};
  return kColumns;
}

void PrintDriftSummary(const json::value& parsed) {
  const json::value* summary =
      parsed.is_object() ? parsed.get_object().if_contains("summary") : nullptr;
  if (summary == nullptr || !summary->is_object()) return;
  std::cerr << "drift: unmanaged "
            << CellText(summary->get_object().contains("unmanaged")
                            ? summary->at("unmanaged")
                            : json::value(0))
            << ", missing "
            << CellText(summary->get_object().contains("missing")
                            ? summary->at("missing")
                            : json::value(0))
            << ", changed "
            << CellText(summary->get_object().contains("changed")
                            ? summary->at("changed")
                            : json::value(0))
            << "\n";
}

Status DriftList(const CommandContext& context, const DriftOptions& options) {
  QueryString query("/v1/drift");
  query.Add("kind", options.kind);
  if (options.all) {
    return PrintPagedList(context, query, true, DriftColumns());
  }
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  if (context.json_output()) {
    std::cout << answer << (answer.ends_with('\n') ? "" : "\n");
    return Status::Ok();
  }
  WARDEN_RETURN_IF_ERROR(context.PrintList(answer, DriftColumns()));
  PrintDriftSummary(parsed);
  if (!JsonString(parsed, "next_cursor").empty()) {
    std::cerr << "more results: pass --all to follow the cursor\n";
  }
  return Status::Ok();
}

// "certificate/AB:CD..." → {kind, key}; the key may itself contain '/'
// ("namespace/name"), so only the first '/' separates.
Result<json::object> ParseRef(const std::string& ref) {
  size_t slash = ref.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == ref.size()) {
    return InvalidArgument("drift import: \"" + ref +
                           "\" is not KIND/KEY (e.g. "
                           "k8s_service_account/payments/api)");
  }
  return json::object{{"kind", ref.substr(0, slash)},
                      {"key", ref.substr(slash + 1)}};
}

Status DriftImport(const CommandContext& context, const DriftOptions& options) {
  json::array refs;
  for (const std::string& ref : options.refs) {
    WARDEN_ASSIGN_OR_RETURN(json::object parsed, ParseRef(ref));
    refs.push_back(std::move(parsed));
  }
  json::object body{{"observations", std::move(refs)}};
  if (!options.owner.empty()) body["owner"] = options.owner;
  if (!options.environment.empty()) body["environment"] = options.environment;
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/drift/import",
                                       json::serialize(body)));
  return context.PrintList(answer, {{"ID", "id"},
                                    {"NAME", "name"},
                                    {"KIND", "kind"},
                                    {"OWNER", "owner"},
                                    {"ENVIRONMENT", "environment"},
                                    {"STATUS", "status"}});
}

Status ObservationList(const CommandContext& context,
                       const ObservationOptions& options) {
  QueryString query("/v1/observations");
  query.Add("kind", options.kind)
      .Add("source", options.source)
      .Add("state", options.state)
      .Add("unmanaged", options.unmanaged ? "true" : "")
      .Add("limit", options.limit > 0 ? std::to_string(options.limit) : "");
  return PrintPagedList(context, query, options.all, ObservationColumns());
}

}  // namespace

void AddDriftCommands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<DriftOptions>();
  CLI::App* drift = app.add_subcommand(
      "drift", "what discovery saw that the inventory does not say");
  drift->add_option("--kind", options->kind, "unmanaged, missing or changed")
      ->check(CLI::IsMember({"unmanaged", "missing", "changed"}));
  drift->add_flag("--all", options->all, "follow cursors to the last page");
  CLI::App* import = drift->add_subcommand(
      "import", "draft identities from unmanaged observations");
  import->add_option("ref", options->refs, "KIND/KEY of an observation")
      ->required();
  import->add_option("--owner", options->owner, "owning team of the drafts");
  import->add_option("--environment", options->environment,
                     "environment of the drafts");
  BindCommand(import, context,
              [&context, options] { return DriftImport(context, *options); });
  // `drift` alone lists; `drift import` is the subcommand's business only.
  drift->callback([&context, options, drift, import] {
    if (drift->got_subcommand(import)) return;
    context.Run([&context, options] { return DriftList(context, *options); });
  });
}

void AddObservationCommands(CLI::App& app, CommandContext& context) {
  CLI::App* observations =
      app.add_subcommand("observation", "what the scanners recorded");
  observations->require_subcommand(1);
  auto options = std::make_shared<ObservationOptions>();
  CLI::App* list = observations->add_subcommand("list", "list observations");
  list->add_option("--kind", options->kind, "e.g. certificate");
  list->add_option("--source", options->source, "scanner, e.g. certs");
  list->add_option("--state", options->state, "observation state");
  list->add_flag("--unmanaged", options->unmanaged,
                 "only those no identity accounts for");
  list->add_option("--limit", options->limit, "page size")
      ->check(CLI::Range(1, 500));
  list->add_flag("--all", options->all, "follow cursors to the last page");
  BindCommand(list, context, [&context, options] {
    return ObservationList(context, *options);
  });
}

}  // namespace warden::cli
