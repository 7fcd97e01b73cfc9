// Root of the command tree: global flags, one registration call per command
// area, and the single place where an outcome becomes an exit code and an
// "error: ..." line.
#include "cli/cli_main.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/access_commands.h"
#include "cli/approval_commands.h"
#include "cli/audit_commands.h"
#include "cli/backup_commands.h"
#include "cli/break_glass_commands.h"
#include "cli/cert_commands.h"
#include "cli/command_context.h"
#include "cli/command_list.h"
#include "cli/drift_commands.h"
#include "cli/exception_commands.h"
#include "cli/exit_codes.h"
#include "cli/finding_commands.h"
#include "cli/flag_commands.h"
#include "cli/identity_commands.h"
#include "cli/limit_commands.h"
#include "cli/maturity_commands.h"
#include "cli/oauth_commands.h"
#include "cli/policy_commands.h"
#include "cli/posture_commands.h"
#include "cli/release_commands.h"
#include "cli/report_commands.h"
#include "cli/review_commands.h"
#include "cli/scan_commands.h"
#include "cli/secret_commands.h"
#include "cli/serve_command.h"
#include "cli/team_commands.h"
#include "cli/tenant_commands.h"
#include "core/crypto.h"

namespace warden {
namespace {

// "error: validation-failed: expires_at: must be in the future".
int ReportOutcome(const Status& status) {
  if (status.ok()) return cli::kExitOk;
  std::cerr << "error: " << status.problem() << ": " << status.message()
            << "\n";
  return cli::ExitCodeFor(status);
}

void AddCommands(CLI::App& app, cli::CommandContext& context) {
  cli::AddGlobalOptions(app, context.options());
  cli::AddServeCommand(app, context);
  cli::AddTeamCommands(app, context);
  cli::AddIdentityCommands(app, context);
  cli::AddExceptionCommands(app, context);
  cli::AddApprovalCommands(app, context);
  cli::AddPolicyCommands(app, context);
  cli::AddAccessCommands(app, context);
  cli::AddAuditCommands(app, context);
  cli::AddBackupCommands(app, context);
  cli::AddFlagCommands(app, context);
  cli::AddTenantCommands(app, context);
  cli::AddSegmentCommands(app, context);
  cli::AddLimitCommands(app, context);
  cli::AddReleaseCommands(app, context);
  cli::AddCertCommands(app, context);
  cli::AddSecretCommands(app, context);
  cli::AddOAuthCommands(app, context);
  cli::AddBreakGlassCommands(app, context);
  cli::AddScanCommands(app, context);
  cli::AddDriftCommands(app, context);
  cli::AddObservationCommands(app, context);
  cli::AddFindingCommands(app, context);
  cli::AddReviewCommands(app, context);
  cli::AddMaturityCommands(app, context);
  cli::AddPostureCommands(app, context);
  cli::AddReportCommands(app, context);
}

int ParseAndRun(CLI::App& app, cli::CommandContext& context, int argc,
                char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::RequiredError& e) {
    // `warden` or `warden AREA` alone: what could follow, then exit 1.
    if (const CLI::App* command = cli::CommandMissingItsSubcommand(app)) {
      // `warden bogus`: CLI11 checks requirements before extras.
      if (const auto extra = app.remaining(true); !extra.empty()) {
        std::cerr << "error: unexpected argument \"" << extra.front() << "\"\n";
      }
      std::cerr << cli::CommandList(*command);
      return cli::kExitUsage;
    }
    app.exit(e);
    return cli::kExitUsage;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return cli::kExitUsage;
  }
  if (context.exit_code().has_value()) return *context.exit_code();
  return ReportOutcome(context.result());
}

}  // namespace

int CliMain(int argc, char** argv) {
  if (Status status = InitCrypto(); !status.ok()) return ReportOutcome(status);
  try {
    CLI::App app("Warden: inventory and govern non-human identities", "warden");
    app.fallthrough();  // global flags may follow the subcommand
    app.require_subcommand(1);
    cli::CommandContext context;
    AddCommands(app, context);
    return ParseAndRun(app, context, argc, argv);
  } catch (const std::exception& e) {
    // The one catch for the process: a bug must not print a stack trace.
    return ReportOutcome(
        Internal(std::string("unexpected failure: ") + e.what()));
  }
}

}  // namespace warden
