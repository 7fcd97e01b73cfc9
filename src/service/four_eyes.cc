#include "service/four_eyes.h"

#include <fmt/format.h>

namespace warden {
namespace {

constexpr std::string_view kTokenSubjectPrefix = "token:";

}  // namespace

Result<std::string> AccountableHuman(Transaction& tx,
                                     std::string_view subject) {
  std::string current(subject);
  for (int link = 0; link < kMaxAccountableChain; ++link) {
    if (!current.starts_with(kTokenSubjectPrefix)) return current;
    Result<ApiToken> token =
        tx.api_tokens().Get(current.substr(kTokenSubjectPrefix.size()));
    if (!token.ok()) {
      if (token.status().code() == StatusCode::kNotFound) return current;
      return token.status();
    }
    current = token->user.empty() ? token->created_by : token->user;
  }
  return current;  // still a token: no human at the end of the chain
}

Status CheckFourEyes(Transaction& tx, AuditedWrite& write,
                     const Principal& decider, std::string_view requester,
                     std::string_view what, std::string_view self_problem) {
  WARDEN_ASSIGN_OR_RETURN(std::string requesting,
                          AccountableHuman(tx, requester));
  std::string deciding = decider.user;
  if (deciding.empty()) {
    WARDEN_ASSIGN_OR_RETURN(deciding, AccountableHuman(tx, decider.subject));
  }
  // Self first: the requester deciding is "self-approval" whichever of its
  // tokens it uses.
  if (requesting == deciding) {
    return write.Refuse(
        fmt::format("{} is behind the request for {} and may not decide it",
                    deciding, what),
        std::string(self_problem));
  }
  if (decider.user.empty()) {
    return write.Refuse(
        fmt::format("{} is not a Warden user; deciding {} needs a user's "
                    "own token",
                    decider.subject, what),
        "human-decision-required");
  }
  return Status::Ok();
}

}  // namespace warden
