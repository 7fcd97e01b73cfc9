// Flag commands. Route shapes: src/api/exposure_routes.h.
#include "cli/flag_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace warden::cli {
namespace {

// A flag-definition file larger than this is not something to send in one
// request (the server caps request bodies at 1 MiB).
constexpr std::streamsize kMaxFlagFileBytes = 1 << 20;

struct FlagOptions {
  std::string env = "development";
  std::string key;
  std::string file;
  std::string out;
  bool stale = false;
  bool strict = false;  // import: refuse a file with warnings
};

const std::vector<Column>& FlagColumns() {
  static const std::vector<Column> kColumns = {
      {"KEY", "key"},          {"TYPE", "type"},   {"STATE", "state"},
      {"OWNER", "owner_team"}, {"STALE", "stale"}, {"UPDATED", "updated_at"}};
  return kColumns;
}

std::string FlagPath(const FlagOptions& options) {
  return "/v1/flags/" + PathSegment(options.env) + "/" +
         PathSegment(options.key);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.tellp() > kMaxFlagFileBytes) {
    return InvalidArgument(path + " is larger than 1 MiB");
  }
  return text.str();
}

// "warning: PATH: MESSAGE" on stderr for each import warning: the file
// imported (exit 0) but something in it degrades at evaluation.
void PrintWarnings(const boost::json::value& body) {
  const boost::json::object* answer = body.if_object();
  if (answer == nullptr) return;
  const boost::json::value* warnings = answer->if_contains("warnings");
  if (warnings == nullptr || !warnings->is_array()) return;
  for (const boost::json::value& w : warnings->get_array()) {
    const boost::json::object* item = w.if_object();
    if (item == nullptr || !item->contains("path") ||
        !item->contains("message")) {
      continue;
    }
    std::cerr << "warning: " << item->at("path").as_string().c_str() << ": "
              << item->at("message").as_string().c_str() << "\n";
  }
  const boost::json::value* omitted = answer->if_contains("warnings_omitted");
  if (omitted != nullptr && omitted->is_number() &&
      omitted->to_number<int64_t>() > 0) {
    std::cerr << "warning: " << omitted->to_number<int64_t>()
              << " more warning(s) not shown\n";
  }
}

Status FlagImport(const CommandContext& context, const FlagOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string document, ReadFile(options.file));
  QueryString target("/v1/flags/import");
  target.Add("environment", options.env);
  if (options.strict) target.Add("strict", "true");
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, target.target(), document));
  WARDEN_ASSIGN_OR_RETURN(boost::json::value body, ParseJsonBody(answer));
  PrintWarnings(body);
  if (context.json_output()) return context.PrintRecord(answer);
  std::cout << "imported into " << options.env << ": "
            << body.at("created").as_int64() << " created, "
            << body.at("updated").as_int64() << " updated\n";
  return Status::Ok();
}

Status FlagExport(const CommandContext& context, const FlagOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string document,
      context.Call(HttpMethod::kGet, QueryString("/v1/flags/export")
                                         .Add("environment", options.env)
                                         .target()));
  if (options.out.empty()) {
    std::cout << document << "\n";
    return Status::Ok();
  }
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  out << document << "\n";
  out.close();
  if (!out) return Unavailable("cannot write " + options.out);
  return Status::Ok();
}

Status FlagList(const CommandContext& context, const FlagOptions& options) {
  QueryString target("/v1/flags");
  target.Add("environment", options.env);
  if (options.stale) target.Add("stale", "true");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, target.target()));
  return context.PrintList(answer, FlagColumns());
}

Status FlagShow(const CommandContext& context, const FlagOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, FlagPath(options)));
  return context.PrintRecord(answer);
}

Status FlagSetState(const CommandContext& context, const FlagOptions& options,
                    const char* state) {
  boost::json::object body{{"state", state}};
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kPatch, FlagPath(options),
                                       boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

CLI::App* AddVerb(CLI::App& flags, const char* verb, const char* description,
                  FlagOptions& options) {
  CLI::App* command = flags.add_subcommand(verb, description);
  command->add_option("--env", options.env,
                      "environment (development, staging, production)");
  return command;
}

}  // namespace

void AddFlagCommands(CLI::App& app, CommandContext& context) {
  CLI::App* flags = app.add_subcommand("flag", "manage feature flags");
  flags->require_subcommand(1);
  auto options = std::make_shared<FlagOptions>();

  CLI::App* import =
      AddVerb(*flags, "import", "load a flagd flag-definition file", *options);
  import->add_option("file", options->file, "flagd JSON file")->required();
  import->add_flag("--strict", options->strict,
                   "refuse a file with warnings (for CI linting)");
  BindCommand(import, context,
              [&context, options] { return FlagImport(context, *options); });

  CLI::App* export_ =
      AddVerb(*flags, "export", "write the flags as flagd JSON", *options);
  export_->add_option("--out", options->out, "file (default: stdout)");
  BindCommand(export_, context,
              [&context, options] { return FlagExport(context, *options); });

  CLI::App* list = AddVerb(*flags, "list", "list flags", *options);
  list->add_flag("--stale", options->stale, "only stale flags");
  BindCommand(list, context,
              [&context, options] { return FlagList(context, *options); });

  struct Verb {
    const char* name;
    const char* description;
    const char* state;  // nullptr: show
  };
  for (const Verb& verb : {Verb{"show", "show one flag", nullptr},
                           Verb{"enable", "enable a flag", "enabled"},
                           Verb{"disable", "disable a flag", "disabled"}}) {
    CLI::App* command = AddVerb(*flags, verb.name, verb.description, *options);
    command->add_option("key", options->key, "flag key")->required();
    const char* state = verb.state;
    BindCommand(command, context, [&context, options, state] {
      return state == nullptr ? FlagShow(context, *options)
                              : FlagSetState(context, *options, state);
    });
  }
}

}  // namespace warden::cli
