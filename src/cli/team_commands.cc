// Team commands. Route shapes: DESIGN.md "/v1/teams ({name, members})".
#include "cli/team_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

namespace warden::cli {
namespace {

struct TeamOptions {
  std::string name;
  std::vector<std::string> members;
};

const std::vector<Column>& TeamColumns() {
  static const std::vector<Column> kColumns = {
      {"NAME", "name"}, {"MEMBERS", "members"}, {"CREATED", "created_at"}};
  return kColumns;
}

std::string TeamPath(const std::string& name) {
  return "/v1/teams/" + PathSegment(name);
}

boost::json::array MembersJson(const std::vector<std::string>& members) {
  boost::json::array array;
  for (const auto& member : members) array.emplace_back(member);
  return array;
}

Status TeamAdd(const CommandContext& context, const TeamOptions& options) {
  boost::json::object body{{"name", options.name},
                           {"members", MembersJson(options.members)}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/teams",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status TeamList(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/teams"));
  return context.PrintList(answer, TeamColumns());
}

Status TeamShow(const CommandContext& context, const TeamOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, TeamPath(options.name)));
  return context.PrintRecord(answer);
}

Status TeamSetMembers(const CommandContext& context,
                      const TeamOptions& options) {
  boost::json::object body{{"members", MembersJson(options.members)}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPut, TeamPath(options.name),
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status TeamDelete(const CommandContext& context, const TeamOptions& options) {
  WARDEN_RETURN_IF_ERROR(
      context.Call(HttpMethod::kDelete, TeamPath(options.name)).status());
  std::cerr << "deleted team " << options.name << "\n";
  return Status::Ok();
}

CLI::App* AddNamed(CLI::App& teams, const char* verb, const char* description,
                   TeamOptions& options) {
  CLI::App* command = teams.add_subcommand(verb, description);
  command->add_option("name", options.name, "team name")->required();
  return command;
}

}  // namespace

void AddTeamCommands(CLI::App& app, CommandContext& context) {
  CLI::App* teams = app.add_subcommand("team", "manage owner teams");
  teams->require_subcommand(1);
  auto options = std::make_shared<TeamOptions>();

  CLI::App* add = AddNamed(*teams, "add", "register a team", *options);
  add->add_option("--member", options->members, "member user (repeatable)");
  BindCommand(add, context,
              [&context, options] { return TeamAdd(context, *options); });

  CLI::App* list = teams->add_subcommand("list", "list teams");
  BindCommand(list, context, [&context] { return TeamList(context); });

  CLI::App* show = AddNamed(*teams, "show", "show one team", *options);
  BindCommand(show, context,
              [&context, options] { return TeamShow(context, *options); });

  CLI::App* set =
      AddNamed(*teams, "set-members", "replace a team's member list", *options);
  set->add_option("--member", options->members, "member user (repeatable)");
  BindCommand(set, context, [&context, options] {
    return TeamSetMembers(context, *options);
  });

  CLI::App* del = AddNamed(*teams, "delete", "delete an unused team", *options);
  BindCommand(del, context,
              [&context, options] { return TeamDelete(context, *options); });
}

}  // namespace warden::cli
