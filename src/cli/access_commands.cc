#include "cli/access_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "core/time_format.h"

namespace warden::cli {
namespace {

struct UserOptions {
  std::string name, email, role, team;
};

struct TokenOptions {
  std::string id, role, env, team, tenant, user, ttl, description;
};

const std::vector<Column>& UserColumns() {
  static const std::vector<Column> kColumns = {{"NAME", "name"},
                                               {"ROLE", "role"},
                                               {"TEAM", "team"},
                                               {"EMAIL", "email"},
                                               {"DISABLED", "disabled"}};
  return kColumns;
}

const std::vector<Column>& TokenColumns() {
  static const std::vector<Column> kColumns = {{"ID", "id"},
                                               {"ROLE", "role"},
                                               {"USER", "user"},
                                               {"TEAM", "team"},
                                               {"ENV", "environment"},
                                               {"EXPIRES", "expires_at"},
                                               {"REVOKED", "revoked_at"},
                                               {"DESCRIPTION", "description"}};
  return kColumns;
}

std::string UserPath(const std::string& name) {
  return "/v1/users/" + PathSegment(name);
}

void PutIfSet(boost::json::object& body, const char* key,
              const std::string& value) {
  if (!value.empty()) body[key] = value;
}

Status UserAdd(const CommandContext& context, const UserOptions& options) {
  boost::json::object body{{"name", options.name}, {"role", options.role}};
  PutIfSet(body, "email", options.email);
  PutIfSet(body, "team", options.team);
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/users",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status UserList(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/users"));
  return context.PrintList(answer, UserColumns());
}

Status UserShow(const CommandContext& context, const UserOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, UserPath(options.name)));
  return context.PrintRecord(answer);
}

Status UserSetDisabled(const CommandContext& context,
                       const UserOptions& options, const char* verb) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, UserPath(options.name) + "/" + verb));
  return context.PrintRecord(answer);
}

// The password is the first line of stdin (a terminal or a pipe), never an
// argument: arguments show in the process list and shell history.
Status UserSetPassword(const CommandContext& context,
                       const UserOptions& options) {
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    return InvalidArgument("set-password reads the new password from stdin");
  }
  if (password.back() == '\r') password.pop_back();
  const std::string body =
      boost::json::serialize(boost::json::object{{"password", password}});
  WARDEN_RETURN_IF_ERROR(
      context.Call(HttpMethod::kPut, UserPath(options.name) + "/password", body)
          .status());
  std::cout << "password of " << options.name << " set\n";
  return Status::Ok();
}

Result<boost::json::object> TokenBody(const TokenOptions& options) {
  boost::json::object body;
  for (auto [key, value] : {std::pair{"role", &options.role},
                            {"environment", &options.env},
                            {"team", &options.team},
                            {"tenant", &options.tenant},
                            {"user", &options.user},
                            {"description", &options.description}}) {
    PutIfSet(body, key, *value);
  }
  if (!options.ttl.empty()) {
    // Checked here too, so a typo fails before any request is sent.
    Result<std::chrono::seconds> ttl = ParseDuration(options.ttl);
    if (!ttl.ok()) return ttl.status().WithContext("--ttl");
    body["ttl"] = options.ttl;
  }
  return body;
}

// The secret goes alone to stdout (`TOKEN=$(warden token create ...)`); the
// description of what was issued goes to stderr.
Status TokenCreate(const CommandContext& context, const TokenOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, TokenBody(options));
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/tokens",
                                       boost::json::serialize(body)));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(answer));
  std::string secret = JsonString(parsed, "token");
  if (secret.empty()) {
    return Internal("token create: the answer holds no \"token\"");
  }
  boost::json::object details = parsed.get_object();
  details.erase("token");
  std::cerr << RenderRecord(details);
  std::cout << secret << "\n";
  return Status::Ok();
}

Status TokenList(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/tokens"));
  return context.PrintList(answer, TokenColumns());
}

// The calling token as the server sees it (GET /v1/session): role, team,
// and the environment and tenant an sdk token is bound to.
Status TokenWhoami(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/session"));
  return context.PrintRecord(answer);
}

Status TokenRevoke(const CommandContext& context, const TokenOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost,
                   "/v1/tokens/" + PathSegment(options.id) + "/revoke"));
  return context.PrintRecord(answer);
}

CLI::App* AddNamedUser(CLI::App& users, const char* verb,
                       const char* description, UserOptions& options) {
  CLI::App* command = users.add_subcommand(verb, description);
  command->add_option("name", options.name, "user name")->required();
  return command;
}

void AddUserCommands(CLI::App& app, CommandContext& context) {
  CLI::App* users = app.add_subcommand("user", "manage Warden users");
  users->require_subcommand(1);
  auto options = std::make_shared<UserOptions>();
  CLI::App* add = AddNamedUser(*users, "add", "create a user", *options);
  add->add_option("--role", options->role, "role")->required();
  add->add_option("--email", options->email, "e-mail address");
  add->add_option("--team", options->team, "team (required for app_owner)");
  BindCommand(add, context,
              [&context, options] { return UserAdd(context, *options); });
  BindCommand(users->add_subcommand("list", "list users"), context,
              [&context] { return UserList(context); });
  BindCommand(AddNamedUser(*users, "show", "show a user", *options), context,
              [&context, options] { return UserShow(context, *options); });
  BindCommand(
      AddNamedUser(*users, "set-password",
                   "set a user's console password (read from stdin)", *options),
      context,
      [&context, options] { return UserSetPassword(context, *options); });
  for (const char* verb : {"disable", "enable"}) {
    BindCommand(AddNamedUser(*users, verb, "disable or enable", *options),
                context, [&context, options, verb] {
                  return UserSetDisabled(context, *options, verb);
                });
  }
}

void AddTokenCommands(CLI::App& app, CommandContext& context) {
  CLI::App* tokens = app.add_subcommand("token", "manage API tokens");
  tokens->require_subcommand(1);
  auto options = std::make_shared<TokenOptions>();
  CLI::App* create = tokens->add_subcommand("create", "issue a token");
  create->add_option("--role", options->role, "role (unless --user)");
  create->add_option("--env", options->env, "environment (sdk tokens)");
  create->add_option("--team", options->team, "team (app_owner tokens)");
  create->add_option("--tenant", options->tenant, "bound tenant (sdk tokens)");
  create->add_option("--user", options->user, "act as this user");
  create->add_option("--ttl", options->ttl, "lifetime, e.g. 90d");
  create->add_option("--description", options->description, "what it is for");
  BindCommand(create, context,
              [&context, options] { return TokenCreate(context, *options); });
  BindCommand(tokens->add_subcommand("list", "list tokens"), context,
              [&context] { return TokenList(context); });
  BindCommand(tokens->add_subcommand(
                  "whoami", "the calling token: role, environment, tenant"),
              context, [&context] { return TokenWhoami(context); });
  CLI::App* revoke = tokens->add_subcommand("revoke", "revoke a token");
  revoke->add_option("id", options->id, "token id")->required();
  BindCommand(revoke, context,
              [&context, options] { return TokenRevoke(context, *options); });
}

}  // namespace

void AddAccessCommands(CLI::App& app, CommandContext& context) {
  AddUserCommands(app, context);
  AddTokenCommands(app, context);
}

}  // namespace warden::cli
