#include "cli/review_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>

#include "cli/paged_list.h"

namespace warden::cli {
namespace {

namespace json = boost::json;

struct ReviewOptions {
  std::string id, name, team, environment, risk_tier, due_in, due_at, state,
      decision_filter, identity, decision, justification;
  bool all = false;
};

std::string ReviewPath(const std::string& id) {
  return "/v1/reviews/" + PathSegment(id);
}

Status ReviewCreate(const CommandContext& context,
                    const ReviewOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string due_at,
      InstantFlag(options.due_at, options.due_in, "--due-at/--due-in"));
  if (due_at.empty()) {
    return InvalidArgument("--due-at/--due-in: a review needs a due date");
  }
  json::object scope;
  if (!options.team.empty()) scope["team"] = options.team;
  if (!options.environment.empty()) scope["environment"] = options.environment;
  if (!options.risk_tier.empty()) scope["risk_tier"] = options.risk_tier;
  json::object body{{"name", options.name}, {"due_at", due_at}};
  if (!scope.empty()) body["scope"] = std::move(scope);
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, "/v1/reviews", json::serialize(body)));
  return context.PrintRecord(answer);
}

Status ReviewList(const CommandContext& context, const ReviewOptions& options) {
  QueryString query("/v1/reviews");
  query.Add("state", options.state);
  return PrintPagedList(context, query, options.all,
                        {{"ID", "id"},
                         {"NAME", "name"},
                         {"STATE", "state"},
                         {"DUE", "due_at"},
                         {"BY", "created_by"},
                         {"CREATED", "created_at"}});
}

Status ReviewGet(const CommandContext& context, const std::string& path,
                 HttpMethod method) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer, context.Call(method, path));
  return context.PrintRecord(answer);
}

Status ReviewItems(const CommandContext& context,
                   const ReviewOptions& options) {
  QueryString query(ReviewPath(options.id) + "/items");
  query.Add("decision", options.decision_filter);
  return PrintPagedList(context, query, options.all,
                        {{"IDENTITY", "identity"},
                         {"NAME", "identity_name"},
                         {"OWNER", "owner"},
                         {"DECISION", "decision"},
                         {"BY", "decided_by"},
                         {"JUSTIFICATION", "justification"}});
}

Status ReviewDecide(const CommandContext& context,
                    const ReviewOptions& options) {
  json::object body{{"decision", options.decision}};
  if (!options.justification.empty()) {
    body["justification"] = options.justification;
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost,
                   ReviewPath(options.id) + "/items/" +
                       PathSegment(options.identity) + "/decide",
                   json::serialize(body)));
  return context.PrintRecord(answer);
}

void AddCreate(CLI::App& reviews, CommandContext& context,
               const std::shared_ptr<ReviewOptions>& options) {
  CLI::App* create = reviews.add_subcommand(
      "create", "open a campaign over the identities in scope");
  create->add_option("--name", options->name, "campaign name")->required();
  create->add_option("--team", options->team, "only this owning team");
  create->add_option("--environment", options->environment,
                     "only this environment");
  create->add_option("--risk-tier", options->risk_tier, "only this risk tier");
  create->add_option("--due-in", options->due_in, "due after, e.g. 14d");
  create->add_option("--due-at", options->due_at, "RFC 3339 due date");
  BindCommand(create, context,
              [&context, options] { return ReviewCreate(context, *options); });
}

void AddDecide(CLI::App& reviews, CommandContext& context,
               const std::shared_ptr<ReviewOptions>& options) {
  CLI::App* decide =
      reviews.add_subcommand("decide", "keep or revoke one identity");
  decide->add_option("id", options->id, "campaign id")->required();
  decide->add_option("identity", options->identity, "identity id")->required();
  decide->add_option("decision", options->decision, "keep or revoke")
      ->required()
      ->check(CLI::IsMember({"keep", "revoke"}));
  decide->add_option("--justification", options->justification,
                     "why (recorded with the decision)");
  BindCommand(decide, context,
              [&context, options] { return ReviewDecide(context, *options); });
}

}  // namespace

void AddReviewCommands(CLI::App& app, CommandContext& context) {
  CLI::App* reviews =
      app.add_subcommand("review", "access-review campaigns: keep or revoke");
  reviews->require_subcommand(1);
  auto options = std::make_shared<ReviewOptions>();
  AddCreate(*reviews, context, options);
  CLI::App* list = reviews->add_subcommand("list", "list campaigns");
  list->add_option("--state", options->state, "open or closed");
  list->add_flag("--all", options->all, "follow cursors to the last page");
  BindCommand(list, context,
              [&context, options] { return ReviewList(context, *options); });
  CLI::App* show = reviews->add_subcommand("show", "a campaign and its tally");
  show->add_option("id", options->id, "campaign id")->required();
  BindCommand(show, context, [&context, options] {
    return ReviewGet(context, ReviewPath(options->id), HttpMethod::kGet);
  });
  CLI::App* items = reviews->add_subcommand("items", "a campaign's items");
  items->add_option("id", options->id, "campaign id")->required();
  items
      ->add_option("--decision", options->decision_filter,
                   "pending, keep or revoke")
      ->check(CLI::IsMember({"pending", "keep", "revoke"}));
  items->add_flag("--all", options->all, "follow cursors to the last page");
  BindCommand(items, context,
              [&context, options] { return ReviewItems(context, *options); });
  AddDecide(*reviews, context, options);
  CLI::App* close = reviews->add_subcommand("close", "close a campaign");
  close->add_option("id", options->id, "campaign id")->required();
  BindCommand(close, context, [&context, options] {
    return ReviewGet(context, ReviewPath(options->id) + "/close",
                     HttpMethod::kPost);
  });
}

}  // namespace warden::cli
