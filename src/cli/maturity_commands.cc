#include "cli/maturity_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace warden::cli {
namespace {

namespace json = boost::json;

// A policy document is a few hundred bytes of thresholds; anything near
// this is the wrong file.
constexpr size_t kMaxPolicyFileBytes = 1 << 20;

// The shares in the order they are defined (docs/API.md "Maturity").
constexpr const char* kShares[] = {"inventoried", "justified", "revocable"};

struct MaturityOptions {
  std::string team, application, environment;
  int drill_down = -1;
};

double NumberOr(const json::object& object, std::string_view key,
                double fallback) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<double>() : fallback;
}

void PrintShare(const char* name, const json::object& share) {
  const double ratio = NumberOr(share, "share", 0);
  char line[128];
  std::snprintf(line, sizeof(line),
                "%-12s %6.1f%%  %lld/%lld ok, %lld failing\n", name,
                ratio * 100, static_cast<long long>(NumberOr(share, "ok", 0)),
                static_cast<long long>(NumberOr(share, "total", 0)),
                static_cast<long long>(NumberOr(share, "failing_count", 0)));
  std::cout << line;
  const json::value* failing = share.if_contains("failing");
  if (failing == nullptr || !failing->is_array()) return;
  for (const json::value& gap : failing->get_array()) {
    if (!gap.is_object()) continue;
    const json::object& g = gap.get_object();
    auto cell = [&g](std::string_view key) {
      return g.contains(key) ? CellText(g.at(key)) : std::string("-");
    };
    std::cout << "    " << cell("kind") << " " << cell("name") << " ("
              << cell("id") << "), owner " << cell("owner") << ", finding "
              << cell("finding") << "\n";
  }
}

Status MaturityShow(const CommandContext& context,
                    const MaturityOptions& options) {
  QueryString query("/v1/maturity");
  query.Add("team", options.team)
      .Add("application", options.application)
      .Add("environment", options.environment)
      .Add("drill_down",
           options.drill_down >= 0 ? std::to_string(options.drill_down) : "");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  WARDEN_ASSIGN_OR_RETURN(json::value parsed, ParseJsonBody(answer));
  if (!parsed.is_object()) {
    return Internal("server answered with JSON that is not an object");
  }
  if (context.json_output()) {
    std::cout << answer << (answer.ends_with('\n') ? "" : "\n");
    return Status::Ok();
  }
  for (const char* name : kShares) {
    const json::value* share = parsed.get_object().if_contains(name);
    if (share != nullptr && share->is_object()) {
      PrintShare(name, share->get_object());
    }
  }
  return Status::Ok();
}

Status Sweep(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPost, "/v1/posture/sweep"));
  return context.PrintRecord(answer);
}

Result<std::string> ReadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  std::string text(kMaxPolicyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxPolicyFileBytes) {
    return InvalidArgument(path + " is larger than " +
                           std::to_string(kMaxPolicyFileBytes) + " bytes");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    return InvalidArgument(path + ": not a JSON object" +
                           (ec ? ": " + ec.message() : std::string()));
  }
  return text;
}

Status PolicySet(const CommandContext& context, const std::string& path) {
  WARDEN_ASSIGN_OR_RETURN(std::string body, ReadPolicyFile(path));
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPut, "/v1/posture/policy", body));
  return context.PrintRecord(answer);
}

Status PolicyGet(const CommandContext& context) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, "/v1/posture/policy"));
  return context.PrintRecord(answer);
}

}  // namespace

void AddMaturityCommands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<MaturityOptions>();
  CLI::App* maturity = app.add_subcommand(
      "maturity", "inventoried, justified and revocable shares");
  maturity->add_option("--team", options->team, "owning team");
  maturity->add_option("--application", options->application, "application");
  maturity->add_option("--environment", options->environment, "environment");
  maturity
      ->add_option("--drill-down", options->drill_down,
                   "failing entries listed per share (0..100)")
      ->check(CLI::Range(0, 100));
  BindCommand(maturity, context,
              [&context, options] { return MaturityShow(context, *options); });
}

void AddPostureCommands(CLI::App& app, CommandContext& context) {
  CLI::App* posture =
      app.add_subcommand("posture", "the findings sweep and its policy");
  posture->require_subcommand(1);
  CLI::App* sweep = posture->add_subcommand(
      "sweep", "evaluate every rule now (findings and maturity)");
  BindCommand(sweep, context, [&context] { return Sweep(context); });
  CLI::App* policy =
      posture->add_subcommand("policy", "the posture policy (thresholds)");
  CLI::App* get = policy->add_subcommand("get", "show the policy");
  BindCommand(get, context, [&context] { return PolicyGet(context); });
  auto file = std::make_shared<std::string>();
  CLI::App* set =
      policy->add_subcommand("set", "replace the policy with a JSON file");
  set->add_option("file", *file, "policy JSON")->required();
  BindCommand(set, context,
              [&context, file] { return PolicySet(context, *file); });
  // `posture policy` alone shows it.
  policy->callback([&context, policy, set] {
    if (policy->got_subcommand(set) || policy->got_subcommand("get")) return;
    context.Run([&context] { return PolicyGet(context); });
  });
}

}  // namespace warden::cli
