// A team: the accountable owner of identities (and later of releases).
#ifndef WARDEN_CORE_TEAM_H_
#define WARDEN_CORE_TEAM_H_

#include <string>
#include <vector>

#include "core/clock.h"

namespace warden {

struct Team {
  std::string name;                  // unique, the key other records reference
  std::vector<std::string> members;  // user names
  Timestamp created_at{};
  Timestamp updated_at{};
};

}  // namespace warden

#endif  // WARDEN_CORE_TEAM_H_
