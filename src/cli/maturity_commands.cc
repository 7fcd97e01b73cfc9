#include "cli/maturity_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

namespace warden::cli {
namespace {

namespace json = boost::json;

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

}  // namespace warden::cli
