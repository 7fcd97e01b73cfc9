// Limit commands. Route shapes: src/api/exposure_routes.h.
#include "cli/limit_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

namespace warden::cli {
namespace {

struct LimitOptions {
  std::vector<std::string> tenants;
  std::vector<std::string> integrations;
  std::vector<std::string> account_owners;
  std::vector<std::string> segments;
  std::vector<std::string> releases;
  bool flags_only = false;
  std::vector<std::string> flags;
  std::string env;  // empty: every environment
  std::string reason;
  std::string id;
  bool all = false;
  bool dry_run = false;
};

const std::vector<Column>& LimitColumns() {
  static const std::vector<Column> kColumns = {
      {"ID", "id"},         {"SCOPE", "scope"},       {"VALUES", "values"},
      {"FLAGS", "flags"},   {"ACTIVE", "active"},     {"ACTOR", "actor"},
      {"REASON", "reason"}, {"CREATED", "created_at"}};
  return kColumns;
}

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

// Exactly one scope flag: the scope and its values.
Result<std::pair<std::string, std::vector<std::string>>> ScopeOf(
    const LimitOptions& options) {
  std::vector<std::pair<std::string, std::vector<std::string>>> chosen;
  if (!options.tenants.empty()) chosen.push_back({"tenant", options.tenants});
  if (!options.integrations.empty()) {
    chosen.push_back({"integration", options.integrations});
  }
  if (!options.account_owners.empty()) {
    chosen.push_back({"account_owner", options.account_owners});
  }
  if (!options.segments.empty()) {
    chosen.push_back({"segment", options.segments});
  }
  if (!options.releases.empty()) {
    chosen.push_back({"release", options.releases});
  }
  if (options.flags_only) chosen.push_back({"flags", {}});
  if (chosen.size() != 1) {
    return InvalidArgument(
        "give exactly one of --tenant, --integration, --account-owner, "
        "--segment, --release, --flags-only");
  }
  return chosen.front();
}

// The flags the limit could not turn off (report.not_turned_off), one
// "warning:" line each on stderr; the limit itself is set.
void PrintNotTurnedOff(std::string_view answer) {
  Result<boost::json::value> body = ParseJsonBody(answer);
  if (!body.ok() || !body->is_object()) return;
  const boost::json::value* report = body->as_object().if_contains("report");
  if (report == nullptr || !report->is_object()) return;
  const boost::json::value* flags =
      report->as_object().if_contains("not_turned_off");
  if (flags == nullptr || !flags->is_array()) return;
  for (const boost::json::value& flag : flags->get_array()) {
    const boost::json::object* item = flag.if_object();
    if (item == nullptr) continue;
    const auto text = [&](const char* key) -> std::string {
      const boost::json::value* v = item->if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->get_string())
                                            : std::string();
    };
    std::cerr << "warning: flag " << text("flag") << " in "
              << text("environment") << " is not turned off: " << text("reason")
              << "\n";
  }
}

std::string Text(const boost::json::object& object, const char* key) {
  const boost::json::value* v = object.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string())
                                        : std::string();
}

int64_t Count(const boost::json::object& object, const char* key) {
  const boost::json::value* v = object.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

const boost::json::array& Items(const boost::json::object& object,
                                const char* key) {
  static const boost::json::array kNone;
  const boost::json::value* v = object.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : kNone;
}

// "a, b, c (and N more)", or "none".
std::string Joined(const boost::json::array& items, int64_t omitted) {
  std::string out;
  for (const boost::json::value& item : items) {
    if (!out.empty()) out += ", ";
    if (item.is_string()) {
      out += item.get_string();
    } else if (item.is_object()) {
      out += Text(item.get_object(), "environment") + "/" +
             Text(item.get_object(), "flag");
    }
  }
  if (omitted > 0) out += " (and " + std::to_string(omitted) + " more)";
  return out.empty() ? "none" : out;
}

// The preview (POST /v1/limits/preview) as a few lines for people.
Status PrintPreview(const CommandContext& context, const std::string& answer) {
  if (context.json_output()) return context.PrintRecord(answer);
  WARDEN_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(answer));
  if (!body.is_object()) return Internal("limit preview: not a JSON object");
  const boost::json::object& plan = body.get_object();
  const boost::json::object* report =
      plan.contains("report") && plan.at("report").is_object()
          ? &plan.at("report").get_object()
          : nullptr;
  if (report == nullptr) return Internal("limit preview: no report");
  std::cout << "dry run: nothing was changed\n";
  std::cout << "flags turned off: " << Count(*report, "flags_turned_off")
            << " ("
            << Joined(Items(plan, "flags_turned_off"),
                      Count(plan, "flags_turned_off_omitted"))
            << ")\n";
  const boost::json::value* everyone = plan.if_contains("everyone");
  if (everyone != nullptr && everyone->is_bool() && everyone->get_bool()) {
    std::cout << "for: every evaluation of those flags\n";
  } else {
    std::cout << "for tenants: "
              << Joined(Items(plan, "tenants"), Count(plan, "tenants_omitted"))
              << "\n";
  }
  std::cout << "tokens revoked: identities "
            << Joined(Items(plan, "identities"),
                      Count(plan, "identities_omitted"))
            << "; tenant-bound tokens of "
            << Joined(Items(plan, "tenants"), Count(plan, "tenants_omitted"))
            << "\n";
  const boost::json::array& rotations = Items(*report, "rotations_queued");
  if (!rotations.empty()) {
    std::cout << "secret rotations queued: " << Joined(rotations, 0) << "\n";
  }
  PrintNotTurnedOff(answer);
  return Status::Ok();
}

Status LimitSet(const CommandContext& context, const LimitOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(auto scope, ScopeOf(options));
  boost::json::object body{{"scope", scope.first},
                           {"values", Strings(scope.second)},
                           {"flags", Strings(options.flags)},
                           {"reason", options.reason}};
  if (!options.env.empty()) body["environment"] = options.env;
  if (options.dry_run) {
    WARDEN_ASSIGN_OR_RETURN(
        std::string answer,
        context.Call(HttpMethod::kPost, "/v1/limits/preview",
                     boost::json::serialize(body)));
    return PrintPreview(context, answer);
  }
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/limits",
                                       boost::json::serialize(body)));
  PrintNotTurnedOff(answer);
  return context.PrintRecord(answer);
}

Status LimitList(const CommandContext& context, const LimitOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet,
                   QueryString("/v1/limits")
                       .Add("status", options.all ? "all" : "active")
                       .target()));
  return context.PrintList(answer, LimitColumns());
}

Status LimitShow(const CommandContext& context, const LimitOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, "/v1/limits/" + PathSegment(options.id)));
  return context.PrintRecord(answer);
}

Status LimitLift(const CommandContext& context, const LimitOptions& options) {
  boost::json::object body{{"reason", options.reason}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost,
                   "/v1/limits/" + PathSegment(options.id) + "/lift",
                   boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

}  // namespace

void AddLimitCommands(CLI::App& app, CommandContext& context) {
  CLI::App* limits =
      app.add_subcommand("limit", "exposure limits (kill switches)");
  limits->require_subcommand(1);
  auto options = std::make_shared<LimitOptions>();

  CLI::App* set = limits->add_subcommand("set", "limit exposure now");
  set->add_option("--tenant", options->tenants, "tenant key (repeatable)");
  set->add_option("--integration", options->integrations,
                  "integration (repeatable)");
  set->add_option("--account-owner", options->account_owners,
                  "account manager user (repeatable)");
  set->add_option("--segment", options->segments, "segment key (repeatable)");
  set->add_option("--release", options->releases,
                  "release id: its flags, tokens and secrets (repeatable)");
  set->add_flag("--flags-only", options->flags_only,
                "every evaluation of the --flag flags");
  set->add_option("--flag", options->flags,
                  "covered flag (repeatable; default: all flags)");
  set->add_option("--env", options->env,
                  "one environment (default: every environment)");
  set->add_option("--reason", options->reason, "why (audited)")->required();
  set->add_flag("--dry-run", options->dry_run,
                "show which flags turn off for whom and which tokens are "
                "revoked, and change nothing");
  BindCommand(set, context,
              [&context, options] { return LimitSet(context, *options); });

  CLI::App* list = limits->add_subcommand("list", "list active limits");
  list->add_flag("--all", options->all, "include lifted limits");
  BindCommand(list, context,
              [&context, options] { return LimitList(context, *options); });

  CLI::App* show = limits->add_subcommand("show", "show one limit");
  show->add_option("id", options->id, "limit id")->required();
  BindCommand(show, context,
              [&context, options] { return LimitShow(context, *options); });

  CLI::App* lift = limits->add_subcommand("lift", "lift a limit");
  lift->add_option("id", options->id, "limit id")->required();
  lift->add_option("--reason", options->reason, "why (audited)")->required();
  BindCommand(lift, context,
              [&context, options] { return LimitLift(context, *options); });
}

}  // namespace warden::cli
