#include "cli/policy_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "core/private_file.h"
#include "policy/decision_cases.h"
#include "policy/policy_compiler.h"
#include "policy/policy_limits.h"

namespace warden::cli {
namespace {

struct PolicyOptions {
  std::string file;
  std::string policy;  // test: overrides the case file's "policy"
  std::string env = "production";
  std::string reason;
  std::string version;
};

Result<std::string> ReadPolicyFile(const std::string& path) {
  return ReadSmallFile(path, policy::kMaxPolicyBytes);
}

boost::json::object CaseJson(const policy::CaseResult& r) {
  return {{"name", r.name},
          {"passed", r.passed},
          {"expected", r.expected},
          {"got", r.got},
          {"reason", r.reason}};
}

Status PrintReport(const CommandContext& context,
                   const policy::CaseReport& report) {
  if (context.json_output()) {
    boost::json::array cases;
    for (const auto& r : report.results) cases.push_back(CaseJson(r));
    std::cout << boost::json::serialize(boost::json::object{
                     {"passed", report.results.size() - report.failed},
                     {"failed", report.failed},
                     {"cases", std::move(cases)}})
              << "\n";
  } else {
    for (const auto& r : report.results) {
      std::cout << (r.passed ? "PASS " : "FAIL ") << r.name;
      if (!r.passed)
        std::cout << ": expected " << r.expected << ", got " << r.got;
      std::cout << " (" << r.reason << ")\n";
    }
    std::cout << report.results.size() - report.failed << " passed, "
              << report.failed << " failed\n";
  }
  if (report.failed == 0) return Status::Ok();
  return FailedPrecondition(
      std::to_string(report.failed) + " decision case(s) failed",
      "policy-test-failed");
}

Status PolicyTest(const CommandContext& context, const PolicyOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string text, ReadPolicyFile(options.file));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value cases,
                          policy::ParsePolicyJson(text, options.file));
  if (!cases.is_object()) {
    return InvalidArgument(options.file + ": must be a JSON object");
  }
  if (!options.policy.empty()) {
    cases.get_object()["policy"] =
        std::filesystem::absolute(options.policy).string();
  }
  const std::filesystem::path base =
      std::filesystem::path(options.file).parent_path();
  auto read = [&base](const std::string& path) {
    std::filesystem::path p(path);
    return ReadPolicyFile(p.is_absolute() ? path : (base / p).string());
  };
  Result<policy::CaseReport> report =
      policy::RunDecisionCases(cases.get_object(), read);
  if (!report.ok()) return report.status().WithContext(options.file);
  return PrintReport(context, *report);
}

Status PolicyValidate(const PolicyOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string text, ReadPolicyFile(options.file));
  Result<std::shared_ptr<const policy::PolicySet>> compiled =
      policy::CompilePolicyText(text);
  if (!compiled.ok()) return compiled.status().WithContext(options.file);
  const policy::PolicySet& set = **compiled;
  std::cout << options.file << ": valid (" << set.roles().size() << " roles, "
            << set.rules().size() << " rules, " << set.actions().size()
            << " actions)\n";
  return Status::Ok();
}

Status PolicyPush(const CommandContext& context, const PolicyOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string text, ReadPolicyFile(options.file));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value document,
                          policy::ParsePolicyJson(text, options.file));
  const boost::json::object body{{"policy", std::move(document)},
                                 {"reason", options.reason}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(
          HttpMethod::kPost,
          "/v1/access/policies/" + PathSegment(options.env) + "/versions",
          boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status PolicyShow(const CommandContext& context, const PolicyOptions& options) {
  std::string path = "/v1/access/policies/" + PathSegment(options.env);
  if (!options.version.empty()) {
    path += "/versions/" + PathSegment(options.version);
  }
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, path));
  return context.PrintRecord(answer);
}

Status PolicyHistory(const CommandContext& context,
                     const PolicyOptions& options) {
  static const std::vector<Column> kColumns = {
      {"VERSION", "version"},      {"STATE", "state"},
      {"BY", "created_by"},        {"AT", "created_at"},
      {"APPROVAL", "approval_id"}, {"REASON", "reason"}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(
          HttpMethod::kGet,
          "/v1/access/policies/" + PathSegment(options.env) + "/versions"));
  return context.PrintList(answer, kColumns);
}

void AddEnv(CLI::App* command, PolicyOptions& options) {
  command->add_option("--env", options.env,
                      "development, staging or production (default)");
}

}  // namespace

void AddPolicyCommands(CLI::App& app, CommandContext& context) {
  CLI::App* policy = app.add_subcommand(
      "policy", "access policies: test, validate, push, show, history");
  policy->require_subcommand(1);
  auto options = std::make_shared<PolicyOptions>();
  CLI::App* test = policy->add_subcommand(
      "test", "run a file of decision cases against its policy (offline)");
  test->add_option("file", options->file, "decision cases (JSON)")->required();
  test->add_option("--policy", options->policy,
                   "policy file, instead of the one the cases name");
  BindCommand(test, context,
              [&context, options] { return PolicyTest(context, *options); });
  CLI::App* validate =
      policy->add_subcommand("validate", "load a policy file (offline)");
  validate->add_option("file", options->file, "policy (JSON)")->required();
  BindCommand(validate, context,
              [options] { return PolicyValidate(*options); });
  CLI::App* push = policy->add_subcommand(
      "push", "propose a policy version (production: needs an approval)");
  push->add_option("file", options->file, "policy (JSON)")->required();
  push->add_option("--reason", options->reason, "why (required)")->required();
  AddEnv(push, *options);
  BindCommand(push, context,
              [&context, options] { return PolicyPush(context, *options); });
  CLI::App* show = policy->add_subcommand(
      "show", "the active policy, or one version (--version N)");
  AddEnv(show, *options);
  show->add_option("--version", options->version, "version number");
  BindCommand(show, context,
              [&context, options] { return PolicyShow(context, *options); });
  CLI::App* history =
      policy->add_subcommand("history", "every version, newest first");
  AddEnv(history, *options);
  BindCommand(history, context,
              [&context, options] { return PolicyHistory(context, *options); });
}

}  // namespace warden::cli
