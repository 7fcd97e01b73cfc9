#include "cli/posture_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <memory>

namespace warden::cli {
namespace {

namespace json = boost::json;

// A policy document is a few hundred bytes of thresholds; anything near
// this is the wrong file.
constexpr size_t kMaxPolicyFileBytes = 1 << 20;

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
