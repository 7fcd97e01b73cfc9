// How an observation differs from the inventory entry it matched: the
// facts both sides state, compared. Pure.
#ifndef WARDEN_DISCOVERY_DRIFT_CHANGES_H_
#define WARDEN_DISCOVERY_DRIFT_CHANGES_H_

#include <boost/json/array.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/identity.h"
#include "discovery/observation.h"

namespace warden::discovery {

// [{"field", "inventory", "observed"}], empty when they agree: the kind
// (an observed certificate inventoried as something else), a
// certificate's not_after against expires_at (more than a day apart), an
// OAuth grant's scopes against the granted scopes.
boost::json::array DriftChanges(const Observation& observed,
                                const Identity& inventoried);

// The identity kind an observation kind corresponds to (drafts get it).
IdentityKind IdentityKindOf(std::string_view observation_kind);

}  // namespace warden::discovery

#endif  // WARDEN_DISCOVERY_DRIFT_CHANGES_H_
