#include "cli/exception_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>

namespace warden::cli {
namespace {

struct ExceptionOptions {
  std::string id, identity, rule, justification, expires_at, expires_in;
};

const std::vector<Column>& ExceptionColumns() {
  static const std::vector<Column> kColumns = {{"ID", "id"},
                                               {"IDENTITY", "identity_name"},
                                               {"RULE", "rule"},
                                               {"STATE", "state"},
                                               {"REQUESTED_BY", "requested_by"},
                                               {"APPROVED_BY", "approved_by"},
                                               {"EXPIRES", "expires_at"}};
  return kColumns;
}

std::string ExceptionPath(const std::string& id) {
  return "/v1/exceptions/" + PathSegment(id);
}

Status ExceptionRequest(const CommandContext& context,
                        const ExceptionOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string expires_at,
                          InstantFlag(options.expires_at, options.expires_in,
                                      "--expires-at/--expires-in"));
  boost::json::object body{{"identity_name", options.identity},
                           {"rule", options.rule},
                           {"justification", options.justification}};
  if (!expires_at.empty()) body["expires_at"] = expires_at;
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/exceptions",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status ExceptionDecide(const CommandContext& context,
                       const ExceptionOptions& options, const char* verb) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, ExceptionPath(options.id) + "/" + verb));
  return context.PrintRecord(answer);
}

Status ExceptionShow(const CommandContext& context,
                     const ExceptionOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, ExceptionPath(options.id)));
  return context.PrintRecord(answer);
}

Status ExceptionList(const CommandContext& context,
                     const ExceptionOptions& options) {
  QueryString query("/v1/exceptions");
  query.Add("identity_name", options.identity);
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, ExceptionColumns());
}

CLI::App* AddWithId(CLI::App& exceptions, const char* verb,
                    const char* description, ExceptionOptions& options) {
  CLI::App* command = exceptions.add_subcommand(verb, description);
  command->add_option("id", options.id, "exception id")->required();
  return command;
}

void AddRequest(CLI::App& exceptions, CommandContext& context,
                const std::shared_ptr<ExceptionOptions>& options) {
  CLI::App* request =
      exceptions.add_subcommand("request", "ask for a bounded waiver");
  request->add_option("--identity", options->identity, "identity name")
      ->required();
  request
      ->add_option("--rule", options->rule,
                   "expiry_beyond_policy, rotation_beyond_policy or "
                   "risk_tier_below_derived")
      ->required();
  request->add_option("--justification", options->justification, "why")
      ->required();
  request->add_option("--expires-at", options->expires_at, "RFC 3339");
  request->add_option("--expires-in", options->expires_in, "e.g. 30d");
  BindCommand(request, context, [&context, options] {
    return ExceptionRequest(context, *options);
  });
}

}  // namespace

void AddExceptionCommands(CLI::App& app, CommandContext& context) {
  CLI::App* exceptions =
      app.add_subcommand("exception", "policy exceptions (waivers)");
  exceptions->require_subcommand(1);
  auto options = std::make_shared<ExceptionOptions>();
  AddRequest(*exceptions, context, options);
  for (const char* verb : {"approve", "reject", "revoke"}) {
    BindCommand(AddWithId(*exceptions, verb, "decide or revoke", *options),
                context, [&context, options, verb] {
                  return ExceptionDecide(context, *options, verb);
                });
  }
  BindCommand(AddWithId(*exceptions, "show", "show one", *options), context,
              [&context, options] { return ExceptionShow(context, *options); });
  CLI::App* list = exceptions->add_subcommand("list", "list exceptions");
  list->add_option("--identity", options->identity, "only for this identity");
  BindCommand(list, context,
              [&context, options] { return ExceptionList(context, *options); });
}

}  // namespace warden::cli
