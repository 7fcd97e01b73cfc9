// Warden's own users and API tokens (not the OAuth tokens Warden issues to
// workloads). A token's secret is 256 random bits shown once; only its
// SHA-256 is stored, and lookups go by that hash.
#ifndef WARDEN_CORE_API_TOKEN_H_
#define WARDEN_CORE_API_TOKEN_H_

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/vocabulary.h"

namespace warden {

struct User {
  std::string name;  // unique; also the audit subject
  std::string email;
  Role role = Role::kAuditor;
  std::string team;  // required for app_owner
  bool disabled = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct ApiToken {
  std::string id;
  std::string secret_hash;  // hex SHA-256 of the presented token
  std::string user;         // owning user, empty for a standalone token
  Role role = Role::kAuditor;
  std::string team;
  std::optional<Environment> environment;
  std::string tenant;
  std::string description;
  std::string created_by;
  Timestamp created_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> revoked_at;
  std::optional<Timestamp> last_used_at;
};

// Presented token text: "wdn_" + base64url(32 random bytes).
inline constexpr char kApiTokenPrefix[] = "wdn_";

}  // namespace warden

#endif  // WARDEN_CORE_API_TOKEN_H_
