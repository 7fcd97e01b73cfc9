// Tenant and segment commands. Route shapes: src/api/exposure_routes.h.
#include "cli/tenant_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <memory>

namespace warden::cli {
namespace {

// Keys per add-tenants request: keeps each body well under the server's
// 1 MiB request limit; larger lists go in several requests.
constexpr size_t kSegmentBatch = 10'000;

struct TenantOptions {
  std::string key;
  std::string name;
  std::string account_manager;
  std::vector<std::string> attributes;  // k=v
  std::vector<std::string> integrations;
  bool set_integrations = false;
  std::string description;
  std::vector<std::string> tenants;
  std::string tenants_file;
  std::string env;  // empty: the server's default (production)
};

// Pages a tenant's exposure is read in, and the most it follows: 500 flags
// a page (the server's largest), 200 pages.
constexpr int kExposurePageSize = 500;
constexpr int kMaxExposurePages = 200;

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

Result<boost::json::object> Attributes(const std::vector<std::string>& pairs) {
  boost::json::object out;
  for (const std::string& pair : pairs) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgument("--attr wants key=value, got \"" + pair + "\"");
    }
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return out;
}

Status TenantAdd(const CommandContext& context, const TenantOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(boost::json::object attributes,
                          Attributes(options.attributes));
  boost::json::object body{{"key", options.key},
                           {"name", options.name},
                           {"account_manager", options.account_manager},
                           {"attributes", std::move(attributes)},
                           {"integrations", Strings(options.integrations)}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/tenants",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status TenantUpdate(const CommandContext& context,
                    const TenantOptions& options) {
  boost::json::object body;
  if (!options.name.empty()) body["name"] = options.name;
  if (!options.account_manager.empty()) {
    body["account_manager"] = options.account_manager;
  }
  if (!options.attributes.empty()) {
    WARDEN_ASSIGN_OR_RETURN(body["attributes"], Attributes(options.attributes));
  }
  if (!options.integrations.empty()) {
    body["integrations"] = Strings(options.integrations);
  }
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPatch,
                   "/v1/tenants/" + PathSegment(options.key),
                   boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status Show(const CommandContext& context, const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, path));
  return context.PrintRecord(answer);
}

Status List(const CommandContext& context, const std::string& path,
            const std::vector<Column>& columns) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, path));
  return context.PrintList(answer, columns);
}

Result<std::vector<std::string>> SegmentKeys(const TenantOptions& options) {
  std::vector<std::string> keys = options.tenants;
  if (options.tenants_file.empty()) return keys;
  std::ifstream in(options.tenants_file);
  if (!in) return InvalidArgument("cannot read " + options.tenants_file);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) keys.push_back(line);
  }
  return keys;
}

Status SegmentAdd(const CommandContext& context, const TenantOptions& options) {
  boost::json::object body{{"key", options.key},
                           {"description", options.description}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/segments",
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status SegmentAddTenants(const CommandContext& context,
                         const TenantOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::vector<std::string> keys, SegmentKeys(options));
  int64_t added = 0;
  const std::string path =
      "/v1/segments/" + PathSegment(options.key) + "/tenants";
  for (size_t at = 0; at < keys.size(); at += kSegmentBatch) {
    std::vector<std::string> batch(
        keys.begin() + at,
        keys.begin() + std::min(keys.size(), at + kSegmentBatch));
    boost::json::object body{{"tenants", Strings(batch)}};
    WARDEN_ASSIGN_OR_RETURN(
        std::string answer,
        context.Call(HttpMethod::kPost, path, boost::json::serialize(body)));
    WARDEN_ASSIGN_OR_RETURN(boost::json::value reply, ParseJsonBody(answer));
    added += reply.at("added").as_int64();
  }
  std::cout << "added " << added << " of " << keys.size() << " tenants to "
            << options.key << "\n";
  return Status::Ok();
}

std::string Member(const boost::json::object& object, const char* key) {
  const boost::json::value* v = object.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  return v->is_string() ? std::string(v->get_string())
                        : boost::json::serialize(*v);
}

// One line for people: what decided the flag (the "because" object).
std::string BecauseText(const boost::json::object& because) {
  const std::string kind = Member(because, "kind");
  if (kind == "limit") {
    return "limit " + Member(because, "limit") + " (" +
           Member(because, "scope") + "): " + Member(because, "reason");
  }
  if (kind == "gate") {
    const std::string approval = Member(because, "approval");
    return "release " + Member(because, "release") + " needs " +
           Member(because, "requirement") +
           (approval.empty() ? "" : " (pending approval " + approval + ")");
  }
  if (kind == "stage") {
    return "release " + Member(because, "release") + " at stage " +
           Member(because, "stage") + " leaves it out";
  }
  if (kind == "rule") {
    const std::string segments = Member(because, "segments");
    return "rule " + Member(because, "rule") +
           (segments == "[]" ? "" : " (segments " + segments + ")");
  }
  if (kind == "default" || kind == "static") {
    return kind + " variant " + Member(because, "default_variant");
  }
  if (kind == "error") return "error: " + Member(because, "message");
  return kind;  // targeting, rollout, disabled
}

// GET /v1/tenants/{key}/exposure, every page; prints one table (or the
// whole answer, pages joined, as JSON).
Status TenantExposure(const CommandContext& context,
                      const TenantOptions& options) {
  boost::json::object joined;
  boost::json::array flags;
  std::string after;
  for (int page = 0; page < kMaxExposurePages; ++page) {
    QueryString target("/v1/tenants/" + PathSegment(options.key) + "/exposure");
    if (!options.env.empty()) target.Add("environment", options.env);
    target.Add("limit", std::to_string(kExposurePageSize));
    if (!after.empty()) target.Add("after", after);
    WARDEN_ASSIGN_OR_RETURN(std::string answer,
                            context.Call(HttpMethod::kGet, target.target()));
    WARDEN_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(answer));
    if (!body.is_object() || !body.get_object().contains("flags")) {
      return Internal("tenant exposure: unexpected answer");
    }
    joined = body.get_object();
    for (boost::json::value& flag : joined["flags"].as_array()) {
      flags.push_back(std::move(flag));
    }
    after = Member(joined, "next_after");
    if (after.empty()) break;
  }
  joined["flags"] = flags;
  joined["next_after"] =
      after.empty() ? boost::json::value(nullptr) : boost::json::value(after);
  if (context.json_output()) {
    std::cout << boost::json::serialize(joined) << "\n";
    return Status::Ok();
  }
  boost::json::array rows;
  for (const boost::json::value& flag : flags) {
    const boost::json::object& f = flag.as_object();
    const boost::json::value* because = f.if_contains("because");
    rows.push_back(boost::json::object{
        {"key", f.at("key")},
        {"value", Member(f, "value")},
        {"variant", f.at("variant")},
        {"reason", f.at("reason")},
        {"because", because != nullptr && because->is_object()
                        ? BecauseText(because->get_object())
                        : std::string()}});
  }
  std::cout << "tenant " << Member(joined, "tenant") << " in "
            << Member(joined, "environment") << " (revision "
            << Member(joined, "revision") << ")\n"
            << RenderTable({{"FLAG", "key"},
                            {"VALUE", "value"},
                            {"VARIANT", "variant"},
                            {"REASON", "reason"},
                            {"BECAUSE", "because"}},
                           rows);
  return Status::Ok();
}

}  // namespace

void AddTenantCommands(CLI::App& app, CommandContext& context) {
  CLI::App* tenants = app.add_subcommand("tenant", "customer accounts");
  tenants->require_subcommand(1);
  auto options = std::make_shared<TenantOptions>();
  for (const char* verb : {"add", "update"}) {
    CLI::App* command = tenants->add_subcommand(verb, std::string(verb) == "add"
                                                          ? "register a tenant"
                                                          : "change a tenant");
    command->add_option("key", options->key, "tenant key")->required();
    command->add_option("--name", options->name, "display name");
    command->add_option("--account-manager", options->account_manager,
                        "account manager (a Warden user)");
    command->add_option("--attr", options->attributes,
                        "attribute key=value (repeatable; replaces all)");
    command->add_option("--integration", options->integrations,
                        "integration (repeatable; replaces all)");
    const bool add = std::string(verb) == "add";
    BindCommand(command, context, [&context, options, add] {
      return add ? TenantAdd(context, *options)
                 : TenantUpdate(context, *options);
    });
  }
  CLI::App* list = tenants->add_subcommand("list", "list tenants");
  BindCommand(list, context, [&context] {
    return List(context, "/v1/tenants",
                {{"KEY", "key"},
                 {"NAME", "name"},
                 {"ACCOUNT MANAGER", "account_manager"},
                 {"INTEGRATIONS", "integrations"}});
  });
  CLI::App* show = tenants->add_subcommand("show", "show one tenant");
  show->add_option("key", options->key, "tenant key")->required();
  BindCommand(show, context, [&context, options] {
    return Show(context, "/v1/tenants/" + PathSegment(options->key));
  });
  CLI::App* exposure = tenants->add_subcommand(
      "exposure", "every flag as the tenant sees it, and why");
  exposure->add_option("key", options->key, "tenant key")->required();
  exposure->add_option("--env", options->env,
                       "environment (default: production)");
  BindCommand(exposure, context, [&context, options] {
    return TenantExposure(context, *options);
  });
}

void AddSegmentCommands(CLI::App& app, CommandContext& context) {
  CLI::App* segments = app.add_subcommand("segment", "cohorts of tenants");
  segments->require_subcommand(1);
  auto options = std::make_shared<TenantOptions>();
  CLI::App* add = segments->add_subcommand("add", "create a segment");
  add->add_option("key", options->key, "segment key")->required();
  add->add_option("--description", options->description, "what it is for");
  BindCommand(add, context,
              [&context, options] { return SegmentAdd(context, *options); });
  CLI::App* list = segments->add_subcommand("list", "list segments");
  BindCommand(list, context, [&context] {
    return List(context, "/v1/segments",
                {{"KEY", "key"},
                 {"TENANTS", "tenant_count"},
                 {"DESCRIPTION", "description"}});
  });
  CLI::App* show = segments->add_subcommand("show", "show one segment");
  show->add_option("key", options->key, "segment key")->required();
  BindCommand(show, context, [&context, options] {
    return Show(context, "/v1/segments/" + PathSegment(options->key));
  });
  CLI::App* members =
      segments->add_subcommand("add-tenants", "add tenants to a segment");
  members->add_option("key", options->key, "segment key")->required();
  members->add_option("--tenant", options->tenants, "tenant key (repeatable)");
  members->add_option("--file", options->tenants_file,
                      "file with one tenant key per line");
  BindCommand(members, context, [&context, options] {
    return SegmentAddTenants(context, *options);
  });
}

}  // namespace warden::cli
