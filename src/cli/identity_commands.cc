// Identity commands. Field names are the wire contract of DESIGN.md
// ("Identity JSON fields"); the CLI sends only the fields the user gave.
#include "cli/identity_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/client_commands.h"

namespace warden::cli {
namespace {

// Upper bound on pages followed by `list --all`, so a server that keeps
// returning a cursor cannot loop the CLI forever (at 500 a page: 5M rows).
constexpr int kMaxPages = 10000;

// Fields shared by add and update; empty strings and unset options are
// "not given".
struct IdentityOptions {
  std::string id;
  std::string name, kind, owner, application, environment;
  std::string expires_at, expires_in;
  std::string business_function, risk_tier, auth_method;
  std::vector<std::string> scopes;
  int rotation_days = 0;
  std::string justification, vendor, tenant;
  std::string external_id, sponsor, task_scope;
  std::string ticket;  // change reference for change-controlled changes
  int64_t if_version = 0;
  std::string reason;
  CLI::Option* rotation_option = nullptr;
  CLI::Option* scope_option = nullptr;
  CLI::Option* version_option = nullptr;
};

struct ListOptions {
  std::string owner, application, environment, kind, risk_tier, status;
  std::string vendor, tenant, expiring_before, expiring_within, q;
  int limit = 0;
  bool all = false;
};

const std::vector<Column>& IdentityColumns() {
  static const std::vector<Column> kColumns = {
      {"ID", "id"},         {"NAME", "name"},         {"KIND", "kind"},
      {"OWNER", "owner"},   {"ENV", "environment"},   {"RISK", "risk_tier"},
      {"STATUS", "status"}, {"EXPIRES", "expires_at"}};
  return kColumns;
}

std::string IdentityPath(const std::string& id) {
  return "/v1/identities/" + PathSegment(id);
}

void PutIfSet(boost::json::object& body, const char* key,
              const std::string& value) {
  if (!value.empty()) body[key] = value;
}

Result<boost::json::object> IdentityBody(const IdentityOptions& options) {
  boost::json::object body;
  for (auto [key, value] : {std::pair{"name", &options.name},
                            {"kind", &options.kind},
                            {"owner", &options.owner},
                            {"application", &options.application},
                            {"environment", &options.environment},
                            {"business_function", &options.business_function},
                            {"risk_tier", &options.risk_tier},
                            {"auth_method", &options.auth_method},
                            {"justification", &options.justification},
                            {"vendor", &options.vendor},
                            {"tenant", &options.tenant},
                            {"external_id", &options.external_id},
                            {"sponsor", &options.sponsor},
                            {"task_scope", &options.task_scope},
                            {"ticket", &options.ticket}}) {
    PutIfSet(body, key, *value);
  }
  WARDEN_ASSIGN_OR_RETURN(std::string expires_at,
                          InstantFlag(options.expires_at, options.expires_in,
                                      "--expires-at/--expires-in"));
  PutIfSet(body, "expires_at", expires_at);
  if (options.scope_option->count() > 0) {
    boost::json::array scopes;
    for (const auto& scope : options.scopes) scopes.emplace_back(scope);
    body["scopes"] = std::move(scopes);
  }
  if (options.rotation_option->count() > 0) {
    body["rotation_days"] = options.rotation_days;
  }
  return body;
}

Status IdentityAdd(const CommandContext& context,
                   const IdentityOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, IdentityBody(options));
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/identities",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status IdentityUpdate(const CommandContext& context,
                      const IdentityOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object body, IdentityBody(options));
  std::string if_match;
  if (options.version_option->count() > 0) {
    if_match = "\"" + std::to_string(options.if_version) + "\"";
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPatch, IdentityPath(options.id),
                   boost::json::serialize(body), if_match));
  return context.PrintRecord(answer);
}

Status IdentityShow(const CommandContext& context,
                    const IdentityOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, IdentityPath(options.id)));
  return context.PrintRecord(answer);
}

Status IdentityTransition(const CommandContext& context,
                          const IdentityOptions& options, const char* action) {
  boost::json::object body;
  PutIfSet(body, "reason", options.reason);
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, IdentityPath(options.id) + "/" + action,
                   boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Result<std::string> ListTarget(const ListOptions& options,
                               const std::string& cursor) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string before,
      InstantFlag(options.expiring_before, options.expiring_within,
                  "--expiring-before/--expiring-within"));
  QueryString query("/v1/identities");
  query.Add("owner", options.owner)
      .Add("application", options.application)
      .Add("environment", options.environment)
      .Add("kind", options.kind)
      .Add("risk_tier", options.risk_tier)
      .Add("status", options.status)
      .Add("vendor", options.vendor)
      .Add("tenant", options.tenant)
      .Add("expiring_before", before)
      .Add("q", options.q)
      .Add("limit", options.limit > 0 ? std::to_string(options.limit) : "")
      .Add("cursor", cursor);
  return query.target();
}

// Follows "next_cursor" until the server stops returning one, printing one
// table (or one {"items": [...]} document) for all pages.
Status IdentityListAll(const CommandContext& context,
                       const ListOptions& options) {
  boost::json::array rows;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    WARDEN_ASSIGN_OR_RETURN(std::string target, ListTarget(options, cursor));
    WARDEN_ASSIGN_OR_RETURN(std::string answer,
                            context.Call(HttpMethod::kGet, target));
    WARDEN_ASSIGN_OR_RETURN(boost::json::value parsed, ParseJsonBody(answer));
    WARDEN_ASSIGN_OR_RETURN(boost::json::array items, ListItems(parsed));
    for (auto& item : items) rows.push_back(std::move(item));
    cursor = JsonString(parsed, "next_cursor");
    if (cursor.empty()) {
      boost::json::object all{{"items", std::move(rows)}};
      return context.PrintList(boost::json::serialize(all), IdentityColumns());
    }
  }
  return Internal("identity list: server returned more than " +
                  std::to_string(kMaxPages) + " pages");
}

Status IdentityList(const CommandContext& context, const ListOptions& options) {
  if (options.all) return IdentityListAll(context, options);
  WARDEN_ASSIGN_OR_RETURN(std::string target, ListTarget(options, ""));
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, target));
  WARDEN_RETURN_IF_ERROR(context.PrintList(answer, IdentityColumns()));
  std::string cursor = JsonString(ParseJsonBody(answer).value(), "next_cursor");
  if (!cursor.empty() && !context.json_output()) {
    std::cerr << "more results: pass --all to follow the cursor\n";
  }
  return Status::Ok();
}

void AddFieldOptions(CLI::App* command, IdentityOptions& options) {
  command->add_option("--owner", options.owner, "owning team");
  command->add_option("--application", options.application, "application");
  command->add_option("--expires-at", options.expires_at, "RFC 3339 expiry");
  command->add_option("--expires-in", options.expires_in,
                      "expiry from now, e.g. 90d");
  command->add_option("--business-function", options.business_function,
                      "business function");
  command->add_option("--risk-tier", options.risk_tier, "declared risk tier");
  command->add_option("--auth-method", options.auth_method,
                      "authentication method");
  options.scope_option = command->add_option(
      "--scope", options.scopes, "granted scope resource:action (repeatable)");
  options.rotation_option = command->add_option(
      "--rotation-days", options.rotation_days, "rotation period in days");
  command->add_option("--justification", options.justification,
                      "why it exists");
  command->add_option("--vendor", options.vendor, "external vendor");
  command->add_option("--tenant", options.tenant, "customer tenant it serves");
  command->add_option("--external-id", options.external_id,
                      "where it lives outside Warden (what discovery "
                      "matches), e.g. k8s:prod/payments/api");
  command->add_option("--sponsor", options.sponsor,
                      "agents: the human user who answers for it");
  command->add_option("--task-scope", options.task_scope,
                      "agents: the bounded task it may perform");
  command->add_option("--ticket", options.ticket,
                      "change reference (production or vendor identities, "
                      "widening)");
}

void AddListCommand(CLI::App& identities, CommandContext& context) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* list = identities.add_subcommand("list", "search the inventory");
  for (auto [flag, value] : {std::pair{"--owner", &options->owner},
                             {"--application", &options->application},
                             {"--environment", &options->environment},
                             {"--kind", &options->kind},
                             {"--risk-tier", &options->risk_tier},
                             {"--status", &options->status},
                             {"--vendor", &options->vendor},
                             {"--tenant", &options->tenant},
                             {"--expiring-before", &options->expiring_before},
                             {"--expiring-within", &options->expiring_within},
                             {"--q", &options->q}}) {
    list->add_option(flag, *value);
  }
  list->add_option("--limit", options->limit, "page size")
      ->check(CLI::Range(1, 1000));
  list->add_flag("--all", options->all, "follow cursors to the last page");
  BindCommand(list, context,
              [&context, options] { return IdentityList(context, *options); });
}

CLI::App* AddWithId(CLI::App& identities, const char* verb,
                    const char* description, IdentityOptions& options) {
  CLI::App* command = identities.add_subcommand(verb, description);
  command->add_option("id", options.id, "identity id")->required();
  return command;
}

void AddTransitions(CLI::App& identities, CommandContext& context,
                    const std::shared_ptr<IdentityOptions>& options) {
  for (const char* action : {"suspend", "resume", "revoke"}) {
    CLI::App* command =
        AddWithId(identities, action, "lifecycle transition", *options);
    auto* reason = command->add_option("--reason", options->reason, "why");
    if (std::string_view(action) != "resume") reason->required();
    BindCommand(command, context, [&context, options, action] {
      return IdentityTransition(context, *options, action);
    });
  }
}

}  // namespace

void AddIdentityCommands(CLI::App& app, CommandContext& context) {
  CLI::App* identities =
      app.add_subcommand("identity", "manage non-human identities");
  identities->require_subcommand(1);
  auto options = std::make_shared<IdentityOptions>();

  CLI::App* add = identities->add_subcommand("add", "register an identity");
  add->add_option("--name", options->name, "unique name")->required();
  add->add_option("--kind", options->kind, "identity kind")->required();
  add->add_option("--environment", options->environment, "environment")
      ->required();
  AddFieldOptions(add, *options);
  BindCommand(add, context,
              [&context, options] { return IdentityAdd(context, *options); });

  // Update has its own option set: AddFieldOptions records which CLI::Option
  // objects to ask "was it given?".
  auto patch = std::make_shared<IdentityOptions>();
  CLI::App* update = AddWithId(*identities, "update", "change fields", *patch);
  AddFieldOptions(update, *patch);
  patch->version_option = update->add_option("--if-version", patch->if_version,
                                             "fail unless at this version");
  BindCommand(update, context,
              [&context, patch] { return IdentityUpdate(context, *patch); });

  CLI::App* show =
      AddWithId(*identities, "show", "show one identity", *options);
  BindCommand(show, context,
              [&context, options] { return IdentityShow(context, *options); });

  AddListCommand(*identities, context);
  AddTransitions(*identities, context, options);
  AddClientCommands(*identities, context);
}

}  // namespace warden::cli
