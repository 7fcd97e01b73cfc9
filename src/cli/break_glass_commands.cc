#include "cli/break_glass_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>

namespace warden::cli {
namespace {

struct BreakGlassOptions {
  std::string secret, identity, reason, id, note;
  int64_t duration_seconds = 0;
  bool unreviewed = false;
};

const std::vector<Column>& BreakGlassColumns() {
  static const std::vector<Column> kColumns = {{"ID", "id"},
                                               {"KIND", "kind"},
                                               {"TARGET", "target_name"},
                                               {"ACTOR", "actor"},
                                               {"CREATED", "created_at"},
                                               {"REVIEWED_BY", "reviewed_by"}};
  return kColumns;
}

Status Post(const CommandContext& context, const std::string& path,
            const boost::json::object& body) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, path, boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

Status Reactivate(const CommandContext& context,
                  const BreakGlassOptions& options) {
  boost::json::object body{{"identity", options.identity},
                           {"reason", options.reason}};
  if (options.duration_seconds > 0) {
    body["duration_seconds"] = options.duration_seconds;
  }
  return Post(context, "/v1/break-glass/reactivate", body);
}

Status List(const CommandContext& context, const BreakGlassOptions& options) {
  QueryString query("/v1/break-glass");
  if (options.unreviewed) query.Add("unreviewed", "true");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, BreakGlassColumns());
}

}  // namespace

void AddBreakGlassCommands(CLI::App& app, CommandContext& context) {
  CLI::App* glass = app.add_subcommand("break-glass", "emergency access");
  glass->require_subcommand(1);
  auto options = std::make_shared<BreakGlassOptions>();
  CLI::App* read = glass->add_subcommand("read-secret", "emergency read");
  read->add_option("secret", options->secret, "secret name")->required();
  read->add_option("--reason", options->reason, "the emergency")->required();
  BindCommand(read, context, [&context, options] {
    return Post(context, "/v1/break-glass/secret-read",
                {{"secret", options->secret}, {"reason", options->reason}});
  });
  CLI::App* reactivate =
      glass->add_subcommand("reactivate", "time-boxed re-activation");
  reactivate->add_option("identity", options->identity, "identity")->required();
  reactivate->add_option("--reason", options->reason, "the emergency")
      ->required();
  reactivate->add_option("--duration", options->duration_seconds, "seconds");
  BindCommand(reactivate, context,
              [&context, options] { return Reactivate(context, *options); });
  CLI::App* list = glass->add_subcommand("list", "the break-glass report");
  list->add_flag("--unreviewed", options->unreviewed, "only unreviewed");
  BindCommand(list, context,
              [&context, options] { return List(context, *options); });
  CLI::App* review = glass->add_subcommand("review", "review someone's use");
  review->add_option("id", options->id, "break-glass id")->required();
  review->add_option("--note", options->note, "review note");
  BindCommand(review, context, [&context, options] {
    return Post(context,
                "/v1/break-glass/" + PathSegment(options->id) + "/review",
                {{"note", options->note}});
  });
}

}  // namespace warden::cli
