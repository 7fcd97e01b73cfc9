// OidcRoleMap: which Warden role a just-in-time console user gets from the
// values of a claim of its OpenID provider's id_token (a "groups" or
// "roles" claim), as configured by `--oidc-role-map VALUE=ROLE,...`.
//
// The map only ever names human roles that need no team: admin, security,
// account_manager, auditor. Machine roles (sdk, deploy) and app_owner (which
// needs a team) are refused at configuration time. The first entry, in
// configuration order, whose VALUE the claim holds decides: an operator lists
// the narrower mapping first when a person may be in several groups.
//
// Thread-safety: immutable after construction.
#ifndef WARDEN_SIGNIN_OIDC_ROLE_MAP_H_
#define WARDEN_SIGNIN_OIDC_ROLE_MAP_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/vocabulary.h"

namespace warden::signin {

class OidcRoleMap {
 public:
  OidcRoleMap() = default;

  // "VALUE=ROLE[,VALUE=ROLE...]"; whitespace around items is ignored; an
  // empty text is an empty map. kInvalidArgument naming the bad item.
  static Result<OidcRoleMap> Parse(std::string_view text);

  // The role of the first entry whose value is in `claim_values`.
  std::optional<Role> RoleFor(
      const std::vector<std::string>& claim_values) const;

  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, Role>>& entries() const {
    return entries_;
  }

 private:
  // Immutable after construction.
  std::vector<std::pair<std::string, Role>> entries_;
};

}  // namespace warden::signin

#endif  // WARDEN_SIGNIN_OIDC_ROLE_MAP_H_
