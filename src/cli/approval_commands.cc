#include "cli/approval_commands.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <memory>

namespace warden::cli {
namespace {

struct ApprovalOptions {
  std::string id, reason, state, kind, release, tenant, identity, requester,
      limit, after;
  bool mine = false;
};

const std::vector<Column>& ApprovalColumns() {
  static const std::vector<Column> kColumns = {{"ID", "id"},
                                               {"KIND", "kind"},
                                               {"STATE", "state"},
                                               {"RELEASE", "release_id"},
                                               {"TENANT", "tenant"},
                                               {"IDENTITY", "identity"},
                                               {"REQUESTER", "requester"},
                                               {"APPROVER", "approver_role"},
                                               {"EXPIRES", "expires_at"}};
  return kColumns;
}

std::string ApprovalPath(const std::string& id) {
  return "/v1/approvals/" + PathSegment(id);
}

Status ApprovalList(const CommandContext& context,
                    const ApprovalOptions& options) {
  QueryString query("/v1/approvals");
  query.Add("state", options.state)
      .Add("kind", options.kind)
      .Add("release", options.release)
      .Add("tenant", options.tenant)
      .Add("identity", options.identity)
      .Add("requester", options.requester)
      .Add("limit", options.limit)
      .Add("after", options.after);
  if (options.mine) query.Add("mine", "true");
  WARDEN_ASSIGN_OR_RETURN(std::string answer,
                          context.Call(HttpMethod::kGet, query.target()));
  return context.PrintList(answer, ApprovalColumns());
}

Status ApprovalShow(const CommandContext& context,
                    const ApprovalOptions& options) {
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kGet, ApprovalPath(options.id)));
  return context.PrintRecord(answer);
}

Status ApprovalDecide(const CommandContext& context,
                      const ApprovalOptions& options, const char* verb) {
  const boost::json::object body{{"reason", options.reason}};
  WARDEN_ASSIGN_OR_RETURN(
      std::string answer,
      context.Call(HttpMethod::kPost, ApprovalPath(options.id) + "/" + verb,
                   boost::json::serialize(body)));
  return context.PrintRecord(answer);
}

void AddList(CLI::App& approvals, CommandContext& context,
             const std::shared_ptr<ApprovalOptions>& options) {
  CLI::App* list = approvals.add_subcommand(
      "list", "list approval requests (--mine: what waits for you)");
  list->add_flag("--mine", options->mine,
                 "only pending requests you may decide");
  list->add_option("--state", options->state,
                   "pending, approved, declined or expired");
  list->add_option("--kind", options->kind,
                   "stage_advance, tenant_activation, identity_change, "
                   "exception or access_policy");
  list->add_option("--release", options->release, "release id");
  list->add_option("--tenant", options->tenant, "tenant key");
  list->add_option("--identity", options->identity, "identity id");
  list->add_option("--requester", options->requester, "who asked");
  list->add_option("--limit", options->limit, "page size (1..500)");
  list->add_option("--after", options->after, "next_after of a page");
  BindCommand(list, context,
              [&context, options] { return ApprovalList(context, *options); });
}

}  // namespace

void AddApprovalCommands(CLI::App& app, CommandContext& context) {
  CLI::App* approvals = app.add_subcommand(
      "approval", "approval requests: the inbox and four-eyes decisions");
  approvals->require_subcommand(1);
  auto options = std::make_shared<ApprovalOptions>();
  AddList(*approvals, context, options);
  CLI::App* show = approvals->add_subcommand("show", "show one request");
  show->add_option("id", options->id, "approval id")->required();
  BindCommand(show, context,
              [&context, options] { return ApprovalShow(context, *options); });
  for (const char* verb : {"approve", "decline"}) {
    CLI::App* decide = approvals->add_subcommand(verb, "decide a request");
    decide->add_option("id", options->id, "approval id")->required();
    decide->add_option("--reason", options->reason, "why (required)")
        ->required();
    BindCommand(decide, context, [&context, options, verb] {
      return ApprovalDecide(context, *options, verb);
    });
  }
}

}  // namespace warden::cli
