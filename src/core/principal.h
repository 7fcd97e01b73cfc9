// Who is calling: the authenticated subject of a Warden API token.
#ifndef WARDEN_CORE_PRINCIPAL_H_
#define WARDEN_CORE_PRINCIPAL_H_

#include <optional>
#include <string>

#include "core/vocabulary.h"

namespace warden {

struct Principal {
  std::string subject;   // user name, or "token:<id>" for unattached tokens
  std::string token_id;  // the API token used
  Role role = Role::kAuditor;
  std::string team;  // app_owner: the team whose identities it manages
  std::optional<Environment> environment;  // sdk: the one bound environment
  std::string tenant;  // sdk: bound tenant (server ignores claimed tenants)
};

// The subject recorded for requests that did not authenticate.
inline constexpr char kAnonymousSubject[] = "anonymous";

}  // namespace warden

#endif  // WARDEN_CORE_PRINCIPAL_H_
