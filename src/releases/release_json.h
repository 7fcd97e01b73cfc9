// The JSON a release is shown as: by the release routes and in the
// approval inbox's description of stage and activation requests.
#ifndef WARDEN_RELEASES_RELEASE_JSON_H_
#define WARDEN_RELEASES_RELEASE_JSON_H_

#include <boost/json/object.hpp>

#include "store/release_records.h"

namespace warden::releases {

// {"id", "service", "version", "environment", "owner", "risk_tier",
//  "risk_reason", "flags", "identities", "integrations", "notes", "plan",
//  "stage", "stage_index", "state", "state_reason", "next_advance_at",
//  "created_by", "created_at", "updated_at", "version_number"}
boost::json::object ReleaseToJson(const ReleaseRecord& release);

// The inbox's short form: service, version, risk tier, notes, identities.
boost::json::object ReleaseSummaryJson(const ReleaseRecord& release);

}  // namespace warden::releases

#endif  // WARDEN_RELEASES_RELEASE_JSON_H_
