#include "core/policy_exception.h"

namespace warden {

std::string_view Name(ExceptionState state) {
  switch (state) {
    case ExceptionState::kPending:
      return "pending";
    case ExceptionState::kApproved:
      return "approved";
    case ExceptionState::kRejected:
      return "rejected";
    case ExceptionState::kRevoked:
      return "revoked";
  }
  return "pending";
}

std::optional<ExceptionState> ParseExceptionState(std::string_view s) {
  for (auto state : {ExceptionState::kPending, ExceptionState::kApproved,
                     ExceptionState::kRejected, ExceptionState::kRevoked}) {
    if (Name(state) == s) return state;
  }
  return std::nullopt;
}

}  // namespace warden
