// The caller of what Warden does on its own (sweeps, schedulers,
// guardrails): audited as actor "system" with admin authority.
#ifndef WARDEN_SERVICE_SYSTEM_CALLER_H_
#define WARDEN_SERVICE_SYSTEM_CALLER_H_

#include "service/caller.h"

namespace warden {

inline constexpr char kSystemSubject[] = "system";

inline Caller SystemCaller() {
  Caller caller;
  caller.principal.subject = kSystemSubject;
  caller.principal.role = Role::kAdmin;
  return caller;
}

}  // namespace warden

#endif  // WARDEN_SERVICE_SYSTEM_CALLER_H_
