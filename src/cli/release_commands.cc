// Release commands. Route shapes: src/api/release_routes.cc.
#include "cli/release_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <memory>
#include <sstream>

namespace warden::cli {
namespace {

namespace json = boost::json;

struct ReleaseOptions {
  std::string service;
  std::string version;
  std::string env;
  std::string owner;
  std::vector<std::string> flags;
  std::vector<std::string> identities;
  std::vector<std::string> integrations;
  std::string risk_tier;
  std::vector<std::string> changes;
  std::vector<std::string> safe_for_all;
  std::vector<std::string> opt_in_required;
  std::string notice;
  std::string plan_file;
  std::string state;
  std::string id;
  std::string reason;
};

const std::vector<Column>& ReleaseColumns() {
  static const std::vector<Column> kColumns = {{"ID", "id"},
                                               {"SERVICE", "service"},
                                               {"VERSION", "version"},
                                               {"ENV", "environment"},
                                               {"OWNER", "owner"},
                                               {"RISK", "risk_tier"},
                                               {"STAGE", "stage"},
                                               {"STATE", "state"},
                                               {"CREATED", "created_at"}};
  return kColumns;
}

json::array Strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

Result<json::value> ReadPlan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read plan file " + path);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value plan = json::parse(text.str(), ec);
  if (ec) return InvalidArgument("plan file " + path + " is not JSON");
  return plan;
}

Status ReleaseRecord(const CommandContext& context,
                     const ReleaseOptions& options) {
  json::object body{
      {"service", options.service},
      {"version", options.version},
      {"owner", options.owner},
      {"flags", Strings(options.flags)},
      {"identities", Strings(options.identities)},
      {"integrations", Strings(options.integrations)},
      {"notes",
       json::object{{"changes", Strings(options.changes)},
                    {"safe_for_all", Strings(options.safe_for_all)},
                    {"opt_in_required", Strings(options.opt_in_required)},
                    {"customer_notice", options.notice}}}};
  if (!options.env.empty()) body["environment"] = options.env;
  if (!options.risk_tier.empty()) body["risk_tier"] = options.risk_tier;
  if (!options.plan_file.empty()) {
    WARDEN_ASSIGN_OR_RETURN(body["plan"], ReadPlan(options.plan_file));
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, "/v1/releases", json::serialize(body)));
  return context.PrintRecord(answer);
}

Status ReleaseList(const CommandContext& context,
                   const ReleaseOptions& options) {
  QueryString query("/v1/releases");
  if (!options.service.empty()) query.Add("service", options.service);
  if (!options.owner.empty()) query.Add("owner", options.owner);
  if (!options.state.empty()) query.Add("state", options.state);
  if (!options.env.empty()) query.Add("environment", options.env);
  if (!options.flags.empty()) query.Add("flag", options.flags.front());
  if (!options.identities.empty()) {
    query.Add("identity", options.identities.front());
  }
  if (!options.integrations.empty()) {
    query.Add("integration", options.integrations.front());
  }
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, ReleaseColumns());
}

Status ReleaseGet(const CommandContext& context, const ReleaseOptions& options,
                  std::string_view suffix) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, "/v1/releases/" + PathSegment(options.id) +
                                         std::string(suffix)));
  return context.PrintRecord(answer);
}

Status ReleaseAct(const CommandContext& context, const ReleaseOptions& options,
                  std::string_view action) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(
          HttpMethod::kPost,
          "/v1/releases/" + PathSegment(options.id) + "/" + std::string(action),
          json::serialize(json::object{{"reason", options.reason}})));
  return context.PrintRecord(answer);
}

void AddRecord(CLI::App* releases, CommandContext& context,
               const std::shared_ptr<ReleaseOptions>& options) {
  CLI::App* record =
      releases->add_subcommand("record", "record a deploy (deploy role)");
  record->add_option("--service", options->service, "service")->required();
  record->add_option("--version", options->version, "version")->required();
  record->add_option("--owner", options->owner, "owning team")->required();
  record->add_option("--env", options->env, "environment (production)");
  record->add_option("--flag", options->flags, "flag it ships (repeatable)");
  record->add_option("--identity", options->identities,
                     "identity id or name it uses (repeatable)");
  record->add_option("--integration", options->integrations,
                     "integration it uses (repeatable)");
  record->add_option("--risk-tier", options->risk_tier,
                     "declared tier (default: derived)");
  record->add_option("--change", options->changes, "a change (repeatable)");
  record->add_option("--safe-for-all", options->safe_for_all,
                     "flag safe for every tenant (repeatable)");
  record->add_option("--opt-in-required", options->opt_in_required,
                     "flag that needs each tenant's opt-in (repeatable)");
  record->add_option("--notice", options->notice, "customer notice");
  record->add_option("--plan", options->plan_file,
                     "exposure plan JSON file (default plan otherwise)");
  BindCommand(record, context,
              [&context, options] { return ReleaseRecord(context, *options); });
}

}  // namespace

void AddReleaseCommands(CLI::App& app, CommandContext& context) {
  CLI::App* releases = app.add_subcommand("release", "release governance");
  releases->require_subcommand(1);
  auto options = std::make_shared<ReleaseOptions>();
  AddRecord(releases, context, options);

  CLI::App* list = releases->add_subcommand("list", "list releases");
  list->add_option("--service", options->service, "service");
  list->add_option("--owner", options->owner, "owning team");
  list->add_option("--state", options->state, "active, paused, ...");
  list->add_option("--env", options->env, "environment");
  list->add_option("--flag", options->flags, "releases shipping this flag");
  list->add_option("--identity", options->identities,
                   "releases using this identity id");
  list->add_option("--integration", options->integrations,
                   "releases using this integration");
  BindCommand(list, context,
              [&context, options] { return ReleaseList(context, *options); });

  for (auto [name, suffix, help] :
       {std::tuple{"show", "", "show one release"},
        std::tuple{"readiness", "/readiness", "readiness checks"},
        std::tuple{"runbook", "/runbook", "the rollback runbook"}}) {
    CLI::App* get = releases->add_subcommand(name, help);
    get->add_option("id", options->id, "release id")->required();
    BindCommand(get, context, [&context, options, suffix = suffix] {
      return ReleaseGet(context, *options, suffix);
    });
  }
  for (auto [name, action, help] :
       {std::tuple{"advance", "advance", "enter the next stage"},
        std::tuple{"pause", "pause", "pause the live stage"},
        std::tuple{"rollback", "rollback", "take its flags off for everyone"},
        std::tuple{"dry-run", "runbook/dry-run", "dry-run the runbook"}}) {
    CLI::App* act = releases->add_subcommand(name, help);
    act->add_option("id", options->id, "release id")->required();
    act->add_option("--reason", options->reason, "why (audited)");
    BindCommand(act, context, [&context, options, action = action] {
      return ReleaseAct(context, *options, action);
    });
  }
}

}  // namespace warden::cli
