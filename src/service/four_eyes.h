// Four eyes: an accountable decision (approving or rejecting a policy
// exception, reviewing a break-glass use, and every approval to come) is
// taken by a human Warden user who is not the human behind the request.
//
// Principal strings are not people: an admin may mint a user-less token
// ("token:<id>") and act through it. So both sides are reduced to the
// accountable human first: a user's token is its user; a user-less token is
// whoever created it, followed through tokens created by tokens. A decider
// without a user (a user-less token, however privileged) decides nothing.
#ifndef WARDEN_SERVICE_FOUR_EYES_H_
#define WARDEN_SERVICE_FOUR_EYES_H_

#include <string>
#include <string_view>

#include "service/audited_write.h"

namespace warden {

// How many user-less tokens created by user-less tokens are followed before
// the chain counts as having no human (a bound on store reads; real chains
// are one or two links long).
inline constexpr int kMaxAccountableChain = 8;

// The human behind `subject` (an audit subject: a user name, "token:<id>",
// or a reserved subject such as "bootstrap"): the user name, or the subject
// the token chain ends in. Fails only on a store error.
Result<std::string> AccountableHuman(Transaction& tx, std::string_view subject);

// Inside `write`'s unit: refuses (audited, 403) unless `decider` is a
// human user other than the accountable human of `requester`. When both
// lead to the same human the problem is `self_problem` ("self-approval",
// "self-review"), whichever tokens were used; otherwise a decider without
// a user gets "human-decision-required". `what` names the request, e.g.
// "exception X".
Status CheckFourEyes(Transaction& tx, AuditedWrite& write,
                     const Principal& decider, std::string_view requester,
                     std::string_view what, std::string_view self_problem);

}  // namespace warden

#endif  // WARDEN_SERVICE_FOUR_EYES_H_
