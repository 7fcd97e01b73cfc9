// `warden review create|list|show|items|decide|close`: access-review
// campaigns over /v1/reviews, where owners decide keep or revoke for each
// identity in scope.
#ifndef WARDEN_CLI_REVIEW_COMMANDS_H_
#define WARDEN_CLI_REVIEW_COMMANDS_H_

#include "cli/command_context.h"

namespace warden::cli {

void AddReviewCommands(CLI::App& app, CommandContext& context);

}  // namespace warden::cli

#endif  // WARDEN_CLI_REVIEW_COMMANDS_H_
